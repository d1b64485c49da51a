// docs/architecture.md and the audit event list say what the code does: the plugin order, a
// field's steps and the audit event names are data in the code, and the documents list the same.
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import t from 'tap'
import { APP_PLUGINS } from '../src/app.ts'
import { FIELD_STEPS } from '../src/graphql/apply-field-policy.ts'
import { AUDIT_EVENTS } from '../src/plugins/app/audit-events.ts'

const root = join(import.meta.dirname, '..')
const read = (file: string) => readFileSync(join(root, file), 'utf8')
const architecture = read('docs/architecture.md')

/** The text of a document from the heading `## <title>` to the next `## `. */
function section (markdown: string, title: string): string {
  const start = markdown.indexOf(`\n## ${title}`)
  if (start === -1) return ''
  const end = markdown.indexOf('\n## ', start + 1)
  return markdown.slice(start, end === -1 ? undefined : end)
}

t.test('the plugin graph of docs/architecture.md lists APP_PLUGINS, in their order', async (t) => {
  const graph = section(architecture, 'The plugin graph')
  const listed = [...graph.matchAll(/^[├└]─ (\S+\.ts)/gm)].map((match) => match[1])
  // The request hygiene's hooks come first and close after the last plugin (app()).
  t.same(listed, ['plugins/app/request-hygiene.ts', ...APP_PLUGINS.map((plugin) => plugin.file)])
  for (const { file } of APP_PLUGINS) t.ok(readdirSync(join(root, 'src', file, '..')).includes(file.split('/').at(-1) as string), `src/${file} exists`)
})

t.test('the steps around a field in docs/architecture.md are FIELD_STEPS, outermost first', async (t) => {
  const text = section(architecture, 'Around every GraphQL field')
  const listed = [...text.matchAll(/^\d+\. `([a-z-]+)`/gm)].map((match) => match[1])
  t.same(listed, FIELD_STEPS.map((step) => step.name))
})

t.test('docs/operations.md lists every audit event of the catalogue, and no other', async (t) => {
  const text = read('docs/operations.md')
  const audit = text.slice(text.indexOf('### Audit events'))
  const listed = [...audit.matchAll(/^\| `([a-z-]+)` \|/gm)].map((match) => match[1])
  t.same(listed.sort(), Object.keys(AUDIT_EVENTS).sort())
})

// Rewritten this round on other branches, which add their headers; this list goes when they land.
t.test('every file of src/ opens with a comment that says its job', async (t) => {
  const files = (readdirSync(join(root, 'src'), { recursive: true }) as string[])
    .filter((file) => file.endsWith('.ts') && !file.endsWith('generated.ts'))
    .map((file) => relative(root, join(root, 'src', file)))
  const bare = files.filter((file) => !/^(\/\/|\/\*)/.test(read(file)))
  t.same(bare, [], 'no file without a header')
})

t.test('imports go one way: the emulator\'s rules import nothing from its operations, src/ top-level files nothing from the plugins', async (t) => {
  const importsOf = (file: string) => [...read(file).matchAll(/^(?:import|export)[^'\n]*from '(\.[^']+)'/gm)].map((match) => match[1] as string)
  const under = (dir: string) => (readdirSync(join(root, dir), { recursive: true }) as string[]).filter((file) => file.endsWith('.ts')).map((file) => join(dir, file))
  for (const file of under('src/dev/rules')) t.notOk(importsOf(file).some((path) => path.includes('/targets/')), `${file} imports no operation`)
  // The composition roots (the app, the package's entry, the server) register the plugins; the rest of src/'s top level is below them.
  const roots = new Set(['src/app.ts', 'src/index.ts', 'src/server.ts', 'src/server-options.ts'])
  const shared = readdirSync(join(root, 'src')).filter((file) => file.endsWith('.ts')).map((file) => join('src', file)).filter((file) => !roots.has(file))
  for (const file of shared) t.notOk(importsOf(file).some((path) => /^\.\/(plugins|graphql|dev)\//.test(path)), `${file} imports no plugin`)
})
