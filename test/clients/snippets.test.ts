// The client pages of docs/ show the configurations the tests run: every `<!-- snippet: path -->`
// block is that file of test/clients/config/ exactly, every configuration is shown on a page, and
// the links of docs/clients/ lead to files and headings that exist (test/docs.test.ts checks docs/
// itself).
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import t from 'tap'

const root = join(import.meta.dirname, '..', '..')
const pages = ['docs/clients.md', ...readdirSync(join(root, 'docs', 'clients')).map((name) => `docs/clients/${name}`)]
const configs = readdirSync(join(root, 'test', 'clients', 'config')).map((name) => `test/clients/config/${name}`)

/** GitHub's anchor of a heading, as test/docs.test.ts computes it. */
const anchorOf = (heading: string) => heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-')

t.test('every snippet on the client pages is the configuration the tests run', async (t) => {
  const shown = new Set<string>()
  for (const page of pages) {
    const text = readFileSync(join(root, page), 'utf8')
    for (const [, path = '', code = ''] of text.matchAll(/<!-- snippet: (\S+) -->\n```ts\n([\s\S]*?)```\n/g)) {
      shown.add(path)
      t.equal(code, readFileSync(join(root, path), 'utf8'), `${page}: the snippet of ${path} is that file, as the tests run it`)
    }
  }
  t.same(configs.filter((path) => !shown.has(path)), [], 'every configuration the tests run is shown on a page')
})

t.test('the links of docs/clients/ lead to files of the repository, and to headings that exist', async (t) => {
  for (const page of pages.filter((path) => path.startsWith('docs/clients/'))) {
    const file = join(root, page)
    const text = readFileSync(file, 'utf8')
    t.notMatch(text, /API\.md|\.\.\/shared/, `${page} points at nothing outside the repository`)
    for (const [, target = ''] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/.test(target)) continue
      const [path = '', anchor] = target.split('#')
      const linked = path === '' ? file : resolve(dirname(file), path)
      t.notOk(relative(root, linked).startsWith('..'), `${page}: ${target} is inside the repository`)
      t.ok(existsSync(linked), `${page}: ${target} exists`)
      if (anchor !== undefined && linked.endsWith('.md')) {
        const headings = [...readFileSync(linked, 'utf8').matchAll(/^#+ (.+)$/gm)].map((match) => anchorOf(match[1] as string))
        t.ok(headings.includes(anchor), `${page}: ${target} has that heading`)
      }
    }
  }
})
