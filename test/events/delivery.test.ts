// How deliveries behave, in memory (no REDIS_URL): a receiver down for a while gets every event
// afterwards in order per user; a hanging receiver is cut off by the timeout and gets the same
// webhook-id again; 410 stops deliveries; the last retry gives up; a rotated secret verifies; the
// metrics count it all; bad configuration stops the start with a line naming it.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { join } from 'node:path'
import t from 'tap'
import { Webhook } from 'standardwebhooks'
import { loadConfig } from '../../src/config.ts'
import { build, Client, newEmail, PASSWORD, registerUser, SIGN_IN, SIGN_OUT } from '../helper.ts'
import { FAST, newSecret, Receiver, webhookEnv } from './receiver.ts'

const root = join(import.meta.dirname, '..', '..')

t.test('a receiver down for a while, then up: every event arrives, in order per user', async (t) => {
  const receiver = new Receiver()
  const port = Number(new URL(await receiver.start(t)).port)
  await receiver.stop()
  const logs: string[] = []
  const app = await build(t, { logs, env: webhookEnv(receiver), eventDelivery: { ...FAST, retryDelaysMs: [300, 600, 1200, 2400, 4800] } })
  t.match(logs.join(''), /app events: kept in memory, so events not yet delivered are lost on restart/, 'memory, said at start')

  // Two users whose acts interleave while nothing answers.
  const [ada, bob] = [new Client(app), new Client(app)]
  const [adaEmail, bobEmail] = [newEmail('ada'), newEmail('bob')]
  await registerUser(ada, adaEmail)
  await registerUser(bob, bobEmail)
  for (let i = 0; i < 3; i++) {
    for (const [client, email] of [[ada, adaEmail], [bob, bobEmail]] as const) {
      await client.gql(SIGN_IN, { email, password: PASSWORD })
      await client.gql(SIGN_OUT)
    }
  }
  await new Promise((resolve) => setTimeout(resolve, 1_000))
  await receiver.start(t, port)

  const expected = ['user.created', 'user.confirmed', ...Array(3).fill(['session.started', 'session.ended']).flat()]
  const all = await receiver.waitFor((events) => events.length >= 2 * expected.length, 30_000)
  for (const email of [adaEmail, bobEmail]) {
    t.same(all.filter((e) => e.data.email === email).map((e) => e.type), expected, `${email}: every event, in the order of the acts`)
  }
  t.equal(new Set(all.map((e) => e.id)).size, all.length, 'each once')
  t.match(logs.join(''), /delivery failed; retrying later/, 'the failed attempts are logged')
})

t.test('a receiver that hangs is cut off by the timeout, and gets the same webhook-id again', async (t) => {
  const receiver = new Receiver()
  await receiver.start(t)
  let calls = 0
  receiver.answer = () => ++calls === 1 ? 'hang' : 204
  const app = await build(t, { env: webhookEnv(receiver), eventDelivery: { ...FAST, timeoutMs: 300 } })
  const started = Date.now()
  await new Client(app).gql('mutation ($input: SignUpInput!) { signUp(input: $input) { userConfirmed } }', { input: { email: newEmail(), password: PASSWORD } })
  await receiver.waitFor((events) => events.length === 1, 10_000)
  const [first, second] = receiver.deliveries
  t.equal(first?.status, 0, 'the first attempt got no answer')
  t.equal(second?.headers['webhook-id'], first?.headers['webhook-id'], 'the retry carries the same webhook-id')
  t.equal(second?.body, first?.body, 'and the same body')
  t.ok(Date.now() - started < 8_000, 'bounded by the timeout, not by the receiver')
})

t.test('410 stops deliveries to that URL, logged; the last retry gives up, logged; both are counted', async (t) => {
  const gone = new Receiver()
  await gone.start(t)
  gone.answer = () => 410
  const failing = new Receiver(gone.secret)
  await failing.start(t)
  failing.answer = () => 500
  const logs: string[] = []
  const app = await build(t, { logs, env: { ...webhookEnv(gone), WEBHOOK_URLS: `${gone.url},${failing.url}` }, eventDelivery: FAST })
  await registerUser(new Client(app))
  await failing.waitFor(() => failing.deliveries.length >= 2 * (FAST.retryDelaysMs.length + 1), 10_000)
  await new Promise((resolve) => setTimeout(resolve, 300))
  t.equal(gone.deliveries.length, 1, 'after a 410, nothing more is sent to that URL')
  t.equal(failing.deliveries.length, 2 * (FAST.retryDelaysMs.length + 1), 'each event: the first attempt and one per retry, then no more')
  const text = logs.join('')
  t.match(text, /the receiver answered 410 Gone: deliveries to it stop/)
  t.match(text, /delivery gave up after the last retry/)
  t.notMatch(text, new RegExp(gone.secret.slice(6, 20).replace(/[+/]/g, '.')), 'no secret in the logs')
  const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body
  t.match(metrics, /app_event_deliveries_total\{type="user.created",target="webhook",outcome="gone"\} 1/)
  t.match(metrics, /app_event_deliveries_total\{type="user.confirmed",target="webhook",outcome="gone"\} 1/)
  t.match(metrics, new RegExp(`app_event_deliveries_total\\{type="user.created",target="webhook",outcome="retried"\\} ${FAST.retryDelaysMs.length}`))
  t.match(metrics, /app_event_deliveries_total\{type="user.created",target="webhook",outcome="failed"\} 1/)
  t.match(metrics, /app_event_queue_age_seconds 0\n/, 'nothing waits any more')
})

