// The state of a federated sign-in (src/plugins/app/oauth-state.ts): fresh secrets, PKCE's S256,
// and the sealed `oauth-state` cookie: its attributes, what it opens for and what it refuses,
// and a state spent once.
import cookie from '@fastify/cookie'
import Fastify, { type FastifyInstance } from 'fastify'
import t from 'tap'
import { nowSeconds } from '../src/time.ts'
import { createSealer } from '../src/seal.ts'
import { codeChallenge, newOAuthState, oauthStateCookie, spendState, type OAuthState } from '../src/plugins/app/oauth-state.ts'
import { build } from './helper.ts'

/** A small server that writes and reads the app's state cookie, as the oauth routes do. */
async function cookieServer (t: Parameters<typeof build>[0], app: FastifyInstance): Promise<FastifyInstance> {
  const stateCookie = oauthStateCookie(app.sessions)
  const server = Fastify()
  await server.register(cookie)
  server.get('/write', async (_request, reply) => ({ written: stateCookie.write(reply, newOAuthState('DevIdP', '/spa/')) }))
  server.get<{ Querystring: { state?: string } }>('/read', async (request) => ({ held: stateCookie.read(request, request.query.state ?? '') ?? null }))
  t.teardown(() => server.close())
  return server
}

t.test('fresh secrets each time; PKCE S256 as RFC 7636 computes it', async (t) => {
  const a = newOAuthState('DevIdP', '/spa/')
  const b = newOAuthState('DevIdP', '/spa/')
  for (const key of ['state', 'verifier', 'nonce'] as const) {
    t.match(a[key], /^[A-Za-z0-9_-]{43}$/, `${key}: 256 bits, base64url (a valid PKCE verifier)`)
    t.not(a[key], b[key], `${key}: never the same twice`)
  }
  t.not(a.state, a.nonce)
  // RFC 7636, appendix B.
  t.equal(codeChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'), 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM')
})

t.test('the cookie: sealed, HttpOnly, Secure, SameSite=Lax whatever COOKIE_SAMESITE says, ten minutes', async (t) => {
  const app = await build(t, { env: { COOKIE_SAMESITE: 'Strict' } })
  const server = await cookieServer(t, app)
  const written = await server.inject({ method: 'GET', url: '/write' })
  const held = written.json().written as OAuthState
  const [set] = written.cookies
  t.match(set, { name: '__Host-oauth-state', httpOnly: true, secure: true, sameSite: 'Lax', path: '/', maxAge: 600 })
  t.equal(written.headers['cache-control'], 'no-store')
  for (const secret of [held.state, held.verifier, held.nonce, '/spa/', 'DevIdP']) t.notOk(set?.value.includes(secret), 'nothing of it readable in the cookie')
  t.ok(Math.abs(held.exp - (nowSeconds() + 600)) <= 2, 'exp: ten minutes from now')

  const read = (state: string, value = set?.value as string) => server.inject({ method: 'GET', url: `/read?state=${encodeURIComponent(state)}`, headers: { cookie: `__Host-oauth-state=${value}` } })
  t.same((await read(held.state)).json().held, held, 'opens for the state it holds')
  t.same((await read('x'.repeat(43))).json().held, null, 'not for another state')
  t.same((await read('')).json().held, null, 'not for no state')
  t.same((await read(held.state.slice(0, 42))).json().held, null, 'not for a prefix of it')
  t.same((await server.inject({ method: 'GET', url: `/read?state=${held.state}` })).json().held, null, 'nothing without the cookie (another browser)')
  const value = set?.value as string
  const tampered = value.slice(0, 20) + (value[20] === 'A' ? 'B' : 'A') + value.slice(21)
  t.same((await read(held.state, tampered)).json().held, null, 'not when altered')

  // Sealed with the app's own secret: for another purpose, or expired, it opens as nothing.
  const sealer = createSealer(app.userPool.cookieSecrets as string[])
  t.same((await read(held.state, sealer.seal('oauth-state', held))).json().held, held, '(the test seals as the app does)')
  t.same((await read(held.state, sealer.seal('challenge', held))).json().held, null, 'a value sealed for another purpose')
  t.same((await read(held.state, sealer.seal('oauth-state', { ...held, exp: nowSeconds() - 1 }))).json().held, null, 'an expired one')
})

t.test('with COOKIE_SECURE=false and COOKIE_SAMESITE=None the name loses its prefix and the cookie stays Lax', async (t) => {
  const app = await build(t, { env: { COOKIE_SECURE: 'false' } })
  const [set] = (await (await cookieServer(t, app)).inject({ method: 'GET', url: '/write' })).cookies
  t.match(set, { name: 'oauth-state', httpOnly: true, sameSite: 'Lax' })
  t.notOk(set?.secure)
  const none = await build(t, { env: { COOKIE_SAMESITE: 'None' } })
  const [lax] = (await (await cookieServer(t, none)).inject({ method: 'GET', url: '/write' })).cookies
  t.match(lax, { name: '__Host-oauth-state', sameSite: 'Lax', secure: true })
})

t.test('a state is spent once', async (t) => {
  const app = await build(t)
  const held = { ...newOAuthState('DevIdP', '/'), exp: nowSeconds() + 600 }
  t.equal(await spendState(app.revocation, held), true, 'the first callback')
  t.equal(await spendState(app.revocation, held), false, 'a replay')
  t.equal(await spendState(app.revocation, { ...newOAuthState('DevIdP', '/'), exp: nowSeconds() + 600 }), true, 'another sign-in')
})
