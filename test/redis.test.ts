// Rate limits and revocations shared by several instances through a real redis-server.
import { Redis } from 'ioredis'
import t, { type Test } from 'tap'
import { createMirroredRedisRevocationStore, createRedisRevocationStore } from '../src/plugins/app/revocation.ts'
import { createRedisSessionStore, MAX_SESSIONS_PER_USER } from '../src/plugins/app/session-registry.ts'
import { build, Client, ME, REFRESH, SIGN_IN, SIGN_OUT, signedIn, PASSWORD, standaloneEmulator } from './helper.ts'
import { hasRedis, startRedis } from './redis-server.ts'

if (!hasRedis) console.log('# skipping the Redis tests: redis-server is not on the PATH (.ci/run installs it)')

/** Two instances of the server on one Cognito (the emulator) and one Redis. */
async function twoInstances (t: Test, env: Record<string, string> = {}) {
  const redis = await startRedis(t)
  // The admin calls (sign-up looks the email up) sign with the SDK's standard credential chain.
  const emulator = await standaloneEmulator(t)
  const shared = { COGNITO_USER_POOL_ID: emulator.userPoolId, COGNITO_CLIENT_ID: emulator.clientId, COGNITO_ENDPOINT: emulator.endpoint, REDIS_URL: redis.url, COOKIE_SECRET: 's'.repeat(40), ...env }
  const a = await build(t, { env: shared, jwks: emulator.jwks })
  const b = await build(t, { env: shared, jwks: emulator.jwks })
  return { a, b, emulator, redis }
}

t.test('two instances share one rate-limit count', { skip: !hasRedis && 'redis-server is not installed' }, async (t) => {
  const { a, b } = await twoInstances(t, { RATE_LIMITS: JSON.stringify({ 'signIn.address': { max: 3 } }) })
  for (const app of [a, b, a]) t.same((await new Client(app).gql(SIGN_IN, { email: 'nobody@example.com', password: 'x' })).codes, ['INVALID_CREDENTIALS'])
  t.same((await new Client(b).gql(SIGN_IN, { email: 'nobody@example.com', password: 'x' })).codes, ['TOO_MANY_REQUESTS'], 'the fourth attempt, on the other instance, is refused')
})

t.test('two instances share one revocation', { skip: !hasRedis && 'redis-server is not installed' }, async (t) => {
  const { a, b, emulator } = await twoInstances(t)
  const onA = new Client(a, emulator.mailbox)
  const email = await signedIn(onA)
  const stolen = onA.clone()
  const onB = new Client(b, emulator.mailbox)
  for (const [name, value] of onA.jar) onB.jar.set(name, value)
  t.equal((await onB.gql(ME)).data?.me.email, email, 'instance B accepts the session of instance A')

  t.same((await onA.gql(SIGN_OUT)).data, { signOut: true }, 'signed out on A')
  const replay = new Client(b, emulator.mailbox)
  for (const [name, value] of stolen.jar) replay.jar.set(name, value)
  t.same((await replay.gql(ME)).data, { me: null }, 'B denies the replayed cookies at once')

  const laptop = new Client(a, emulator.mailbox)
  await laptop.gql(SIGN_IN, { email, password: PASSWORD })
  const phone = new Client(b, emulator.mailbox)
  await phone.gql(SIGN_IN, { email, password: PASSWORD })
  t.same((await laptop.gql(SIGN_OUT, { everywhere: true })).data, { signOut: true })
  t.same((await phone.gql(ME)).data, { me: null }, 'a global sign-out on A ends the session held on B')
})

t.test('two instances share one session list: a session of B, ended from A, is over on B at once', { skip: !hasRedis && 'redis-server is not installed' }, async (t) => {
  const { a, b, emulator } = await twoInstances(t)
  const onA = new Client(a, emulator.mailbox)
  const email = await signedIn(onA)
  const onB = new Client(b, emulator.mailbox)
  t.equal((await onB.gql(SIGN_IN, { email, password: PASSWORD })).data?.signIn?.__typename, 'Session')
  const SESSIONS = '{ sessions { id current } }'
  const fromA = (await onA.gql(SESSIONS)).data?.sessions as Array<{ id: string, current: boolean }>
  const fromB = (await onB.gql(SESSIONS)).data?.sessions as Array<{ id: string, current: boolean }>
  t.equal(fromA.length, 2, 'A lists both sessions, the one started on B included')
  t.same(fromA.map((s) => s.id).sort(), fromB.map((s) => s.id).sort(), 'B lists the same two')
  const bSession = fromB.find((s) => s.current)?.id
  t.ok(bSession !== undefined && fromA.find((s) => s.id === bSession)?.current === false, 'current is per browser')

  t.same((await onA.gql('mutation ($id: ID!) { revokeSession(input: { id: $id }) }', { id: bSession })).data, { revokeSession: true }, 'A ends the session held on B')
  t.same((await onB.clone().gql(ME)).data, { me: null }, 'B has no session at once')
  t.same((await onB.clone().gql(REFRESH)).codes, ['UNAUTHENTICATED'], 'and cannot refresh it')
  t.equal((await b.inject({ method: 'GET', url: '/session', headers: { cookie: onB.cookieHeader() } })).statusCode, 401, 'GET /session on B: 401')
  t.equal((await a.inject({ method: 'GET', url: '/session', headers: { cookie: onB.cookieHeader() } })).statusCode, 401, 'GET /session on A: 401')
  t.same(((await onA.gql(SESSIONS)).data?.sessions as unknown[]).length, 1, 'A\'s own session is left')
})

