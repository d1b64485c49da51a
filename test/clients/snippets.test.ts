// The client pages of docs/ show the configurations the tests run: every `<!-- snippet: path -->`
// block is that file of test/clients/config/ exactly, and every configuration is shown on a page
// (test/docs.test.ts checks their links with the rest of docs/).
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'

const root = join(import.meta.dirname, '..', '..')
const pages = ['docs/clients.md', ...readdirSync(join(root, 'docs', 'clients')).map((name) => `docs/clients/${name}`)]
const configs = readdirSync(join(root, 'test', 'clients', 'config')).map((name) => `test/clients/config/${name}`)

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
