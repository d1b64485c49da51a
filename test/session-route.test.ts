// GET /session and the app's own routes behind the session (requireUser, currentUser), driven
// as a client would: cookies or a Bearer token in, status, body, X-User-* and Set-Cookie out.
import { createSign, generateKeyPairSync } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import Fastify, { type FastifyInstance, type LightMyRequestResponse } from 'fastify'
import fp from 'fastify-plugin'
import t, { type Test } from 'tap'
import { addToGroup } from '../scripts/admin.ts'
import app from '../src/app.ts'
import { loadConfig } from '../src/config.ts'
import { loggerOptions } from '../src/logger.ts'
import { serverOptions } from '../src/server-options.ts'
import { adminOf, RELAXED_LIMITS } from './challenge-helpers.ts'
import { build, buildBehindProxy, Client, ME, PASSWORD, SIGN_IN, SIGN_OUT, signedIn, CHANGE_PASSWORD, FORGOT, CONFIRM_FORGOT, DELETE_ACCOUNT, ADMIN_DELETE } from './helper.ts'

const UPDATE_NAME = 'mutation ($name: String!) { updateProfile(input: { name: $name }) { name } }'
const NEW_PASSWORD = 'Battery-Staple-42'

/** The app's own routes, as an app registers them beside ours. */
async function notes (fastify: FastifyInstance): Promise<void> {
  fastify.get('/api/notes', { preHandler: fastify.requireUser }, async (request) => ({ owner: request.user?.id, user: request.user }))
  fastify.get('/api/greeting', async (request, reply) => {
    const user = await fastify.currentUser(request, reply)
    return { hello: user?.email ?? 'stranger', user: request.user }
  })
}

/**
 * The app as helper.ts builds it, with the routes above registered before it is ready (routes
 * cannot be added after). `env` may point it at a pool of its own (an emulator behind a FaultProxy).
 */
async function buildWithRoutes (t: Test, options: { env?: Record<string, string>, jwks?: { keys: unknown[] } } = {}): Promise<FastifyInstance> {
  const dataDir = mkdtempSync(join(tmpdir(), 'session-route-'))
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }))
  const env = { NODE_ENV: 'test', EMULATOR_DATA_DIR: dataDir, ...RELAXED_LIMITS, ...options.env }
  const fastify = Fastify({ ...serverOptions(loadConfig(env), loggerOptions('silent')), pluginTimeout: 60_000 })
  await fastify.register(fp(app), { env, jwks: options.jwks })
  await fastify.register(notes)
  t.teardown(() => fastify.close())
  await fastify.ready()
  return fastify
}

/** GET `url` with the client's cookies (and `headers`), the way a proxy or a browser sends them. */
async function get (client: Client, url: string, headers: Record<string, string> = {}, method: 'GET' | 'HEAD' = 'GET'): Promise<LightMyRequestResponse> {
  return await client.app.inject({ method, url, headers: { ...(client.jar.size > 0 ? { cookie: client.cookieHeader() } : {}), ...headers } })
}

const setCookies = (response: LightMyRequestResponse): string[] => {
  const header = response.headers['set-cookie']
  return header === undefined ? [] : Array.isArray(header) ? header : [header]
}

/** `client`'s cookies on /session and on a route behind requireUser: both refused, never a 5xx. */
async function refusedEverywhere (t: Test, client: Client, headers: Record<string, string> = {}, label = ''): Promise<void> {
  for (const url of ['/session', '/api/notes']) {
    const response = await get(client, url, headers)
    t.equal(response.statusCode, 401, `${label} ${url}: 401`)
    t.same(response.json(), { error: 'UNAUTHENTICATED' }, `${label} ${url}: UNAUTHENTICATED`)
    t.equal(response.headers['x-user-id'], undefined, `${label} ${url}: no user header`)
  }
}