t.test('the queue age shows how long the oldest undelivered event has waited', async (t) => {
  const receiver = new Receiver()
  await receiver.start(t)
  receiver.answer = () => 503
  const app = await build(t, { env: webhookEnv(receiver), eventDelivery: { ...FAST, retryDelaysMs: [60_000] } })
  await registerUser(new Client(app))
  await receiver.waitFor(() => receiver.deliveries.length >= 1, 10_000)
  await new Promise((resolve) => setTimeout(resolve, 1_100))
  const age = Number(/^app_event_queue_age_seconds (\S+)$/m.exec((await app.inject({ method: 'GET', url: '/metrics' })).body)?.[1])
  t.ok(age >= 1 && age < 60, `the oldest event has waited ${age} s`)
})

t.test('a rotated secret: every delivery is signed with each secret, so the receiver verifies with the new one', async (t) => {
  const [newer, older] = [newSecret(), newSecret()]
  const receiver = new Receiver(older)
  await receiver.start(t)
  const app = await build(t, { env: { ...webhookEnv(receiver), WEBHOOK_SECRET: `${newer},${older}` }, eventDelivery: FAST })
  const client = new Client(app)
  const email = await registerUser(client)
  await receiver.waitFor((events) => events.length === 2)
  receiver.useSecret(newer)
  await client.gql(SIGN_IN, { email, password: PASSWORD })
  await receiver.waitFor((events) => events.length === 3)
  t.ok(receiver.deliveries.every((d) => d.event !== undefined), 'verified with the old secret, then with the new one')
  const last = receiver.deliveries.at(-1)
  t.equal(String(last?.headers['webhook-signature']).split(' ').length, 2, 'two signatures: v1,… v1,…')
  t.throws(() => new Webhook(newSecret()).verify(last?.body ?? '', last?.headers as Record<string, string>), 'another secret does not verify')
})

t.test('a URL that is not https, or a secret that is not whsec_ base64 of 24 bytes: the start refuses, naming it', async (t) => {
  const secret = newSecret()
  const refused = (env: Record<string, string>, message: RegExp) => t.throws(() => loadConfig(env), message)
  refused({ WEBHOOK_URLS: 'http://example.com/hooks', WEBHOOK_SECRET: secret }, /WEBHOOK_URLS: http:\/\/example.com\/hooks is not https/)
  refused({ WEBHOOK_URLS: 'ftp://127.0.0.1/hooks', WEBHOOK_SECRET: secret }, /WEBHOOK_URLS: ftp:\/\/127.0.0.1\/hooks is not https/)
  refused({ WEBHOOK_URLS: 'not a url', WEBHOOK_SECRET: secret }, /WEBHOOK_URLS: not a url is not a URL/)
  refused({ NODE_ENV: 'production', COGNITO_USER_POOL_ID: 'eu-west-1_abc', COGNITO_CLIENT_ID: 'c', COOKIE_SECRET: 'x'.repeat(32), WEBHOOK_URLS: 'http://127.0.0.1:9/hooks', WEBHOOK_SECRET: secret }, /WEBHOOK_URLS: http:\/\/127.0.0.1:9\/hooks is not https \(http is accepted only to a loopback address, outside production\)/)
  refused({ WEBHOOK_URLS: 'https://hooks.example.com/a' }, /WEBHOOK_URLS needs WEBHOOK_SECRET/)
  refused({ WEBHOOK_SECRET: `${secret},whsec_${Buffer.alloc(16).toString('base64')}` }, /WEBHOOK_SECRET: secret 2 of 2 is not whsec_ followed by the base64 of at least 24 bytes/)
  refused({ WEBHOOK_SECRET: secret.slice(6) }, /WEBHOOK_SECRET: secret 1 of 1/)
  t.same(loadConfig({ WEBHOOK_URLS: 'https://hooks.example.com/a, http://localhost:4000/b', WEBHOOK_SECRET: ` ${secret} ` }).webhooks, { urls: ['https://hooks.example.com/a', 'http://localhost:4000/b'], secrets: [secret] })

  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: root,
    env: { ...process.env, PORT: '0', EMULATOR_DATA_DIR: t.testdir(), WEBHOOK_URLS: 'http://example.com/hooks', WEBHOOK_SECRET: 'whsec_nope' },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stderr = ''
  child.stderr.on('data', (chunk) => { stderr += String(chunk) })
  const [code] = await once(child, 'exit')
  t.equal(code, 1, 'the server does not start')
  t.equal(stderr.trim().split('\n').length, 1, 'one line')
  t.match(stderr, /WEBHOOK_URLS: http:\/\/example.com\/hooks is not https.*WEBHOOK_SECRET: secret 1 of 1/)
  t.notMatch(stderr, /whsec_nope/, 'the secret is not shown')
})
