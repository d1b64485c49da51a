// Query.securityEvents: the caller's own security activity, from the audit stream, through GraphQL
// with cookie jars on the embedded emulator (memory, and Redis shared by two instances); the
// store's retention and bounds with a clock of the test's.
import t from 'tap'
import { addToGroup } from '../scripts/admin.ts'
import type { AuditEvent } from '../src/plugins/app/audit.ts'
import { Redis } from 'ioredis'
import { createMemorySecurityEventStore, createRedisSecurityEventStore, createSecurityEvents, MAX_EVENTS_PER_ACCOUNT, RETENTION_SECONDS, securityEventOf } from '../src/plugins/app/security-events.ts'
import { adminOf, RELAXED_LIMITS, RESPOND, SIGN_IN_STEP_DOC, totp, withTotp } from './challenge-helpers.ts'
import { build, CHANGE_PASSWORD, CONFIRM_FORGOT, Client, DELETE_ACCOUNT, FORGOT, newEmail, PASSWORD, registerUser, SIGN_IN, signedIn } from './helper.ts'
import { hasRedis, startRedis } from './redis-server.ts'

const EVENTS = 'query ($first: Int) { securityEvents(first: $first) { type at method ip userAgent } }'

interface Shown { type: string, at: string, method: string | null, ip: string | null, userAgent: string | null }

async function eventsOf (client: Client, first?: number): Promise<Shown[]> {
  const res = await client.gql<{ securityEvents: Shown[] }>(EVENTS, first === undefined ? {} : { first })
  if (res.errors !== undefined) throw new Error(JSON.stringify(res.errors))
  return res.data?.securityEvents ?? []
}

/** Signs `client` in with `password`, as the browser `userAgent`. */
async function signInAs (client: Client, email: string, userAgent: string, password = PASSWORD) {
  return await client.gql(SIGN_IN, { email, password }, { 'user-agent': userAgent })
}

t.test('sign-ins and failed ones with method, address and browser; sessions ended; password and MFA changes: newest first, the caller\'s own', async (t) => {
  const app = await build(t, { env: RELAXED_LIMITS })
  const email = await registerUser(new Client(app))
  const attacker = new Client(app)
  t.same((await signInAs(attacker, email, 'Attacker/1', 'Not-The-Pass-1')).codes, ['INVALID_CREDENTIALS'])
  const laptop = new Client(app)
  t.equal((await signInAs(laptop, email, 'Laptop/2')).data?.signIn?.__typename, 'Session')
  const phone = new Client(app)
  t.equal((await signInAs(phone, email, 'Phone/3')).data?.signIn?.__typename, 'Session')
  t.equal((await laptop.gql('mutation { revokeOtherSessions }')).data?.revokeOtherSessions, 1)
  t.equal((await laptop.gql(CHANGE_PASSWORD, { c: PASSWORD, n: 'Another-Pass-7' })).data?.changePassword?.__typename, 'Session')

  const events = await eventsOf(laptop)
  t.same(events.map((e) => e.type), ['password-changed', 'sessions-revoked', 'sign-in', 'sign-in', 'sign-in-failed'], 'newest first; the sign-up is no security event')
  const [, , phoneSignIn, laptopSignIn, failed] = events
  t.same([phoneSignIn?.method, phoneSignIn?.ip, phoneSignIn?.userAgent], ['PASSWORD', '127.0.0.1', 'Phone/3'], 'a sign-in: method, address and browser')
  t.equal(laptopSignIn?.userAgent, 'Laptop/2')
  t.same([failed?.method, failed?.userAgent], ['PASSWORD', 'Attacker/1'], 'the failed sign-in names the attacker\'s browser')
  t.ok(events.every((e, i) => i === 0 || Date.parse(e.at) <= Date.parse(events[i - 1]?.at ?? '')), 'by time, newest first')
  t.ok(Math.abs(Date.parse(events[0]?.at ?? '') - Date.now()) < 60_000, 'at: when it happened')
  t.same((await eventsOf(laptop, 2)).map((e) => e.type), ['password-changed', 'sessions-revoked'], 'first: how many')

  // Another user sees only their own; their failed sign-in is not this user's.
  const other = new Client(app)
  const otherEmail = await signedIn(other)
  t.same((await signInAs(new Client(app), otherEmail, 'X', 'Wrong-Pass-2')).codes, ['INVALID_CREDENTIALS'])
  t.same((await eventsOf(other)).map((e) => e.type), ['sign-in-failed', 'sign-in'], 'the other user\'s own events only')
  t.equal((await eventsOf(laptop)).length, 5, 'and this user\'s are unchanged')
})

