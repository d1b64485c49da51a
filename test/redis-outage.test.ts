// Redis failing under the server, with real redis-server processes stopped and started by pid:
// down at start, gone while serving, hung, and gone in the middle of a sign-in. Every operation
// answers SERVICE_UNAVAILABLE at once, nothing is half-done, and the server serves again once
// Redis is back.
import t, { type Test } from 'tap'
import { Client, ME, PASSWORD, SIGN_IN, SIGN_OUT, build, newEmail, registerUser, signedIn, type GraphQLResponse } from './helper.ts'
import { hasRedis, laterRedis, readyAgain, startRedis, twoInstances } from './redis-server.ts'

const skip = !hasRedis && 'redis-server is not installed'
const SESSIONS = '{ sessions { id current } }'

/** Runs `call`, and notes in the output how long it took (never asserted: the code is what is checked). */
async function timed<T> (t: Test, what: string, call: () => Promise<T>): Promise<T> {
  const started = performance.now()
  const result = await call()
  t.comment(`${what}: ${Math.round(performance.now() - started)} ms`)
  return result
}

/** The first answer of `ask` that `done` accepts, asking every 50 ms for three seconds at most (then the last one). */
async function within<T> (ask: () => Promise<T>, done: (answer: T) => boolean): Promise<T> {
  let answer = await ask()
  for (let i = 0; i < 60 && !done(answer); i++) {
    await new Promise((resolve) => setTimeout(resolve, 50))
    answer = await ask()
  }
  return answer
}

/** The session cookies an answer set or cleared (by name). */
const sessionCookiesOf = (res: GraphQLResponse) =>
  (res.response.cookies as Array<{ name: string }>).map((c) => c.name).filter((name) => !name.endsWith('device')).sort()

t.test('Redis down at start: the server starts, /ready answers 503, and it serves once Redis comes', { skip }, async (t) => {
  const later = await laterRedis(t)
  const app = await build(t, { env: { REDIS_URL: later.url } })
  t.equal((await app.inject('/health')).statusCode, 200, 'the process serves')
  const ready = await app.inject('/ready')
  t.equal(ready.statusCode, 503, '/ready: 503')
  t.equal(ready.json().redis, false, 'and says why')
  const client = new Client(app)
  const email = newEmail('outage')
  t.same((await timed(t, 'signIn with Redis down at start', async () => await client.gql(SIGN_IN, { email, password: PASSWORD }))).codes, ['SERVICE_UNAVAILABLE'], 'an operation that needs Redis: SERVICE_UNAVAILABLE')
  t.same((await client.gql(ME)).data, { me: null }, 'a request without a session needs no Redis')

  await later.start()
  await readyAgain(app)
  await signedIn(client, email)
  t.equal((await client.gql(ME)).data?.me.email, email, 'once Redis is up, sign-up, sign-in and me work')
  t.same((await client.gql(SIGN_OUT)).data, { signOut: true })
})

