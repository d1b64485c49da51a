// GraphiQL's page and files come from this server (no CDN) and carry the security headers: never
// framed, and a Content-Security-Policy that allows this origin's scripts and no other origin.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import t from 'tap'
import { build } from './helper.ts'

const GRAPHIQL_PATHS = ['/graphiql', '/graphiql/main.js', '/graphiql/config.js', '/graphiql/react.production.min.js',
  '/graphiql/react-dom.production.min.js', '/graphiql/graphiql.min.js', '/graphiql/graphiql.min.css']

/** A Content-Security-Policy as its directives: name → sources. */
function directives (policy: string): Map<string, string[]> {
  return new Map(policy.split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0] !== '').map(([name = '', ...sources]) => [name, sources]))
}

/** A file of an installed package, as the browser should receive it. */
function installed (name: string, file: string): Buffer {
  return readFileSync(join(dirname(createRequire(import.meta.url).resolve(`${name}/package.json`)), file))
}

t.test('GraphiQL\'s page and files cannot be framed and carry the security headers', async (t) => {
  const app = await build(t, { env: { GRAPHIQL: 'true' } })
  for (const path of GRAPHIQL_PATHS) {
    const res = await app.inject(path)
    t.equal(res.statusCode, 200, `${path}: served`)
    t.equal(res.headers['x-frame-options'], 'DENY', `${path}: X-Frame-Options DENY`)
    const csp = directives(String(res.headers['content-security-policy']))
    t.same(csp.get('frame-ancestors'), ["'none'"], `${path}: frame-ancestors 'none'`)
    t.same(csp.get('default-src'), ["'self'"], `${path}: default-src 'self'`)
    t.same(csp.get('script-src'), ["'self'"], `${path}: scripts from this origin only (no inline, no eval, no CDN)`)
    t.same(csp.get('object-src'), ["'none'"], `${path}: no plugins`)
    t.same(csp.get('base-uri'), ["'self'"], `${path}: no foreign <base>`)
    t.equal(res.headers['x-content-type-options'], 'nosniff', `${path}: nosniff`)
    t.equal(res.headers['referrer-policy'], 'no-referrer', `${path}: no referrer`)
    t.ok(res.headers['strict-transport-security'], `${path}: HSTS`)
    t.equal(res.headers['cross-origin-opener-policy'], 'same-origin', `${path}: its own browsing context group`)
  }
  t.equal((await app.inject('/graphiql?x=1')).headers['x-frame-options'], 'DENY', 'with a query string too')
  const api = (await app.inject('/health')).headers
  t.equal(api['x-frame-options'], 'DENY', 'the JSON API has a set of its own: never framed either')
  t.equal(api['content-security-policy'], "default-src 'none'; frame-ancestors 'none'", 'and a policy that lets nothing load')
})

t.test('the page loads only files of this origin, and the policy names no other origin', async (t) => {
  const app = await build(t, { env: { GRAPHIQL: 'true' } })
  const res = await app.inject('/graphiql')
  const csp = directives(String(res.headers['content-security-policy']))
  for (const [name, sources] of csp) {
    t.notOk(sources.some((s) => /^[a-z][a-z0-9+.-]*:\/\/|^\*|^https?:$/i.test(s)), `${name}: no origin, no scheme-wide source (${sources.join(' ')})`)
  }
  t.same(csp.get('connect-src'), ["'self'"], 'fetches go to this origin only')
  t.ok(csp.get('style-src')?.includes("'unsafe-inline'"), 'the page\'s <style> and GraphiQL\'s inline styles')

  // Every file the page references is relative (under a path prefix too), served, with its type.
  const references = [...res.body.matchAll(/<(?:script src|link rel="stylesheet" href)="([^"]+)"/g)].map((m) => m[1] as string)
  t.same(references.filter((ref) => !ref.startsWith('./graphiql/')), [], 'every file of the page is ./graphiql/…')
  t.equal(references.length, 6, 'its stylesheet and five scripts')
  for (const ref of references) {
    const file = await app.inject(ref.slice(1))
    t.equal(file.statusCode, 200, `${ref}: served`)
    t.match(file.headers['content-type'], ref.endsWith('.css') ? /^text\/css/ : /^application\/javascript/, `${ref}: its type`)
  }
  t.notMatch(res.body, /unpkg|https?:\/\//, 'the page names no other site')
  t.notMatch((await app.inject('/graphiql/main.js')).body, /https?:\/\//, 'nor does its script')
})

t.test('the files are the installed packages\' own, revalidated by ETag', async (t) => {
  const app = await build(t, { env: { GRAPHIQL: 'true' } })
  const files = {
    '/graphiql/react.production.min.js': installed('react', 'umd/react.production.min.js'),
    '/graphiql/react-dom.production.min.js': installed('react-dom', 'umd/react-dom.production.min.js'),
    '/graphiql/graphiql.min.js': installed('graphiql', 'graphiql.min.js'),
    '/graphiql/graphiql.min.css': installed('graphiql', 'graphiql.min.css')
  }
  for (const [path, bytes] of Object.entries(files)) {
    const res = await app.inject(path)
    t.ok(res.rawPayload.equals(bytes), `${path}: the installed file, byte for byte`)
    t.equal(res.headers['cache-control'], 'no-cache', `${path}: revalidated, so an upgrade shows at once`)
    const etag = String(res.headers.etag)
    const again = await app.inject({ url: path, headers: { 'if-none-match': etag } })
    t.equal(again.statusCode, 304, `${path}: 304 while unchanged`)
    t.equal(again.rawPayload.length, 0, `${path}: with no body`)
  }
  t.equal((await app.inject({ url: '/graphiql', headers: { 'if-none-match': '"stale"' } })).statusCode, 200, 'another ETag gets the file')
})

t.test('GRAPHIQL=false serves neither the page nor its files', async (t) => {
  const app = await build(t, { env: { GRAPHIQL: 'false' } })
  for (const path of GRAPHIQL_PATHS) t.equal((await app.inject(path)).statusCode, 404, `${path}: 404`)
})