t.test('bad input and no session: BAD_USER_INPUT for first outside 1 to 100, UNAUTHENTICATED without a session', async (t) => {
  const app = await build(t, { env: RELAXED_LIMITS })
  const client = new Client(app)
  t.same((await client.gql(EVENTS)).codes, ['UNAUTHENTICATED'])
  await signedIn(client)
  for (const first of [0, -1, 101]) {
    const res = await client.gql(EVENTS, { first })
    t.same(res.codes, ['BAD_USER_INPUT'], `first: ${first}`)
    t.equal(res.errors?.[0]?.message, 'first must be between 1 and 100.')
  }
  t.equal((await eventsOf(client, 100)).length, 1, 'first: 100 is allowed')
})

t.test('acts without a session or by an administrator count for the account they named; second-factor changes for the user', async (t) => {
  const app = await build(t, { env: RELAXED_LIMITS })
  const user = new Client(app)
  const { email, secret } = await withTotp(user)
  t.equal((await user.gql(FORGOT, { email })).errors, undefined)
  t.equal((await user.gql(CONFIRM_FORGOT, { email, code: await user.code(email), p: 'Reset-Pass-4' })).data?.confirmForgotPassword, true)

  const operator = new Client(app)
  const operatorEmail = await signedIn(operator, newEmail('operator'))
  await addToGroup(adminOf(t, app), operatorEmail, 'admin')
  await operator.gql(SIGN_IN_STEP_DOC, { email: operatorEmail, password: PASSWORD })
  t.equal((await operator.gql('mutation ($email: String!) { adminSignOutUser(input: { email: $email }) }', { email })).data?.adminSignOutUser, true)

  const back = new Client(app)
  t.equal((await back.gql(SIGN_IN_STEP_DOC, { email, password: 'Reset-Pass-4' })).data?.signIn?.name, 'SOFTWARE_TOKEN_MFA')
  t.equal((await back.gql(RESPOND, { input: { name: 'SOFTWARE_TOKEN_MFA', code: totp(secret, 1) } })).data?.respondToChallenge?.__typename, 'Session')
  const events = await eventsOf(back)
  t.same(events.map((e) => e.type), ['sign-in', 'signed-out-by-admin', 'password-reset', 'password-reset-requested', 'mfa-changed', 'mfa-changed', 'sign-in'],
    'the reset (no session) and the administrator\'s sign-out are the account\'s; the challenge half-way is no event')
  // The audit names no method for the step that answers a second factor (src/graphql/field-policy.ts, answerMethod).
  t.equal(events[0]?.method, null, 'a sign-in finished with a second factor: no method')
  t.notOk((await eventsOf(operator)).some((e) => e.type === 'signed-out-by-admin'), 'the administrator\'s own activity does not list it')
})

t.test('the store: 90 days, the newest MAX_EVENTS_PER_ACCOUNT per account, a deleted account\'s lists gone', async (t) => {
  let clock = Date.parse('2026-01-01T00:00:00Z')
  const events = createSecurityEvents({ store: createMemorySecurityEventStore(), now: () => clock })
  const audit = (details: Partial<AuditEvent>): AuditEvent => ({ event: 'sign-in', outcome: 'success', address: '10.0.0.1', requestId: 'r', at: new Date(clock).toISOString(), ...details })
  await events.record(audit({ userId: 'u1', email: 'a@example.com', method: 'PASSWORD' }))
  clock += 91 * 86_400_000
  t.same(await events.list({ userId: 'u1' }, 10), [], 'an event older than 90 days is not shown')
  t.equal(RETENTION_SECONDS, 90 * 86_400)

  for (let i = 0; i < MAX_EVENTS_PER_ACCOUNT + 20; i++) {
    clock += 1000
    await events.record(audit({ event: 'mfa-changed', userId: 'u1' }))
  }
  const kept = await events.list({ userId: 'u1' }, 1000)
  t.equal(kept.length, MAX_EVENTS_PER_ACCOUNT, 'bounded per account')
  t.equal(kept[0]?.at.getTime(), clock, 'the newest kept')

  clock += 1000
  await events.record(audit({ outcome: 'failure', code: 'INVALID_CREDENTIALS', email: 'a@example.com', userId: 'someone-signed-in' }))
  t.same((await events.list({ userId: 'someone-signed-in' }, 10)), [], 'a failed sign-in is not the signed-in caller\'s')
  t.equal((await events.list({ userId: 'u1', email: 'a@example.com' }, 1))[0]?.type, 'sign-in-failed', 'but the named account\'s')
  await events.record(audit({ event: 'account-deleted', operation: 'deleteAccount', userId: 'u1', email: 'a@example.com' }))
  t.same(await events.list({ userId: 'u1', email: 'a@example.com' }, 10), [], 'deleting the account deletes its activity')
})

