// The redirect rule of federated sign-in and sign-out (src/plugins/app/safe-redirect.ts): only a
// path of this origin, in every form a browser could read it, and `/` for anything else.
import t from 'tap'
import { safeRedirect, withError } from '../src/plugins/app/safe-redirect.ts'

/** A value as printable ASCII, for a test's name (TAP lines break on some characters). */
const shown = (value: unknown): string => String(JSON.stringify(value)).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)

t.test('a relative path of this origin is kept, query and fragment included', async (t) => {
  for (const path of ['/', '/spa/', '/spa/?tab=profile', '/spa/#top', '/a/b/c?x=1&y=2#z', '/spa/index.html', '/%7Euser/']) {
    t.equal(safeRedirect(path), path, path)
  }
  t.equal(safeRedirect('/caf%C3%A9'), '/caf%C3%A9', 'an encoded non-ASCII character stays as it is')
  t.equal(safeRedirect('/café'), '/caf%C3%A9', 'a raw one is percent-encoded for the Location header')
  t.equal(safeRedirect('/a/./b/../c'), '/a/c', 'dot segments are resolved as a browser resolves them')
})

t.test('anything a browser could read as another origin becomes /', async (t) => {
  const refused = [
    '//evil.example', '//evil.example/spa/', '///evil.example', '/\\evil.example', '\\\\evil.example', '/\\/evil.example',
    'https://evil.example', 'http://localhost:3000/spa/', 'HTTPS://evil.example', 'javascript:alert(1)', 'data:text/html,x', 'evil.example',
    'spa/', '?x=1', '#top',
    // Decoded forms: each would become one of the above after one or more decodings.
    '/%2F%2Fevil.example', '/%2f/evil.example', '/%5Cevil.example', '/%5cevil.example', '/%252F/evil.example', '/%25252F%25252Fevil.example',
    '%2F%2Fevil.example', '/%09/evil.example', '/%0A/evil.example', '/%00',
    // Control characters and whitespace, which browsers drop or stop at.
    '/\t/evil.example', '/\n/evil.example', '/\r/evil.example', '/a b', '/\u0000', '/\u007f', '/\u2028',
    // Paths that normalise into a scheme-relative one.
    '/..//evil.example', '/a/..//evil.example', '/%2e%2e//evil.example', '/a/%2E%2E//evil.example', '/./..//evil.example',
    // Malformed encoding, nothing at all, and values too long to carry.
    '/%E0%A4%A', '/%', '', `/${'a'.repeat(2048)}`
  ]
  for (const value of refused) t.equal(safeRedirect(value), '/', shown(value))
  for (const value of [undefined, null, 42, ['/spa/'], { path: '/spa/' }]) t.equal(safeRedirect(value), '/', `not a string: ${shown(value)}`)
})

t.test('an error reason is added to the query, before any fragment', async (t) => {
  t.equal(withError('/', 'INVALID_STATE'), '/?error=INVALID_STATE')
  t.equal(withError('/spa/', 'SERVICE_UNAVAILABLE'), '/spa/?error=SERVICE_UNAVAILABLE')
  t.equal(withError('/spa/?tab=x#top', 'CODE_EXPIRED'), '/spa/?tab=x&error=CODE_EXPIRED#top')
  t.equal(withError('/spa/?error=OLD', 'PROVIDER_ERROR'), '/spa/?error=PROVIDER_ERROR', 'an error from an earlier attempt is replaced, not repeated')
})