t.test('Redis gone while serving: every operation answers SERVICE_UNAVAILABLE at once, a sign-out that cannot be recorded changes nothing, and all works again once it is back', { skip }, async (t) => {
  const redis = await startRedis(t)
  const { a, b, client } = await twoInstances(t, { REDIS_URL: redis.url })
  const onA = client(a)
  const email = await signedIn(onA)
  const copy = onA.clone()
  const other = await registerUser(client(a))

  await redis.stop()
  // The instance notices the closed connection a moment later: from then on, every answer is the same.
  const me = await timed(t, 'me with a session until Redis is seen down', async () => await within(async () => await onA.gql(ME), (res) => res.codes.length > 0))
  t.same(me.codes, ['SERVICE_UNAVAILABLE'], 'me with a session: its revocation cannot be checked')
  t.same(sessionCookiesOf(me), [], 'and the cookies stay as they are')
  const signOut = await timed(t, 'signOut, Redis down', async () => await onA.gql(SIGN_OUT))
  t.same(signOut.codes, ['SERVICE_UNAVAILABLE'], 'signOut: SERVICE_UNAVAILABLE, never true')
  t.same(sessionCookiesOf(signOut), [], 'no cookie cleared: the browser still holds a session it can end later')
  t.same((await timed(t, 'signIn, Redis down', async () => await client(b).gql(SIGN_IN, { email: other, password: PASSWORD }))).codes, ['SERVICE_UNAVAILABLE'], 'signIn on the other instance: SERVICE_UNAVAILABLE')
  t.same((await client(b).gql(SIGN_OUT, { everywhere: true }, { cookie: copy.cookieHeader() })).codes, ['SERVICE_UNAVAILABLE'], 'signOut(everywhere) too')
  t.equal((await a.inject({ url: '/session', headers: { cookie: onA.cookieHeader() } })).statusCode, 503, 'GET /session (a proxy\'s check): 503')
  t.equal((await a.inject('/ready')).statusCode, 503, '/ready: 503')

  await redis.start()
  await Promise.all([readyAgain(a), readyAgain(b)])
  t.equal((await onA.gql(ME)).data?.me.email, email, 'back: the session is as it was')
  t.same((await onA.gql(SIGN_OUT)).data, { signOut: true }, 'and now the sign-out is recorded')
  t.same((await client(b).gql(ME, undefined, { cookie: copy.cookieHeader() })).data, { me: null }, 'and honoured on the other instance')
  t.equal((await client(b).gql(SIGN_IN, { email: other, password: PASSWORD })).data?.signIn.__typename, 'Session', 'sign-in works again')
})

t.test('Redis hanging (stopped, not gone): the command timeout answers SERVICE_UNAVAILABLE', { skip }, async (t) => {
  const redis = await startRedis(t)
  const app = await build(t, { env: { REDIS_URL: redis.url } })
  const email = await registerUser(new Client(app))
  redis.process.kill('SIGSTOP')
  t.teardown(() => { redis.process.kill('SIGCONT') })
  t.same((await timed(t, 'signIn, Redis hung', async () => await new Client(app).gql(SIGN_IN, { email, password: PASSWORD }))).codes, ['SERVICE_UNAVAILABLE'])
  t.equal((await app.inject('/ready')).statusCode, 503, '/ready: 503')
  redis.process.kill('SIGCONT')
  await readyAgain(app)
  t.equal((await new Client(app).gql(SIGN_IN, { email, password: PASSWORD })).data?.signIn.__typename, 'Session', 'answering again: sign-in works')
})

t.test('Redis gone in the middle of a sign-in: no session starts that could not be listed or ended', { skip }, async (t) => {
  const redis = await startRedis(t)
  const { a, client, proxy } = await twoInstances(t, { REDIS_URL: redis.url })
  const email = await registerUser(client(a))
  // Cognito answers the password after Redis has gone: the limits were counted, the session cannot be recorded.
  proxy.set('InitiateAuth', { kind: 'delay', ms: 500 })
  const browser = client(a)
  const pending = browser.gql(SIGN_IN, { email, password: PASSWORD })
  await new Promise((resolve) => setTimeout(resolve, 200))
  await redis.stop()
  const res = await pending
  t.same(res.codes, ['SERVICE_UNAVAILABLE'], 'the sign-in answers SERVICE_UNAVAILABLE')
  t.same(sessionCookiesOf(res), [], 'and sets no session cookie')
  t.equal(proxy.count('RevokeToken'), 1, 'the refresh token Cognito issued is revoked at once')

  proxy.clear()
  await redis.start()
  await readyAgain(a)
  const again = client(a)
  await again.gql(SIGN_IN, { email, password: PASSWORD })
  t.same(((await again.gql(SESSIONS)).data?.sessions as unknown[]).length, 1, 'once Redis is back, the user has exactly the session of the next sign-in')
})
