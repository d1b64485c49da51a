// Every app event type, produced by its act through the API and received by a real webhook receiver
// that verifies each signature with the standardwebhooks package: exactly the documented fields, in
// the order of the acts; acts that change nothing send nothing.
import type { FastifyInstance } from 'fastify'
import t, { type Test } from 'tap'
import { addToGroup } from '../../scripts/admin.ts'
import { APP_EVENT_TYPES, appEventOf, type AppEvent } from '../../src/plugins/app/app-events.ts'
import { adminOf, DISABLE_TOTP, RELAXED_LIMITS, SETUP_TOTP, SIGN_IN_STEP_DOC, totp, VERIFY_TOTP } from '../challenge-helpers.ts'
import { SoftAuthenticator } from '../dev/soft-authenticator.ts'
import { ADMIN_DELETE, build, CHANGE_PASSWORD, Client, CONFIRM_FORGOT, CONFIRM_SIGN_UP, DELETE_ACCOUNT, FORGOT, newEmail, PASSWORD, registerUser, SIGN_IN, SIGN_OUT, SIGN_UP, signedIn } from '../helper.ts'
import { buildWithReceiver, FAST, Receiver, webhookEnv } from './receiver.ts'
import { buildFederated, PUBLIC_ORIGIN } from '../oauth-helpers.ts'

const NEW_PASSWORD = 'Another-Horse-7'
const SESSIONS = '{ sessions { id current } }'
const REVOKE = 'mutation ($id: ID!) { revokeSession(input: { id: $id }) }'
const UPDATE = 'mutation ($name: String) { updateProfile(input: { name: $name }) { name } }'
const START_PASSKEY = 'mutation { startPasskeyRegistration { publicKeyOptions } }'
const FINISH_PASSKEY = 'mutation ($credential: String!) { finishPasskeyRegistration(input: { credential: $credential }) { id } }'
const DELETE_PASSKEY = 'mutation ($id: ID!) { deletePasskey(input: { id: $id }) }'
const admin = (field: string, selection = '') => `mutation ($email: String!) { ${field}(input: { email: $email }) ${selection} }`
const ADD_TO_GROUP = 'mutation ($email: String!) { adminAddUserToGroup(input: { email: $email, group: "admin" }) { id } }'

/** The fields each type carries beside userId and email (docs/events.md). */
const EXTRA: Partial<Record<string, string[]>> = { 'session.started': ['method', 'provider'], 'session.ended': ['reason'], 'password.reset': ['by'] }

/** Every event is { id, type, timestamp, data } with exactly the documented data fields, for `userId` and `email`. */
function checkShape (t: Test, event: AppEvent, userId: string, email: string): void {
  t.same(Object.keys(event).sort(), ['data', 'id', 'timestamp', 'type'], `${event.type}: id, type, timestamp, data`)
  t.match(event.id, /^evt_[0-9a-f]{24}$/)
  t.ok(Date.now() - Date.parse(event.timestamp) < 120_000, `${event.type}: an ISO-8601 timestamp of the act`)
  t.same(Object.keys(event.data).sort(), ['email', 'userId', ...EXTRA[event.type] ?? []].sort(), `${event.type}: exactly its documented fields`)
  t.equal(event.data.userId, userId)
  t.equal(event.data.email, email)
}

async function ok (client: Client, query: string, variables?: Record<string, unknown>): Promise<Record<string, any>> {
  const res = await client.gql(query, variables)
  if (res.errors !== undefined) throw new Error(`${query.slice(0, 60)}: ${JSON.stringify(res.errors)}`)
  return res.data as Record<string, any>
}

/** A member of the admin group, signed in again so that their tokens carry it. */
async function operatorOf (t: Test, app: FastifyInstance): Promise<Client> {
  const operator = new Client(app)
  const email = await signedIn(operator, newEmail('operator'))
  await addToGroup(adminOf(t, app), email, 'admin')
  await ok(operator, SIGN_IN_STEP_DOC, { email, password: PASSWORD })
  return operator
}

