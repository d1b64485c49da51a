// The outbox in Redis (a real redis-server): two instances deliver each event once and keep each
// user's order whichever instance served the act; deliveries that gave up are listed and sent
// again by `npm run admin -- webhooks`; a 410 is shared by the instances and a replay lifts it.
import type { FastifyInstance } from 'fastify'
import t, { type Test } from 'tap'
import { runAdmin } from '../../scripts/admin.ts'
import { build, Client, CONFIRM_SIGN_UP, newEmail, PASSWORD, SIGN_IN, SIGN_OUT, SIGN_UP, standaloneEmulator } from '../helper.ts'
import { CookieJar } from '../cookie-jar.ts'
import { hasRedis, startRedis } from '../redis-server.ts'
import { FAST, Receiver, webhookEnv } from './receiver.ts'

if (!hasRedis) console.log('# skipping the Redis event tests: redis-server is not on the PATH')
const skip = !hasRedis && 'redis-server is not installed'

/** `count` instances of the server on one emulator and one Redis, all sending to `receiver`. */
async function instances (t: Test, receiver: Receiver, count: number, delivery = FAST) {
  const redis = await startRedis(t)
  const emulator = await standaloneEmulator(t)
  const env = webhookEnv(receiver, {
    COGNITO_USER_POOL_ID: emulator.userPoolId,
    COGNITO_CLIENT_ID: emulator.clientId,
    COGNITO_ENDPOINT: emulator.endpoint,
    REDIS_URL: redis.url,
    COOKIE_SECRET: 's'.repeat(40)
  })
  const logs: string[] = []
  const apps: FastifyInstance[] = []
  for (let i = 0; i < count; i++) apps.push(await build(t, { env, jwks: emulator.jwks, eventDelivery: delivery, logs: i === 0 ? logs : undefined }))
  return { apps, emulator, env, logs }
}

/** A browser whose requests go to whichever instance `app` is, with one cookie jar. */
function browserOn (apps: FastifyInstance[], mailbox: Client['mailbox']) {
  const jar = new CookieJar()
  return (app: FastifyInstance) => Object.assign(new Client(app, mailbox), { jar })
}

const admin = async (args: string[], env: Record<string, string>) => {
  const out: string[] = []
  const err: string[] = []
  const code = await runAdmin(args, env, (line) => out.push(line), (line) => err.push(line))
  return { code, out: out.join('\n'), err: err.join('\n') }
}

t.test('two instances on one Redis: each event delivered once, in order per user, whichever instance served each act', { skip }, async (t) => {
  const receiver = new Receiver()
  await receiver.start(t)
  // Every third answer fails: retries happen, on either instance.
  let calls = 0
  receiver.answer = () => ++calls % 3 === 0 ? 503 : 204
  const { apps: [a, b], emulator, logs } = await instances(t, receiver, 2, { ...FAST, claimIdleMs: 5_000 })
  t.match(logs.join(''), /app events: kept in Redis \(\{auth-events\}:outbox\) until every target has them/, 'Redis, said at start')
  const users = await Promise.all([1, 2, 3, 4].map(async (n) => {
    const on = browserOn([a as FastifyInstance, b as FastifyInstance], emulator.mailbox)
    const [first, second] = n % 2 === 0 ? [a, b] : [b, a] as FastifyInstance[]
    const email = newEmail(`two-${n}`)
    await on(first as FastifyInstance).gql(SIGN_UP, { input: { email, password: PASSWORD } })
    await on(second as FastifyInstance).gql(CONFIRM_SIGN_UP, { email, code: emulator.mailbox.list(email)[0]?.code })
    await on(first as FastifyInstance).gql(SIGN_IN, { email, password: PASSWORD })
    await on(second as FastifyInstance).gql(SIGN_OUT)
    return email
  }))
  const expected = ['user.created', 'user.confirmed', 'session.started', 'session.ended']
  const events = await receiver.waitFor((delivered) => delivered.length >= users.length * expected.length, 30_000)
  await new Promise((resolve) => setTimeout(resolve, 500))
  for (const email of users) t.same(events.filter((e) => e.data.email === email).map((e) => e.type), expected, `${email}: in order`)
  t.equal(receiver.delivered().length, users.length * expected.length, 'no event delivered twice')
  t.equal(new Set(receiver.delivered().map((e) => e.id)).size, users.length * expected.length, 'each event once')
  t.ok(receiver.deliveries.some((d) => d.status === 503), 'some attempts failed and were retried')
})