t.test('signed in: /session answers the user, the X-User-* headers and never to a cache; signed out: 401', async (t) => {
  const fastify = await buildWithRoutes(t)
  const client = new Client(fastify)
  const email = await signedIn(client)
  const me = (await client.gql(ME)).data?.me

  const session = await get(client, '/session')
  t.equal(session.statusCode, 200)
  const body = session.json()
  t.same(body.user, { id: me.id, email, emailVerified: true, name: null, groups: [] }, 'the User of me, without the Cognito-only fields')
  t.ok(Date.parse(body.expiresAt) > Date.now(), 'expiresAt: when the access token expires')
  t.same(Object.keys(body).sort(), ['expiresAt', 'user'])
  t.equal(session.headers['x-user-id'], me.id)
  t.equal(session.headers['x-user-email'], email)
  t.equal(session.headers['x-user-groups'], '')
  t.equal(session.headers['cache-control'], 'no-store')
  t.same(setCookies(session), [], 'a live session sets no cookie')

  const head = await get(client, '/session', {}, 'HEAD')
  t.equal(head.statusCode, 200, 'HEAD too')
  t.equal(head.headers['x-user-id'], me.id)
  t.equal(head.body, '')

  const notes = await get(client, '/api/notes')
  t.equal(notes.statusCode, 200, 'a route behind requireUser runs')
  // request.user is /session's user and the access token's claims (test/claims.test.ts has a trigger's).
  const withClaims = { ...body.user, claims: { sub: me.id, token_use: 'access' } }
  t.match(notes.json(), { owner: me.id, user: withClaims }, 'with request.user set')
  t.same(Object.keys(notes.json().user).sort(), [...Object.keys(body.user), 'claims'].sort())
  t.match((await get(client, '/api/greeting')).json(), { hello: email, user: withClaims }, 'currentUser: the caller')

  const stranger = new Client(fastify)
  await refusedEverywhere(t, stranger, {}, 'no cookies:')
  const anonymous = await get(stranger, '/session')
  t.equal(anonymous.headers['cache-control'], 'no-store', 'a 401 is not cached either')
  t.same((await get(stranger, '/api/greeting')).json(), { hello: 'stranger', user: null }, 'currentUser: null without a session')
  t.equal((await get(stranger, '/session', {}, 'HEAD')).statusCode, 401)
})

t.test('groups: comma-separated, each percent-encoded where it is not plain printable ASCII', async (t) => {
  const fastify = await buildWithRoutes(t, { env: { ADMIN_GROUP: 'équipe,ops' } })
  const admin = adminOf(t, fastify)
  const client = new Client(fastify)
  const email = await signedIn(client)
  await addToGroup(admin, email, 'admin')
  await addToGroup(admin, email, 'équipe,ops')
  await client.gql(SIGN_IN, { email, password: PASSWORD })
  const session = await get(client, '/session')
  t.same(session.json().user.groups.sort(), ['admin', 'équipe,ops'], 'the body has the names as they are')
  t.same(String(session.headers['x-user-groups']).split(',').sort(), ['%C3%A9quipe%2Cops', 'admin'])
  t.same(String(session.headers['x-user-groups']).split(',').map(decodeURIComponent).sort(), ['admin', 'équipe,ops'], 'decodeURIComponent gives them back')
})

t.test('every way a session ends: the old cookies get 401 on /session and on the app\'s routes at once', async (t) => {
  const fastify = await buildWithRoutes(t)
  const admin = adminOf(t, fastify)
  const operator = new Client(fastify)
  const operatorEmail = await signedIn(operator)
  await addToGroup(admin, operatorEmail, 'admin')
  await operator.gql(SIGN_IN, { email: operatorEmail, password: PASSWORD })

  const endings: Array<[string, (user: Client, email: string) => Promise<unknown>]> = [
    ['signOut', async (user) => await user.gql(SIGN_OUT)],
    ['signOut everywhere (from another device)', async (_user, email) => {
      const phone = new Client(fastify)
      await phone.gql(SIGN_IN, { email, password: PASSWORD })
      return await phone.gql(SIGN_OUT, { everywhere: true })
    }],
    ['changePassword', async (user) => await user.gql(CHANGE_PASSWORD, { c: PASSWORD, n: NEW_PASSWORD })],
    ['confirmForgotPassword', async (_user, email) => {
      const owner = new Client(fastify)
      await owner.gql(FORGOT, { email })
      return await owner.gql(CONFIRM_FORGOT, { email, code: await owner.code(email), p: NEW_PASSWORD })
    }],
    ['adminDeleteUser', async (_user, email) => await operator.gql(ADMIN_DELETE, { email })],
    ['deleteAccount', async (user) => await user.gql(DELETE_ACCOUNT, { p: PASSWORD })]
  ]
  for (const [way, end] of endings) {
    const user = new Client(fastify)
    const email = await signedIn(user)
    const old = user.clone()
    t.equal((await get(old, '/session')).statusCode, 200, `${way}: the session is live before`)
    t.equal((await get(old, '/api/notes')).statusCode, 200)
    const ended = await end(user, email) as { errors?: unknown }
    t.equal(ended.errors, undefined, `${way} went through`)
    await refusedEverywhere(t, old, {}, `${way}:`)
    const bearer = { authorization: `Bearer ${old.jar.get('__Host-access') as string}` }
    await refusedEverywhere(t, new Client(fastify), bearer, `${way}, as a Bearer token:`)
  }
})

