// The documents in docs/ say what the code does: every variable of the environment schema, every
// rate-limit bucket, every route and every operation is documented, with the numbers the code
// uses, and every link between the documents leads somewhere.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import Fastify from 'fastify'
import fp from 'fastify-plugin'
import { buildSchema, type GraphQLObjectType } from 'graphql'
import t from 'tap'
import app from '../src/app.ts'
import { EnvSchema, loadConfig } from '../src/config.ts'
import { FIELD_LIMITS } from '../src/graphql/field-policy.ts'
import { loadSchemaSDL } from '../src/graphql/schema.ts'
import { DEFAULT_LIMITS, type LimitName } from '../src/rate-limit-rules.ts'
import { serverOptions } from '../src/server-options.ts'

const root = join(import.meta.dirname, '..')
const docs = join(root, 'docs')
const read = (file: string) => readFileSync(join(root, file), 'utf8')

/** The cells of the table rows whose first cell is one backticked name, by that name (its first row). */
function rows (markdown: string, name: RegExp): Map<string, string[]> {
  const found = new Map<string, string[]>()
  for (const line of markdown.split('\n')) {
    const cells = line.startsWith('| `') ? line.split('|').slice(1, -1).map((cell) => cell.trim()) : []
    const key = /^`([^`]+)`$/.exec(cells[0] ?? '')?.[1]
    if (key !== undefined && name.test(key) && !found.has(key)) found.set(key, cells.slice(1))
  }
  return found
}

t.test('docs/configuration.md documents every variable of the schema, with its default', async (t) => {
  const variables = rows(read('docs/configuration.md'), /^[A-Z][A-Z0-9_]*$/)
  const properties = EnvSchema.properties as Record<string, { default?: unknown }>
  for (const [name, schema] of Object.entries(properties)) {
    const row = variables.get(name)
    if (row === undefined) {
      t.fail(`${name} has no row`)
      continue
    }
    const [defaultCell = '', meaning = ''] = row
    if (schema.default !== undefined && schema.default !== '') t.match(defaultCell, `\`${String(schema.default)}\``, `${name}: the default is the schema's`)
    t.ok(meaning.length > 20, `${name} says what it does`)
  }
  t.same([...variables.keys()].filter((name) => !(name in properties)), [], 'no row for a variable the server does not read')
})

t.test('docs/configuration.md documents every rate-limit bucket with the numbers the configuration gives it', async (t) => {
  const buckets = rows(read('docs/configuration.md'), /^[a-z][A-Za-z]*\.[a-z]+$/)
  const production = loadConfig({ NODE_ENV: 'production', COGNITO_USER_POOL_ID: 'eu-west-1_Docs1', COGNITO_CLIENT_ID: 'client', COOKIE_SECRET: 'x'.repeat(32) }).rateLimits
  const development = loadConfig({ NODE_ENV: 'development' }).rateLimits
  t.same([...buckets.keys()].sort(), Object.keys(DEFAULT_LIMITS).sort(), 'one row per bucket, and no other')
  for (const name of Object.keys(DEFAULT_LIMITS) as LimitName[]) {
    const [countsPer = '', max, window, developmentMax, drawnOnBy = ''] = buckets.get(name) ?? []
    const rule = production[name]
    t.match(countsPer, new RegExp(`^${rule.key}\\b`), `${name} counts per ${rule.key}`)
    t.equal(Number(max), rule.max, `${name}: max`)
    t.equal(Number(window), rule.window, `${name}: window`)
    t.equal(Number(developmentMax), development[name].max, `${name}: development max`)
    for (const [field, names] of Object.entries(FIELD_LIMITS)) {
      if (names.includes(name)) t.match(drawnOnBy, `\`${field}\``, `${name} names ${field}, which draws on it`)
    }
  }
})

t.test('docs/http.md names every route the app registers, and no other', async (t) => {
  const env = { NODE_ENV: 'test', EMULATOR_DATA_DIR: t.testdir(), CORS_ORIGINS: 'http://localhost:5173', LOG_LEVEL: 'silent' }
  // The embedded emulator may take more than Fastify's default 10 s to start on a busy machine (as in test/helper.ts).
  const server = Fastify({ ...serverOptions(loadConfig(env)), pluginTimeout: 60_000 })
  t.teardown(() => server.close())
  const routes = new Set<string>()
  server.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.add(`${method} ${route.url}`)
  })
  await server.register(fp(app), { env })
  await server.ready()

  const http = read('docs/http.md')
  t.ok(routes.has('POST /graphql') && routes.has('GET /dev/mailbox') && routes.has('OPTIONS *'), 'every optional route is on in this build')
  for (const route of routes) {
    // HEAD is documented once for every GET route.
    if (!route.startsWith('HEAD ')) t.ok(http.includes(`\`${route}\``), route)
  }
  const named = [...http.matchAll(/`((?:GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS) (?:\/[^`\s]*|\*))`/g)].map((match) => match[1] as string)
  t.same([...new Set(named)].filter((route) => !routes.has(route)), [], 'every route named is one the app has')
})

t.test('docs/schema.md names every operation, with its @auth rule, and every file of schema/', async (t) => {
  const text = read('docs/schema.md')
  const operations = rows(text, /^\w+$/)
  const schema = buildSchema(loadSchemaSDL())
  for (const type of [schema.getQueryType(), schema.getMutationType()] as GraphQLObjectType[]) {
    for (const field of Object.values(type.getFields())) {
      const needs = operations.get(field.name)?.[0]
      if (needs === undefined) {
        t.fail(`${type.name}.${field.name} has no row`)
        continue
      }
      const auth = field.astNode?.directives?.find((directive) => directive.name.value === 'auth')
      const role = auth?.arguments?.find((argument) => argument.name.value === 'requires')?.value
      const required = auth === undefined ? undefined : role?.kind === 'EnumValue' ? role.value : 'USER'
      if (required === 'ADMIN') t.match(needs, /^admin/, `${field.name}: admin`)
      else if (required === 'USER') t.match(needs, /^session/, `${field.name}: session`)
      else t.match(needs, /^–/, `${field.name}: open to anyone`)
    }
  }
  for (const file of readdirSync(join(root, 'schema')).filter((name) => name.endsWith('.graphql'))) {
    t.ok(text.includes(`\`schema/${file}\``), `schema/${file}`)
  }
})

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens. */
const anchorOf = (heading: string) => heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-')

function anchorsOf (file: string): Set<string> {
  return new Set([...readFileSync(file, 'utf8').matchAll(/^#+ (.+)$/gm)].map((match) => anchorOf(match[1] as string)))
}

t.test('the links of docs/ (and its folders) lead to files of the repository, and to headings that exist', async (t) => {
  for (const name of readdirSync(docs, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.md'))) {
    const file = join(docs, name)
    const text = readFileSync(file, 'utf8')
    t.notMatch(text, /API\.md|\.\.\/shared/, `${name} points at nothing outside the repository`)
    for (const [, target = ''] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/.test(target)) continue
      const [path = '', anchor] = target.split('#')
      const linked = path === '' ? file : resolve(dirname(file), path)
      t.notOk(relative(root, linked).startsWith('..'), `${name}: ${target} is inside the repository`)
      t.ok(existsSync(linked), `${name}: ${target} exists`)
      if (anchor !== undefined && linked.endsWith('.md')) t.ok(anchorsOf(linked).has(anchor), `${name}: ${target} has that heading`)
    }
  }
})
