import t from 'tap'
import type { AuditEvent } from '../src/plugins/app/audit.ts'
import { build, Client, CONFIRM_SIGN_UP, newEmail, PASSWORD, REFRESH, SIGN_IN, SIGN_OUT, SIGN_UP } from './helper.ts'

t.test('one audit event per security-relevant act, logged and handed to the hook', async (t) => {
  const events: AuditEvent[] = []
  const logs: string[] = []
  const app = await build(t, { logs, onAuditEvent: (e) => events.push(e), env: { RATE_LIMITS: JSON.stringify({ 'signIn.address': { max: 4 } }) } })
  const client = new Client(app)
  const email = newEmail('audit')
  const agent = { 'user-agent': 'audit-test/1.0' }

  await client.gql(SIGN_UP, { input: { email, password: PASSWORD } }, agent)
  await client.gql(CONFIRM_SIGN_UP, { email, code: await client.code(email) }, agent)
  await client.gql(SIGN_IN, { email, password: 'Wrong-Password-1' }, agent)
  const signIn = await client.gql(SIGN_IN, { email, password: PASSWORD }, agent)
  const userId = signIn.data?.signIn.user.id as string
  await client.gql(REFRESH, undefined, agent)
  await client.gql(SIGN_OUT, undefined, agent)
  await client.gql(SIGN_IN, { email, password: 'Wrong-Password-2' }, agent)
  await client.gql(SIGN_IN, { email, password: 'Wrong-Password-3' }, agent)
  await client.gql(SIGN_IN, { email, password: PASSWORD }, agent) // the fifth in a minute: rate limited

  const summary = events.map((e) => `${e.event}:${e.outcome}${e.code !== undefined ? `:${e.code}` : ''}`)
  t.same(summary, [
    'sign-up:success',
    'sign-up-confirmed:success',
    'sign-in:failure:INVALID_CREDENTIALS',
    'sign-in:success',
    'refresh:success',
    'sign-out:success',
    'sign-in:failure:INVALID_CREDENTIALS',
    'sign-in:failure:INVALID_CREDENTIALS',
    'rate-limited:failure:TOO_MANY_REQUESTS'
  ])
  const success = events[3] as AuditEvent
  t.equal(success.userId, userId, 'the user id of a sign-in')
  t.equal(success.email, email)
  t.equal(success.address, '127.0.0.1')
  t.equal(success.userAgent, 'audit-test/1.0')
  t.match(success.requestId, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'a UUID, as in X-Request-Id')
  t.ok(Date.parse(success.at) > 0)
  t.equal(events[4]?.userId, userId, 'the user id of a refresh')
  t.equal(events[8]?.operation, 'signIn')

  const lines = logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.audit === true)
  t.equal(lines.length, events.length, 'every event is a log line too')
  t.equal(lines[3]?.reqId, success.requestId, 'in the request\'s log context')
})

t.test('a failing audit listener never fails a request', async (t) => {
  const app = await build(t, { onAuditEvent: () => { throw new Error('listener down') } })
  const res = await new Client(app).gql(SIGN_UP, { input: { email: newEmail(), password: PASSWORD } })
  t.equal(res.errors, undefined)
  t.equal(res.data?.signUp.userConfirmed, false)
})

t.test('a transparent refresh is an audit event too', async (t) => {
  const events: AuditEvent[] = []
  const app = await build(t, { onAuditEvent: (e) => events.push(e), env: { EMULATOR_TOKEN_TTL: '2' } })
  const client = new Client(app)
  const email = newEmail()
  await client.gql(SIGN_UP, { input: { email, password: PASSWORD } })
  await client.gql(CONFIRM_SIGN_UP, { email, code: await client.code(email) })
  const userId = (await client.gql(SIGN_IN, { email, password: PASSWORD })).data?.signIn.user.id as string
  await new Promise((resolve) => setTimeout(resolve, 2100))
  t.equal((await client.gql('{ me { id } }')).data?.me.id, userId)
  const refresh = events.at(-1)
  t.same({ event: refresh?.event, outcome: refresh?.outcome, operation: refresh?.operation, userId: refresh?.userId }, { event: 'refresh', outcome: 'success', operation: 'transparent', userId })
})