t.test('the Redis session store: records expire by themselves, a user keeps a bounded number, last-seen only for a known session', { skip: !hasRedis && 'redis-server is not installed' }, async (t) => {
  const { url } = await startRedis(t)
  const redis = new Redis(url)
  t.teardown(() => redis.disconnect())
  const prefix = `sessions-${Date.now()}:`
  const store = createRedisSessionStore(redis, prefix)
  const now = Math.floor(Date.now() / 1000)
  await store.put({ id: 's', userId: 'u', createdAt: now, lastSeenAt: now, exp: now + 60, userAgent: 'UA', ip: '127.0.0.1', refresh: 'sealed' })
  t.same(await store.get('s'), { id: 's', userId: 'u', createdAt: now, lastSeenAt: now, exp: now + 60, userAgent: 'UA', ip: '127.0.0.1', refresh: 'sealed' })
  const ttl = await redis.ttl(`${prefix}s:s`)
  t.ok(ttl > 0 && ttl <= 60, 'the record expires with its session')
  t.ok((await redis.ttl(`${prefix}u:u`)) > 0, 'and so does the user\'s index')
  await store.touch('s', now + 5)
  t.equal((await store.get('s'))?.lastSeenAt, now + 5)
  await store.touch('unknown', now)
  t.equal(await redis.exists(`${prefix}s:unknown`), 0, 'touching an unknown session creates nothing')
  for (let i = 0; i < MAX_SESSIONS_PER_USER + 5; i++) await store.put({ id: `m${i}`, userId: 'many', createdAt: now, lastSeenAt: now, exp: now + 100 + i })
  const ids = (await store.listOf('many')).map((r) => r.id)
  t.equal(ids.length, MAX_SESSIONS_PER_USER, 'bounded per user')
  t.notOk(ids.includes('m0'), 'the one ending first was dropped')
  t.equal(await redis.exists(`${prefix}s:m0`), 0, 'with its record')
  await store.remove('s')
  t.same(await store.listOf('u'), [], 'removed')
})

t.test('the Redis revocation store', { skip: !hasRedis && 'redis-server is not installed' }, async (t) => {
  const { url } = await startRedis(t)
  const redis = new Redis(url)
  t.teardown(() => redis.disconnect())
  const prefix = `test-${Date.now()}:`
  const store = createRedisRevocationStore(redis, prefix)
  const now = Math.floor(Date.now() / 1000)
  await store.add('k', now + 60)
  t.ok(await store.has('k'))
  t.notOk(await store.has('other'))
  t.ok(await store.addIfAbsent('once', now + 60), 'the first claim wins')
  t.notOk(await store.addIfAbsent('once', now + 60), 'a replay loses')
  await store.setNotBefore('u', now, now + 60)
  await store.setNotBefore('u', now - 100, now + 60)
  t.equal(await store.notBefore('u'), now, 'a mark never moves back')
  t.equal(await store.notBefore('nobody'), undefined)
  const ttl = await redis.ttl(`${prefix}k`)
  t.ok(ttl > 0 && ttl <= 60, 'entries expire by themselves')
})

t.test('readiness follows Redis', { skip: !hasRedis && 'redis-server is not installed' }, async (t) => {
  const { url, process: server } = await startRedis(t)
  const app = await build(t, { env: { REDIS_URL: url } })
  t.equal((await app.inject('/ready')).statusCode, 200)
  server.kill('SIGTERM')
  await new Promise((resolve) => server.once('exit', resolve))
  const down = await app.inject('/ready')
  t.equal(down.statusCode, 503)
  t.equal(down.json().redis, false)
})

t.test('the mirrored store answers from memory, learns of other instances\' writes at once, and falls back to Redis', { skip: !hasRedis && 'redis-server is not installed' }, async (t) => {
  const { url } = await startRedis(t)
  const admin = new Redis(url)
  const connections = [admin]
  const open = () => { const r = new Redis(url); connections.push(r); return r }
  t.teardown(() => { for (const r of connections) r.disconnect() })
  const prefix = `mirror-${Date.now()}:`
  const now = Math.floor(Date.now() / 1000)
  await admin.set(`${prefix}session:before-start`, '1', 'EXAT', now + 60)

  const a = createMirroredRedisRevocationStore(open(), open(), prefix)
  const b = createMirroredRedisRevocationStore(open(), open(), prefix)
  t.teardown(async () => { await a.close(); await b.close() })
  await Promise.all([a.ready, b.ready])
  t.ok(await b.has('session:before-start'), 'what was revoked before the instance started is loaded')

  await a.add('session:x', now + 60)
  await a.setNotBefore('user-1', now, now + 60)
  await new Promise((resolve) => setTimeout(resolve, 100))
  const exists = async () => Number(/cmdstat_exists:calls=(\d+)/.exec(await admin.info('commandstats'))?.[1] ?? 0)
  const before = await exists()
  let seen = 0
  for (let i = 0; i < 100; i++) if (await b.has('session:x')) seen++
  t.equal(seen, 100, 'the revocation written on A is seen on B')
  t.equal(await b.notBefore('user-1'), now, 'a global sign-out mark reached the other instance')
  t.equal(await exists(), before, 'a hundred checks cost no round trip to Redis')
})