t.test('which audit events a user sees, and whose they are', async (t) => {
  const base: AuditEvent = { event: 'sign-in', outcome: 'success', address: '::1', requestId: 'r', at: '2026-01-01T00:00:00.000Z' }
  t.equal(securityEventOf({ ...base, userId: 'u' })?.key, 'u:u', 'a sign-in: the user\'s')
  t.equal(securityEventOf({ ...base, outcome: 'challenge', userId: 'u' }), undefined, 'a sign-in half done is none')
  t.equal(securityEventOf({ ...base, event: 'refresh', userId: 'u' }), undefined, 'a refresh is none')
  t.equal(securityEventOf({ ...base, event: 'users-listed', userId: 'u' }), undefined, 'an administrator\'s reading is none')
  t.equal(securityEventOf({ ...base, outcome: 'failure', code: 'BAD_USER_INPUT', email: 'a@b.co' }), undefined, 'bad input is no attempt')
  t.equal(securityEventOf({ ...base, event: 'password-changed', outcome: 'failure', code: 'INVALID_CREDENTIALS', userId: 'u' }), undefined, 'only sign-ins show failures')
  t.equal(securityEventOf({ ...base, event: 'signed-out-by-admin', userId: 'admin', email: 'a@b.co', operation: 'adminSignOutUser' })?.key, 'e:a@b.co', 'an administrator\'s act: the account named')
  t.same(securityEventOf({ ...base, event: 'federated-sign-in', userId: 'u', provider: 'DevIdP', userAgent: 'x'.repeat(300) })?.stored, { type: 'federated-sign-in', at: Date.parse(base.at), method: 'DevIdP', ip: '::1', userAgent: 'x'.repeat(256) }, 'a federated sign-in: the provider as its method; the browser cut at 256 characters')
})

t.test('a deleted account\'s activity is gone: a new account of the same email starts empty', async (t) => {
  const app = await build(t, { env: RELAXED_LIMITS })
  const first = new Client(app)
  const email = await signedIn(first)
  t.same((await signInAs(new Client(app), email, 'X', 'Wrong-Pass-3')).codes, ['INVALID_CREDENTIALS'])
  t.equal((await eventsOf(first)).length, 2)
  t.equal((await first.gql(DELETE_ACCOUNT, { p: PASSWORD })).data?.deleteAccount, true)
  const second = new Client(app)
  await signedIn(second, email)
  t.same((await eventsOf(second)).map((e) => e.type), ['sign-in'], 'only the new account\'s sign-in')
})

t.test('with REDIS_URL: the activity lives in Redis, where every instance reads it', { skip: hasRedis ? false : 'no redis-server on the PATH' }, async (t) => {
  const { url } = await startRedis(t)
  const app = await build(t, { env: { ...RELAXED_LIMITS, REDIS_URL: url } })
  const browser = new Client(app)
  const email = await signedIn(browser)
  t.same((await signInAs(new Client(app), email, 'Y', 'Wrong-Pass-5')).codes, ['INVALID_CREDENTIALS'])
  const events = await eventsOf(browser)
  t.same(events.map((e) => e.type), ['sign-in-failed', 'sign-in'])
  const me = (await browser.gql('{ me { id } }')).data?.me as { id: string }

  // Another instance: its own connection, the same lists.
  const redis = new Redis(url)
  t.same((await redis.keys('auth-security-events:*')).sort(), [`auth-security-events:e:${email}`, `auth-security-events:u:${me.id}`], 'one list per account key')
  t.ok(await redis.ttl(`auth-security-events:u:${me.id}`) > RETENTION_SECONDS - 60, 'expiring 90 days after its last write')
  const elsewhere = createSecurityEvents({ store: createRedisSecurityEventStore(redis) })
  const read = await elsewhere.list({ userId: me.id, email }, 20)
  t.same(read.map((e) => ({ ...e, at: e.at.toISOString() })), events, 'what another instance reads is what this one answered')
  redis.disconnect()
})
