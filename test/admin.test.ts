// The admin group's operations over GraphQL: users (filter, pages), disabling, enabling, groups,
// signing out and resetting a password, each audited with the administrator's id, and what each
// does to the target user's live sessions (their old cookies replayed), on the embedded emulator.
import type { FastifyInstance } from 'fastify'
import t, { type Test } from 'tap'
import { addToGroup } from '../scripts/admin.ts'
import type { AuditEvent } from '../src/plugins/app/audit.ts'
import { build, Client, type GraphQLResponse, CONFIRM_FORGOT, ME, newEmail, PASSWORD, REFRESH, registerUser, signedIn, SIGN_IN } from './helper.ts'
import { adminOf, failsWith, RELAXED_LIMITS, SIGN_IN_STEP_DOC } from './challenge-helpers.ts'

const env = { ...RELAXED_LIMITS }
const ADMIN_USER = 'email id enabled status groups'
const DISABLE = `mutation ($email: String!) { adminDisableUser(input: { email: $email }) { ${ADMIN_USER} } }`
const ENABLE = `mutation ($email: String!) { adminEnableUser(input: { email: $email }) { ${ADMIN_USER} } }`
const ADD = `mutation ($email: String!, $group: String!) { adminAddUserToGroup(input: { email: $email, group: $group }) { ${ADMIN_USER} } }`
const REMOVE = `mutation ($email: String!, $group: String!) { adminRemoveUserFromGroup(input: { email: $email, group: $group }) { ${ADMIN_USER} } }`
const SIGN_OUT_USER = 'mutation ($email: String!) { adminSignOutUser(input: { email: $email }) }'
const RESET = 'mutation ($email: String!) { adminResetPassword(input: { email: $email }) }'
const USERS = `query ($filter: String, $first: Int, $after: String) {
  users(filter: $filter, first: $first, after: $after) { nodes { id email emailVerified name groups enabled status createdAt } endCursor hasNextPage }
}`

/** A member of the admin group, signed in (their tokens carry the group). */
async function operatorOf (t: Test, app: FastifyInstance): Promise<{ client: Client, email: string }> {
  const client = new Client(app)
  const email = await signedIn(client, newEmail('operator'))
  await addToGroup(adminOf(t, app), email, 'admin')
  await client.gql(SIGN_IN_STEP_DOC, { email, password: PASSWORD })
  return { client, email }
}

/** A signed-in user, and a copy of their cookies as they are now (to replay after the operation). */
async function victimOf (app: FastifyInstance, label = 'victim'): Promise<{ client: Client, email: string, old: Client }> {
  const client = new Client(app)
  const email = await signedIn(client, newEmail(label))
  return { client, email, old: client.clone() }
}

/** The replayed cookies of an ended session: no `me`, no refresh, 401 at GET /session. */
async function sessionEnded (t: Test, app: FastifyInstance, old: Client, what: string): Promise<void> {
  t.same((await old.clone().gql(ME)).data, { me: null }, `${what}: me is null`)
  failsWith(t, await old.clone().gql(REFRESH), 'UNAUTHENTICATED')
  const session = await app.inject({ method: 'GET', url: '/session', headers: { cookie: old.cookieHeader() } })
  t.equal(session.statusCode, 401, `${what}: GET /session is 401`)
}

/** Audit events as the app records them. */
function auditTrail (): { events: AuditEvent[], onAuditEvent: (e: AuditEvent) => void } {
  const events: AuditEvent[] = []
  return { events, onAuditEvent: (e) => { events.push(e) } }
}

t.test('every admin operation: UNAUTHENTICATED without a session, FORBIDDEN for a member outside the admin group', async (t) => {
  const app = await build(t, { env })
  const target = await registerUser(new Client(app))
  const member = new Client(app)
  await signedIn(member)
  for (const [query, variables, field] of [
    [USERS, {}, 'users'],
    [DISABLE, { email: target }, 'adminDisableUser'],
    [ENABLE, { email: target }, 'adminEnableUser'],
    [ADD, { email: target, group: 'admin' }, 'adminAddUserToGroup'],
    [REMOVE, { email: target, group: 'admin' }, 'adminRemoveUserFromGroup'],
    [SIGN_OUT_USER, { email: target }, 'adminSignOutUser'],
    [RESET, { email: target }, 'adminResetPassword']
  ] as const) {
    const forbidden = await member.gql(query, variables)
    failsWith(t, forbidden, 'FORBIDDEN', /not allowed/)
    t.same(forbidden.data, { [field]: null }, `${field}: FORBIDDEN for a member`)
    failsWith(t, await new Client(app).gql(query, variables), 'UNAUTHENTICATED')
  }
  t.equal((await new Client(app).gql(SIGN_IN, { email: target, password: PASSWORD })).data?.signIn.__typename, 'Session', 'the target was not touched')
})

