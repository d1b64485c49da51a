import { createPrivateKey, createSign, generateKeyPairSync, type KeyObject } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import t from 'tap'
import { build, buildBehindProxy, Client, ME, signedIn } from './helper.ts'

const require = createRequire(import.meta.url)

function decode (token: string): { header: Record<string, unknown>, payload: Record<string, unknown> } {
  const [header = '', payload = ''] = token.split('.')
  return { header: JSON.parse(Buffer.from(header, 'base64url').toString()), payload: JSON.parse(Buffer.from(payload, 'base64url').toString()) }
}

function sign (header: Record<string, unknown>, payload: Record<string, unknown>, key: KeyObject): string {
  const body = `${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`
  return `${body}.${createSign('RSA-SHA256').update(body).sign(key).toString('base64url')}`
}

t.test('tokens the server did not get from its pool give no session', async (t) => {
  const app = await build(t)
  const client = new Client(app)
  await signedIn(client)
  const access = client.jar.get('__Host-access') as string
  const id = client.jar.get('__Host-id') as string
  const { header, payload } = decode(access)
  t.equal((await client.gql(ME)).errors, undefined, 'the genuine session works')

  const asCookie = async (token: string) => {
    const forged = new Client(app)
    forged.jar.set('__Host-access', token)
    forged.jar.set('__Host-id', id)
    return (await forged.gql(ME)).data
  }
  const asBearer = async (token: string) => (await new Client(app).gql(ME, undefined, { authorization: `Bearer ${token}` })).data

  // The private key shipped inside the cognito-local package: anyone can mint tokens with it.
  const shipped = JSON.parse(readFileSync(require.resolve('cognito-local/lib/keys/cognitoLocal.private.json'), 'utf8')) as { pem: string }
  const shippedKey = createPrivateKey(shipped.pem)
  const withShippedKey = sign({ ...header, kid: 'CognitoLocal' }, payload, shippedKey)
  t.same(await asCookie(withShippedKey), { me: null }, 'a token minted with the package\'s shipped key (its kid)')
  t.same(await asCookie(sign(header, payload, shippedKey)), { me: null }, 'a token minted with the shipped key under our kid')
  t.same(await asBearer(withShippedKey), { me: null }, 'the same as a Bearer token')

  const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey
  t.same(await asCookie(sign(header, payload, otherKey)), { me: null }, 'a token signed by another key')
  t.same(await asCookie(sign(header, { ...payload, sub: 'someone-else' }, otherKey)), { me: null }, 'an altered token')
  const [h, , s] = access.split('.')
  t.same(await asCookie(`${h}.${Buffer.from(JSON.stringify({ ...payload, 'cognito:groups': ['admin'] })).toString('base64url')}.${s}`), { me: null }, 'a tampered payload')

  t.same(await asCookie(id), { me: null }, 'an id token sent as the access token')
  t.same(await asBearer(id), { me: null }, 'an id token sent as a Bearer token')
  t.same(await asCookie('not-a-jwt'), { me: null }, 'garbage')
})

t.test('an expired access token without a refresh cookie gives no session', async (t) => {
  const app = await build(t, { env: { EMULATOR_TOKEN_TTL: '2' } })
  const client = new Client(app)
  await signedIn(client)
  client.jar.delete('__Host-refresh')
  t.equal((await client.gql(ME)).errors, undefined)
  await new Promise((resolve) => setTimeout(resolve, 2100))
  t.same((await client.gql(ME)).data, { me: null }, 'expired in the cookie')
  t.same((await new Client(app).gql(ME, undefined, { authorization: `Bearer ${client.jar.get('__Host-access') as string}` })).data, { me: null }, 'expired as a Bearer token')
})

t.test('tokens of another app client or another pool give no session', async (t) => {
  const { app, emulator } = await buildBehindProxy(t)
  const other = await build(t) // another emulator: another pool, other keys, another client id
  const client = new Client(other)
  await signedIn(client)
  const foreign = new Client(app, emulator.mailbox)
  foreign.jar.set('__Host-access', client.jar.get('__Host-access') as string)
  foreign.jar.set('__Host-id', client.jar.get('__Host-id') as string)
  t.same((await foreign.gql(ME)).data, { me: null })
})

t.test('a transparent refresh renews an expired access token, once for concurrent requests', async (t) => {
  const { proxy, client: newClient } = await buildBehindProxy(t, { tokenTtlSeconds: 2 })
  const client = newClient()
  const email = await signedIn(client)
  await new Promise((resolve) => setTimeout(resolve, 2100))
  const before = proxy.count('InitiateAuth')

  // Ten tabs of one browser fire at once with the same expired cookies.
  const answers = await Promise.all(Array.from({ length: 10 }, async () => await client.clone().gql(ME)))
  for (const answer of answers) t.equal(answer.data?.me?.email, email)
  t.equal(proxy.count('InitiateAuth') - before, 1, 'Cognito was asked once')
  const newAccess = new Set(answers.map((a) => a.response.cookies.find((c: { name: string }) => c.name === '__Host-access')?.value))
  t.equal(newAccess.size, 1, 'every request carried the same new access cookie')
  t.ok(answers.every((a) => a.response.headers['cache-control'] === 'no-store'), 'responses that set cookies are not cached')
  t.notOk(answers.some((a) => a.response.cookies.some((c: { name: string }) => c.name === '__Host-refresh')), 'the refresh cookie is left as it is')
})

t.test('a refresh while Cognito is down answers SERVICE_UNAVAILABLE and keeps the cookies', async (t) => {
  const { proxy, client: newClient } = await buildBehindProxy(t, { tokenTtlSeconds: 2 })
  const client = newClient()
  const email = await signedIn(client)
  await new Promise((resolve) => setTimeout(resolve, 2100))

  for (const fault of [{ kind: 'status', status: 503 }, { kind: 'hang' }, { kind: 'reset' }] as const) {
    proxy.set('InitiateAuth', fault)
    const down = await client.gql(ME)
    t.same(down.codes, ['SERVICE_UNAVAILABLE'], `Cognito ${fault.kind}`)
    t.equal(down.response.headers['set-cookie'], undefined, 'no cookie is touched')
    t.equal(client.sessionCookies().length, 3)
  }
  proxy.clear()
  t.equal((await client.gql(ME)).data?.me.email, email, 'once Cognito is back, the same cookies work')
})

t.test('the verified-token cache: bounded, and a token leaves it when it expires', async (t) => {
  const { createVerifiedCache } = await import('../src/plugins/app/token-verifier.ts')
  const cache = createVerifiedCache<{ exp: number, sub: string }>(2)
  const later = Math.floor(Date.now() / 1000) + 60
  cache.set('a', { exp: later, sub: 'a' })
  cache.set('b', { exp: later, sub: 'b' })
  cache.set('c', { exp: later, sub: 'c' })
  t.equal(cache.size, 2, 'never more than its bound')
  t.equal(cache.get('a'), undefined, 'the oldest went first')
  t.equal(cache.get('c')?.sub, 'c')
  cache.set('old', { exp: Math.floor(Date.now() / 1000) - 1, sub: 'old' })
  t.equal(cache.get('old'), undefined, 'an expired token is never served from the cache')
  t.equal(cache.get('ab'), undefined, 'only the exact token text matches')
})