t.test('a Bearer access token: the user from Cognito (the token has no profile)', async (t) => {
  const fastify = await buildWithRoutes(t)
  const client = new Client(fastify)
  const email = await signedIn(client)
  await client.gql(UPDATE_NAME, { name: 'Ada' })
  const bearer = { authorization: `Bearer ${client.jar.get('__Host-access') as string}` }
  const holder = new Client(fastify)

  const session = await get(holder, '/session', bearer)
  t.equal(session.statusCode, 200)
  t.match(session.json(), { user: { email, emailVerified: true, name: 'Ada', groups: [] } })
  t.equal(session.headers['x-user-email'], email)
  t.same(setCookies(session), [], 'no cookies for a Bearer caller')
  t.equal((await get(holder, '/api/notes', bearer)).json().user.name, 'Ada', 'requireUser takes a Bearer token too')
})

t.test('a Bearer caller over its GetUser limit: 429 with Retry-After', async (t) => {
  const fastify = await buildWithRoutes(t, { env: { RATE_LIMITS: JSON.stringify({ 'cognito.user': { max: 1 } }) } })
  const client = new Client(fastify)
  await signedIn(client)
  const bearer = { authorization: `Bearer ${client.jar.get('__Host-access') as string}` }
  t.equal((await get(new Client(fastify), '/session', bearer)).statusCode, 200)
  const limited = await get(new Client(fastify), '/session', bearer)
  t.equal(limited.statusCode, 429)
  t.same(limited.json(), { error: 'TOO_MANY_REQUESTS' })
  t.ok(Number(limited.headers['retry-after']) > 0, 'Retry-After: seconds')
  t.equal((await get(new Client(fastify), '/api/notes', bearer)).statusCode, 429, 'requireUser too')
  t.equal((await get(client, '/session')).statusCode, 200, 'a cookie session asks Cognito nothing, so it is not limited')
})

t.test('forged and malformed credentials: 401, never a 5xx', async (t) => {
  const fastify = await buildWithRoutes(t)
  const client = new Client(fastify)
  await signedIn(client)
  const access = client.jar.get('__Host-access') as string
  const id = client.jar.get('__Host-id') as string
  const [header = '', payload = ''] = access.split('.')
  const body = `${header}.${payload}`
  const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey
  const forged = `${body}.${createSign('RSA-SHA256').update(body).sign(otherKey).toString('base64url')}`

  const withCookies = (cookies: Record<string, string>) => {
    const c = new Client(fastify)
    for (const [name, value] of Object.entries(cookies)) c.jar.set(name, value)
    return c
  }
  await refusedEverywhere(t, withCookies({ '__Host-access': 'garbage', '__Host-id': 'garbage', '__Host-refresh': 'garbage' }), {}, 'garbage cookies')
  await refusedEverywhere(t, withCookies({ '__Host-refresh': 'not-sealed' }), {}, 'a refresh cookie we did not seal')
  await refusedEverywhere(t, withCookies({ '__Host-access': forged, '__Host-id': id }), {}, 'a token signed by another key')
  await refusedEverywhere(t, withCookies({ '__Host-access': id, '__Host-id': id }), {}, 'an id token as the access token')
  await refusedEverywhere(t, new Client(fastify), { authorization: `Bearer ${forged}` }, 'a forged Bearer token')
  await refusedEverywhere(t, new Client(fastify), { authorization: `Bearer ${id}` }, 'an id token as a Bearer token')
  await refusedEverywhere(t, new Client(fastify), { authorization: 'Bearer' }, 'an empty Bearer')
  await refusedEverywhere(t, new Client(fastify), { authorization: 'Basic dXNlcjpwYXNz' }, 'another scheme')
  await refusedEverywhere(t, new Client(fastify), { cookie: '__Host-access=%E0%A4%A' }, 'a cookie that does not decode')

  // Another pool and another app client: an emulator of its own.
  const { emulator } = await buildBehindProxy(t)
  const elsewhere = await buildWithRoutes(t, { env: { COGNITO_USER_POOL_ID: emulator.userPoolId, COGNITO_CLIENT_ID: emulator.clientId, COGNITO_ENDPOINT: emulator.endpoint }, jwks: emulator.jwks })
  const foreign = new Client(elsewhere, emulator.mailbox)
  foreign.jar.set('__Host-access', access)
  foreign.jar.set('__Host-id', id)
  await refusedEverywhere(t, foreign, {}, 'tokens of another pool and client')
})