t.test('adminDisableUser ends every session at once and refuses sign-in; adminEnableUser lets the user sign in again', async (t) => {
  const audit = auditTrail()
  const app = await build(t, { env, onAuditEvent: audit.onAuditEvent })
  const operator = await operatorOf(t, app)
  const victim = await victimOf(app)
  const operatorId = (await operator.client.gql(ME)).data?.me.id

  const disabled = await operator.client.gql(DISABLE, { email: victim.email.toUpperCase() })
  t.equal(disabled.errors, undefined)
  t.match(disabled.data?.adminDisableUser, { email: victim.email, enabled: false, status: 'CONFIRMED', groups: [] })
  await sessionEnded(t, app, victim.old, 'disabled')
  t.same((await victim.client.gql(ME)).data, { me: null }, 'the live browser has no session either')
  failsWith(t, await new Client(app).gql(SIGN_IN, { email: victim.email, password: PASSWORD }), 'INVALID_CREDENTIALS')
  t.match(audit.events.find((e) => e.event === 'account-disabled'), { outcome: 'success', userId: operatorId, email: victim.email, operation: 'adminDisableUser' },
    'audited with the administrator\'s id and the account\'s email')

  const enabled = await operator.client.gql(ENABLE, { email: victim.email })
  t.match(enabled.data?.adminEnableUser, { email: victim.email, enabled: true })
  t.match(audit.events.find((e) => e.event === 'account-enabled'), { outcome: 'success', userId: operatorId, email: victim.email })
  await sessionEnded(t, app, victim.old, 'enabled again: the old session stays ended')
  const again = new Client(app)
  t.equal((await again.gql(SIGN_IN, { email: victim.email, password: PASSWORD })).data?.signIn.__typename, 'Session', 'a new sign-in works')
  t.equal((await again.gql(ME)).data?.me.email, victim.email)

  t.same((await operator.client.gql(DISABLE, { email: newEmail('nobody') })).data, { adminDisableUser: null }, 'no such account: null')
  t.same((await operator.client.gql(ENABLE, { email: newEmail('nobody') })).data, { adminEnableUser: null })
  failsWith(t, await operator.client.gql(DISABLE, { email: 'not-an-email' }), 'BAD_USER_INPUT')
  t.equal((await operator.client.gql(ME)).data?.me.email, operator.email, 'the administrator\'s own session goes on')
})

t.test('adminSignOutUser ends every session of the user at once; they can sign in again', async (t) => {
  const audit = auditTrail()
  const app = await build(t, { env, onAuditEvent: audit.onAuditEvent })
  const operator = await operatorOf(t, app)
  const victim = await victimOf(app)
  const phone = new Client(app)
  await phone.gql(SIGN_IN, { email: victim.email, password: PASSWORD })

  t.same((await operator.client.gql(SIGN_OUT_USER, { email: victim.email })).data, { adminSignOutUser: true })
  await sessionEnded(t, app, victim.old, 'signed out')
  t.same((await phone.gql(ME)).data, { me: null }, 'the other browser too')
  t.match(audit.events.find((e) => e.event === 'signed-out-by-admin'), { outcome: 'success', email: victim.email, operation: 'adminSignOutUser' })
  t.equal((await new Client(app).gql(SIGN_IN, { email: victim.email, password: PASSWORD })).data?.signIn.__typename, 'Session')
  t.same((await operator.client.gql(SIGN_OUT_USER, { email: newEmail('nobody') })).data, { adminSignOutUser: false }, 'no such account: false')

  t.same((await operator.client.gql(SIGN_OUT_USER, { email: operator.email })).data, { adminSignOutUser: true }, 'an administrator may sign themself out')
  t.same((await operator.client.gql(ME)).data, { me: null }, 'and then has no session')
})