t.test('npm run admin -- webhooks failed lists what gave up; webhooks replay sends it again, with the same webhook-id', { skip }, async (t) => {
  const receiver = new Receiver()
  await receiver.start(t)
  receiver.answer = () => 500
  const { apps: [app], emulator, env } = await instances(t, receiver, 1)
  const client = new Client(app as FastifyInstance, emulator.mailbox)
  const email = newEmail('replay')
  await client.gql(SIGN_UP, { input: { email, password: PASSWORD } })
  await receiver.waitFor(() => receiver.deliveries.length === FAST.retryDelaysMs.length + 1, 10_000)
  await new Promise((resolve) => setTimeout(resolve, 300))

  const failed = await admin(['webhooks', 'failed'], env)
  t.equal(failed.code, 0)
  const [id, eventId, type, target, reason, attempts] = failed.out.split('\t')
  t.match(id, /^\d+-\d+$/)
  t.equal(eventId, receiver.deliveries[0]?.headers['webhook-id'], 'the event')
  t.same([type, target, reason, attempts], ['user.created', receiver.url, 'HTTP 500', String(FAST.retryDelaysMs.length + 1)])

  receiver.answer = () => 204
  const replay = await admin(['webhooks', 'replay', id as string], env)
  t.equal(replay.code, 0)
  t.match(replay.out, `requeued ${eventId} (user.created) for ${receiver.url}`)
  const [event] = await receiver.waitFor((events) => events.length === 1)
  t.equal(event?.id, eventId, 'delivered, with the same id')
  t.equal(receiver.deliveries.at(-1)?.headers['webhook-id'], eventId, 'and the same webhook-id')
  t.same(await admin(['webhooks', 'failed'], env), { code: 0, out: 'no failed deliveries', err: '' }, 'no longer listed')
  t.match(await admin(['webhooks', 'replay', id as string], env), { code: 1, err: /no failed delivery/ })
  t.match(await admin(['webhooks', 'replay', 'nonsense'], env), { code: 2, err: /webhooks replay needs the id/ })
  t.match(await admin(['webhooks', 'failed'], { ...env, REDIS_URL: '' }), { code: 1, err: /webhooks needs REDIS_URL/ })
})

t.test('a 410 stops deliveries on every instance; a replay that gets through resumes them', { skip }, async (t) => {
  const receiver = new Receiver()
  await receiver.start(t)
  receiver.answer = () => 410
  const { apps: [a, b], emulator, env } = await instances(t, receiver, 2)
  const email = newEmail('gone')
  await new Client(a as FastifyInstance, emulator.mailbox).gql(SIGN_UP, { input: { email, password: PASSWORD } })
  await receiver.waitFor(() => receiver.deliveries.length === 1, 10_000)
  await new Promise((resolve) => setTimeout(resolve, FAST.claimIdleMs))
  await new Client(b as FastifyInstance, emulator.mailbox).gql(CONFIRM_SIGN_UP, { email, code: emulator.mailbox.list(email)[0]?.code })
  await new Promise((resolve) => setTimeout(resolve, 500))
  t.equal(receiver.deliveries.length, 1, 'the other instance sends nothing either')
  const failed = (await admin(['webhooks', 'failed'], env)).out.split('\n').map((line) => line.split('\t'))
  t.same(failed.map(([, , type, , reason]) => [type, reason]), [['user.confirmed', 'gone'], ['user.created', 'gone']], 'both listed, newest first')

  receiver.answer = () => 204
  const eventId = failed[1]?.[1] as string
  t.equal((await admin(['webhooks', 'replay', eventId], env)).code, 0, 'replayed by the event id')
  await receiver.waitFor((events) => events.length === 1)
  await new Promise((resolve) => setTimeout(resolve, FAST.claimIdleMs))
  const client = new Client(b as FastifyInstance, emulator.mailbox)
  await client.gql(SIGN_IN, { email, password: PASSWORD })
  const events = await receiver.waitFor((delivered) => delivered.length === 2)
  t.same(events.map((e) => e.type), ['user.created', 'session.started'], 'new events flow again, from either instance')
})