t.test('each act sends its event, with exactly the documented fields, in the order of the acts', async (t) => {
  const { app, receiver } = await buildWithReceiver(t)
  const operator = await operatorOf(t, app)
  const client = new Client(app)
  const email = newEmail('events')

  await ok(client, SIGN_UP, { input: { email, password: PASSWORD } })
  await ok(client, CONFIRM_SIGN_UP, { email, code: await client.code(email) })
  const userId = (await ok(client, SIGN_IN, { email, password: PASSWORD })).signIn.user.id as string
  await ok(client, UPDATE, { name: 'Ada' })
  const secret = (await ok(client, SETUP_TOTP, { p: PASSWORD })).setupTotp.secret as string
  await ok(client, VERIFY_TOTP, { code: totp(secret) })
  await ok(client, DISABLE_TOTP, { p: PASSWORD })
  const authenticator = new SoftAuthenticator()
  const options = JSON.parse((await ok(client, START_PASSKEY)).startPasskeyRegistration.publicKeyOptions as string)
  const passkey = (await ok(client, FINISH_PASSKEY, { credential: JSON.stringify(authenticator.register(options)) })).finishPasskeyRegistration.id as string
  await ok(client, DELETE_PASSKEY, { id: passkey })
  await ok(client, CHANGE_PASSWORD, { c: PASSWORD, n: NEW_PASSWORD })
  const laptop = new Client(app)
  await ok(laptop, SIGN_IN, { email, password: NEW_PASSWORD })
  const other = ((await ok(client, SESSIONS)).sessions as Array<{ id: string, current: boolean }>).find((s) => !s.current)
  await ok(client, REVOKE, { id: other?.id })
  await ok(laptop, SIGN_IN, { email, password: NEW_PASSWORD })
  await ok(laptop, SIGN_OUT)
  await ok(client, FORGOT, { email })
  await ok(client, CONFIRM_FORGOT, { email, code: await client.code(email), p: PASSWORD })
  await ok(operator, admin('adminDisableUser', '{ id }'), { email })
  await ok(operator, admin('adminEnableUser', '{ id }'), { email })
  await ok(operator, ADD_TO_GROUP, { email })
  await ok(operator, admin('adminSignOutUser'), { email })
  await ok(operator, admin('adminResetPassword'), { email })
  await ok(client, FORGOT, { email })
  await ok(client, CONFIRM_FORGOT, { email, code: await client.code(email), p: PASSWORD })
  await ok(client, SIGN_IN, { email, password: PASSWORD })
  await ok(client, DELETE_ACCOUNT, { p: PASSWORD })

  const expected: Array<[string, Record<string, string | null>?]> = [
    ['user.created'], ['user.confirmed'], ['session.started', { method: 'PASSWORD', provider: null }], ['user.updated'],
    ['mfa.changed'], ['mfa.changed'], ['passkey.added'], ['passkey.removed'], ['password.changed'],
    ['session.started', { method: 'PASSWORD', provider: null }], ['session.ended', { reason: 'revoked' }],
    ['session.started', { method: 'PASSWORD', provider: null }], ['session.ended', { reason: 'sign-out' }],
    ['password.reset', { by: 'user' }], ['user.disabled'], ['user.enabled'], ['user.updated'],
    ['session.ended', { reason: 'admin' }], ['password.reset', { by: 'admin' }], ['password.reset', { by: 'user' }],
    ['session.started', { method: 'PASSWORD', provider: null }], ['user.deleted']
  ]
  const events = await receiver.eventsOf(userId, expected.map(([type]) => type))
  t.same(events.map((e) => e.type), expected.map(([type]) => type), 'one event per act that changed the user, in order')
  events.forEach((event, index) => {
    checkShape(t, event, userId, email)
    t.match(event.data, expected[index]?.[1] ?? {}, `${event.type}: its own fields`)
  })
  t.equal(new Set(events.map((e) => e.id)).size, events.length, 'every event has an id of its own')
  t.ok(receiver.deliveries.every((d) => d.event !== undefined), 'every delivery verified with standardwebhooks')
  t.notMatch(receiver.deliveries.map((d) => d.body).join('\n'), new RegExp(`${PASSWORD}|${NEW_PASSWORD}|eyJ`), 'no password and no token in any event')
})