t.test('adminResetPassword: sessions end, sign-in answers PASSWORD_RESET_REQUIRED, the emailed code sets a new password', async (t) => {
  const audit = auditTrail()
  const app = await build(t, { env, onAuditEvent: audit.onAuditEvent })
  const operator = await operatorOf(t, app)
  const victim = await victimOf(app)

  t.same((await operator.client.gql(RESET, { email: victim.email })).data, { adminResetPassword: true })
  await sessionEnded(t, app, victim.old, 'reset')
  t.match(audit.events.find((e) => e.event === 'password-reset-by-admin'), { outcome: 'success', email: victim.email })
  failsWith(t, await new Client(app).gql(SIGN_IN, { email: victim.email, password: PASSWORD }), 'PASSWORD_RESET_REQUIRED')
  const user = new Client(app)
  t.same((await user.gql(CONFIRM_FORGOT, { email: victim.email, code: await user.code(victim.email), p: 'Brand-New-Horse-7' })).data, { confirmForgotPassword: true })
  t.equal((await user.gql(SIGN_IN, { email: victim.email, password: 'Brand-New-Horse-7' })).data?.signIn.__typename, 'Session', 'the new password signs in')
  t.same((await operator.client.gql(RESET, { email: newEmail('nobody') })).data, { adminResetPassword: false })
})

t.test('groups: added and removed, shown at once to the administrator and in the user\'s tokens at their next refresh', async (t) => {
  const audit = auditTrail()
  const app = await build(t, { env, onAuditEvent: audit.onAuditEvent })
  const operator = await operatorOf(t, app)
  const victim = await victimOf(app)
  t.same((await victim.client.gql(ME)).data?.me.groups, [])

  const added = await operator.client.gql(ADD, { email: victim.email, group: 'admin' })
  t.match(added.data?.adminAddUserToGroup, { email: victim.email, groups: ['admin'] })
  t.match(audit.events.find((e) => e.event === 'groups-changed'), { outcome: 'success', email: victim.email, operation: 'adminAddUserToGroup' })
  t.same((await victim.client.gql(ME)).data?.me.groups, [], 'the tokens in hand stay as they were')
  t.equal((await victim.client.gql(REFRESH)).errors, undefined)
  t.same((await victim.client.gql(ME)).data?.me.groups, ['admin'], 'the next refresh carries the group')
  t.same((await victim.client.gql(USERS, { first: 1 })).codes, [], 'and with it the admin operations')

  const phone = new Client(app)
  await phone.gql(SIGN_IN, { email: victim.email, password: PASSWORD })
  t.same((await phone.gql(ME)).data?.me.groups, ['admin'])
  const removed = await operator.client.gql(REMOVE, { email: victim.email, group: 'admin' })
  t.match(removed.data?.adminRemoveUserFromGroup, { groups: [] })
  t.equal((await phone.gql(REFRESH)).errors, undefined, 'the user\'s sessions go on: a group change ends none')
  t.same((await phone.gql(ME)).data?.me.groups, [], 'the next refresh carries the removal')

  failsWith(t, await operator.client.gql(ADD, { email: victim.email, group: 'no-such-group' }), 'BAD_USER_INPUT', /no group named/)
  failsWith(t, await operator.client.gql(ADD, { email: victim.email, group: '  ' }), 'BAD_USER_INPUT')
  t.same((await operator.client.gql(ADD, { email: newEmail('nobody'), group: 'admin' })).data, { adminAddUserToGroup: null })
  t.same((await operator.client.gql(REMOVE, { email: newEmail('nobody'), group: 'admin' })).data, { adminRemoveUserFromGroup: null })
})