t.test('an expired access token and the refresh cookie: 200, with the renewed cookies', async (t) => {
  const fastify = await buildWithRoutes(t, { env: { EMULATOR_TOKEN_TTL: '2' } })
  // Three sessions, each refreshed once (a refresh just done is reused for its refresh cookie).
  const client = new Client(fastify)
  const email = await signedIn(client)
  const proxy = new Client(fastify)
  await signedIn(proxy)
  const app = new Client(fastify)
  await signedIn(app)
  const before = client.jar.get('__Host-access')
  await sleep(2100)

  const session = await get(client, '/session')
  t.equal(session.statusCode, 200)
  t.equal(session.json().user.email, email)
  t.ok(Date.parse(session.json().expiresAt) > Date.now(), 'expiresAt: the renewed token\'s')
  t.same(setCookies(session).map((c) => c.split('=')[0]), ['__Host-access', '__Host-id'], 'the renewed tokens ride on the answer')
  t.equal(session.headers['cache-control'], 'no-store')
  t.equal(session.headers['x-session-cookie-1'], undefined, 'no cookie is repeated for a caller that did not ask')
  client.absorb(session)
  t.not(client.jar.get('__Host-access'), before)
  t.same(setCookies(await get(client, '/session')), [], 'the renewed cookies are a live session')
  t.equal((await get(client, '/api/notes')).statusCode, 200)

  // What nginx needs: each Set-Cookie in a header of its own, for a proxy that asks for them.
  const proxied = await get(proxy, '/session', { 'proxy-session-cookies': 'numbered' })
  t.equal(proxied.statusCode, 200)
  const lines = setCookies(proxied)
  t.equal(lines.length, 2)
  t.same([proxied.headers['x-session-cookie-1'], proxied.headers['x-session-cookie-2'], proxied.headers['x-session-cookie-3']], [...lines, undefined],
    'X-Session-Cookie-1, -2: the Set-Cookie lines, in order')

  const notes = await get(app, '/api/notes')
  t.equal(notes.statusCode, 200, 'a route behind requireUser refreshes the same way')
  t.same(setCookies(notes).map((c) => c.split('=')[0]), ['__Host-access', '__Host-id'])
  t.equal(notes.headers['x-session-cookie-1'], undefined, 'only /session repeats cookies')
})

t.test('Cognito down while the access token has expired: 503, and the cookies stay', async (t) => {
  const { emulator, proxy } = await buildBehindProxy(t, { tokenTtlSeconds: 2 })
  const env = { COGNITO_USER_POOL_ID: emulator.userPoolId, COGNITO_CLIENT_ID: emulator.clientId, COGNITO_ENDPOINT: proxy.endpoint, COGNITO_TIMEOUT_MS: '1000' }
  const fastify = await buildWithRoutes(t, { env, jwks: emulator.jwks })
  const client = new Client(fastify, emulator.mailbox)
  const email = await signedIn(client)
  const bearer = { authorization: `Bearer ${client.jar.get('__Host-access') as string}` }

  proxy.set('GetUser', { kind: 'status', status: 503 })
  const bearerDown = await get(new Client(fastify), '/session', bearer)
  t.equal(bearerDown.statusCode, 503, 'a Bearer caller whose profile Cognito cannot give now')
  t.same(bearerDown.json(), { error: 'SERVICE_UNAVAILABLE' })
  t.equal((await get(client, '/session')).statusCode, 200, 'a cookie session asks Cognito nothing')
  proxy.set('GetUser', { kind: 'exception', name: 'NotAuthorizedException', message: 'Access Token has been revoked' })
  await refusedEverywhere(t, new Client(fastify), bearer, 'a Bearer token Cognito no longer honours:')
  proxy.clear()

  await sleep(2100)
  for (const fault of [{ kind: 'status', status: 503 }, { kind: 'reset' }] as const) {
    proxy.set('InitiateAuth', fault)
    for (const url of ['/session', '/api/notes']) {
      const down = await get(client, url)
      t.equal(down.statusCode, 503, `${url}, Cognito ${fault.kind}: 503`)
      t.same(down.json(), { error: 'SERVICE_UNAVAILABLE' })
      t.same(setCookies(down), [], 'no cookie is cleared')
    }
    const greeting = await get(client, '/api/greeting')
    t.equal(greeting.statusCode, 503, 'currentUser throws rather than call the caller a stranger')
    t.equal(greeting.json().code, 'SERVICE_UNAVAILABLE')
  }
  proxy.clear()
  const back = await get(client, '/session')
  t.equal(back.statusCode, 200, 'once Cognito is back, the same cookies work')
  t.equal(back.json().user.email, email)
  t.equal(setCookies(back).length, 2)
})

t.test('without the routes of an app, /session is there all the same', async (t) => {
  const fastify = await build(t)
  t.equal((await fastify.inject({ method: 'GET', url: '/session' })).statusCode, 401)
})