t.test('an administrator\'s deletion names the deleted account; acts that change nothing send nothing', async (t) => {
  const { app, receiver } = await buildWithReceiver(t)
  const operator = await operatorOf(t, app)
  const client = new Client(app)
  const email = await registerUser(client)
  const userId = (await ok(client, SIGN_IN, { email, password: PASSWORD })).signIn.user.id as string

  // Changes nothing: a sign-up of a taken address, an unknown email, a session that is not the caller's, a passkey that is not there.
  await ok(new Client(app), SIGN_UP, { input: { email, password: PASSWORD } })
  t.equal((await ok(operator, ADMIN_DELETE, { email: 'nobody@example.com' })).adminDeleteUser, false)
  t.equal((await ok(operator, admin('adminDisableUser', '{ id }'), { email: 'nobody@example.com' })).adminDisableUser, null)
  t.equal((await ok(client, REVOKE, { id: 'not-a-session' })).revokeSession, false)
  t.equal((await ok(client, DELETE_PASSKEY, { id: 'not-a-passkey' })).deletePasskey, false)
  await ok(new Client(app), SIGN_OUT)
  await ok(client, SETUP_TOTP, { p: PASSWORD })
  t.equal((await ok(operator, ADMIN_DELETE, { email })).adminDeleteUser, true)

  const events = await receiver.eventsOf(userId, ['user.created', 'user.confirmed', 'session.started', 'user.deleted'])
  t.same(events.map((e) => e.type), ['user.created', 'user.confirmed', 'session.started', 'user.deleted'], 'only the acts that changed the account')
  checkShape(t, events[3] as AppEvent, userId, email)
  // The operator's own events (their sign-ins) are theirs: nothing else arrived for anyone.
  const others = receiver.delivered().filter((e) => e.data.userId !== userId).map((e) => e.type)
  t.same(others, ['user.created', 'user.confirmed', 'session.started', 'session.started'], 'the operator: their sign-up and sign-ins only')
})

t.test('a federated sign-in starts a session (method FEDERATED, its provider); the managed sign-out ends it', async (t) => {
  const receiver = new Receiver()
  await receiver.start(t)
  const { browser } = await buildFederated(t, { env: webhookEnv(receiver), eventDelivery: FAST })
  const b = browser()
  const email = newEmail('federated')
  t.equal((await b.signIn(email)).location, '/spa/', 'signed in through DevIdP')
  const userId = (await b.client.gql('{ me { id } }')).data?.me?.id as string
  t.equal((await b.request(`${PUBLIC_ORIGIN}/auth/oauth/logout?redirect=/spa/`)).status, 302, 'signed out')
  const events = await receiver.eventsOf(userId, ['session.started', 'session.ended'])
  t.same(events.map((e) => [e.type, e.data]), [
    ['session.started', { userId, email, method: 'FEDERATED', provider: 'DevIdP' }],
    ['session.ended', { userId, email, reason: 'sign-out' }]
  ], 'no user.created for the account the first federated sign-in made (docs/events.md)')
})

t.test('onEvent receives the same events, after the act; a throw is retried', async (t) => {
  const received: AppEvent[] = []
  let failures = 1
  const app = await build(t, {
    env: RELAXED_LIMITS,
    eventDelivery: FAST,
    onEvent: (event) => {
      if (event.type === 'user.confirmed' && failures-- > 0) throw new Error('the app\'s database is away')
      received.push(event)
    }
  })
  const client = new Client(app)
  const email = await registerUser(client)
  const until = Date.now() + 10_000
  while (received.length < 2 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 50))
  t.same(received.map((e) => [e.type, e.data.email]), [['user.created', email], ['user.confirmed', email]], 'both, the failed one retried')
})

t.test('the remembered-device acts: device.remembered and device.forgotten come from their audit events', async (t) => {
  // The remembered-device operations record `device-remembered` and `device-forgotten`; the table is what turns them into app events.
  const base = { outcome: 'success' as const, address: '127.0.0.1', requestId: 'r1', at: new Date().toISOString(), subject: { userId: 'u1', email: 'a@example.com' } }
  for (const [audit, type] of [['device-remembered', 'device.remembered'], ['device-forgotten', 'device.forgotten']] as const) {
    t.match(appEventOf({ ...base, event: audit }), { type, data: { userId: 'u1', email: 'a@example.com' } })
    t.equal(appEventOf({ ...base, event: audit, outcome: 'failure' }), undefined, `${audit}: a failure is no event`)
    t.equal(appEventOf({ ...base, event: audit, subject: undefined }), undefined, `${audit}: no account changed, no event`)
  }
  t.equal(APP_EVENT_TYPES.length, 15, 'fifteen types')
})