t.test('users: an email-prefix filter, pages of `first` with an opaque cursor, and bad input refused', async (t) => {
  const audit = auditTrail()
  const app = await build(t, { env, onAuditEvent: audit.onAuditEvent })
  const operator = await operatorOf(t, app)
  const prefix = `page${process.pid}x`
  const emails: string[] = []
  for (let i = 0; i < 5; i++) emails.push(await registerUser(new Client(app), `${prefix}${i}@example.com`, PASSWORD, `User ${i}`))
  await registerUser(new Client(app), `other${process.pid}@example.com`)
  await addToGroup(adminOf(t, app), emails[0] as string, 'admin')

  const seen: string[] = []
  let after: string | null = null
  let pages = 0
  do {
    const res: GraphQLResponse = await operator.client.gql(USERS, { filter: prefix.toUpperCase(), first: 2, after })
    t.equal(res.errors, undefined)
    const page = res.data?.users
    t.ok(page.nodes.length <= 2, 'no more than `first` a page')
    seen.push(...page.nodes.map((n: { email: string }) => n.email))
    t.equal(page.hasNextPage, page.endCursor !== null, 'a cursor exactly when there is more')
    after = page.endCursor
    pages++
  } while (after !== null && pages < 10)
  t.equal(pages, 3, 'five users in pages of two')
  t.same([...seen].sort(), emails, 'every user of the prefix once, and no other')

  const first = (await operator.client.gql(USERS, { filter: `${prefix}0` })).data?.users
  t.match(first, { hasNextPage: false, endCursor: null, nodes: [{ email: emails[0], emailVerified: true, name: 'User 0', groups: ['admin'], enabled: true, status: 'CONFIRMED' }] })
  t.ok(Date.parse(first.nodes[0].createdAt) > Date.now() - 600_000, 'createdAt is when the account was made')
  t.same((await operator.client.gql(USERS, { filter: 'no"such\\prefix' })).data?.users, { nodes: [], endCursor: null, hasNextPage: false }, 'quotes and backslashes are escaped, not a broken filter')

  for (const [variables, why] of [
    [{ first: 0 }, 'first below 1'],
    [{ first: 61 }, 'first above Cognito\'s 60'],
    [{ filter: 'with space' }, 'a filter with a space'],
    [{ filter: 'x'.repeat(300) }, 'a filter longer than an email'],
    [{ after: 'not a cursor' }, 'a cursor with spaces'],
    [{ after: 'bm90LWEtY3Vyc29y' }, 'a cursor Cognito did not issue']
  ] as const) {
    const res = await operator.client.gql(USERS, variables)
    failsWith(t, res, 'BAD_USER_INPUT')
    t.same(res.data, { users: null }, why)
  }
  // Cognito's ListUsers takes a filter of 256 characters at most: a prefix within an email's 254
  // whose filter (email ^= "…", quotes and backslashes escaped) is longer is refused by the server
  // itself, with its own message, not sent.
  for (const [filter, why] of [['a'.repeat(250), 'a prefix of 250 characters'], ['"'.repeat(124), '124 quotes, escaped to 248']] as const) {
    const res = await operator.client.gql(USERS, { filter })
    failsWith(t, res, 'BAD_USER_INPUT', /^The email to look up is too long/)
    t.same(res.data, { users: null }, why)
  }
  t.match((await operator.client.gql(USERS, { filter: 'a'.repeat(245) })).data?.users, { nodes: [] }, 'a filter of exactly 256 characters is sent')
  t.match(audit.events.find((e) => e.event === 'users-listed'), { outcome: 'success', operation: 'Query.users' })
})

// A refresh repeated within REFRESH_REUSE_MS (30 s) of the last one with the same refresh cookie
// is answered with the tokens that refresh got (src/plugins/app/session-lifecycle.ts,
// refreshOnce), unless the user changed since they were issued: a group change leaves a "user
// changed" mark (revocation.ts) the reuse consults.
t.test('a group change made inside the refresh reuse window shows at the next refresh', async (t) => {
  const app = await build(t, { env })
  const operator = await operatorOf(t, app)
  const victim = await victimOf(app)
  t.equal((await victim.client.gql(REFRESH)).errors, undefined, 'a refresh: its tokens are reused for 30 s')
  t.match((await operator.client.gql(ADD, { email: victim.email, group: 'admin' })).data?.adminAddUserToGroup, { groups: ['admin'] })
  t.equal((await victim.old.gql(REFRESH)).errors, undefined)
  t.same((await victim.old.gql(ME)).data?.me.groups, ['admin'], 'the refresh right after the change carries it')
})
