import { randomBytes } from 'node:crypto'
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import {
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminGetUserCommand,
  ListUsersCommand
} from '@aws-sdk/client-cognito-identity-provider'
import { loadConfig } from '../src/config.ts'
import { adminOf, build, buildBehindProxy, Client, CONFIRM_SIGN_UP, ME, PASSWORD, SIGN_IN, SIGN_UP, type GraphQLResponse } from './helper.ts'

// The contract (README "Errors"): signIn, signUp, confirmSignUp, resendConfirmationCode, forgotPassword and
// confirmForgotPassword answer identically for an unknown email and for every account state,
// unless REVEAL_USER_EXISTENCE is on.

type Tap = Parameters<typeof build>[0]

/** A policy-valid password that is nobody's. */
const WRONG_PASSWORD = 'Wrong-Horse-7'
/** A policy-valid password for a reset. */
const NEW_PASSWORD = 'Brand-New-Horse-8'
/** A code nobody was sent (the emulator's codes are random six-digit strings). */
const WRONG_CODE = '000000'
/** The temporary password of the account an administrator creates (not PASSWORD: it would start a challenge). */
const TEMPORARY_PASSWORD = 'Temporary-Horse-3'

const FORGOT_PASSWORD = 'mutation ($email: String!) { forgotPassword(input: { email: $email }) { medium destination } }'
const RESEND = 'mutation ($email: String!) { resendConfirmationCode(input: { email: $email }) { medium destination } }'
const CONFIRM_FORGOT = `mutation ($email: String!, $code: String!, $p: String!) {
  confirmForgotPassword(input: { email: $email, code: $code, newPassword: $p })
}`

/**
 * Every address starts with `u` at `example.com`, so the masked CodeDelivery destinations
 * (`u***@e***.com`) are the same whatever the account.
 */
function uEmail (): string {
  return `u-${randomBytes(6).toString('hex')}@example.com`
}

type State = 'unknown' | 'unconfirmed' | 'confirmed' | 'disabled' | 'disabled unconfirmed' | 'admin-created'
const STATES = ['unconfirmed', 'confirmed', 'disabled', 'disabled unconfirmed', 'admin-created'] as const

/**
 * One account of every state, built through the API (sign-up, confirmation with the mailbox
 * code); the disabled ones through AdminDisableUser, and one an administrator created
 * (AdminCreateUser: FORCE_CHANGE_PASSWORD, with TEMPORARY_PASSWORD). The others have PASSWORD.
 */
async function accounts (t: Tap, client: Client, pool: Parameters<typeof adminOf>[1]): Promise<Record<State, string>> {
  const { cognito, userPoolId: UserPoolId } = adminOf(t, pool)
  const signUp = async (email: string) => {
    const res = await client.gql(SIGN_UP, { input: { email, password: PASSWORD } })
    if (res.errors !== undefined) throw new Error(`sign-up failed: ${JSON.stringify(res.errors)}`)
  }
  const confirm = async (email: string) => {
    const res = await client.gql(CONFIRM_SIGN_UP, { email, code: await client.code(email) })
    if (res.data?.confirmSignUp !== true) throw new Error(`confirmation failed: ${JSON.stringify(res.errors)}`)
  }
  const made: Record<State, string> = {
    unknown: uEmail(),
    unconfirmed: uEmail(),
    confirmed: uEmail(),
    disabled: uEmail(),
    'disabled unconfirmed': uEmail(),
    'admin-created': uEmail()
  }
  await signUp(made.unconfirmed)
  await signUp(made.confirmed)
  await confirm(made.confirmed)
  await signUp(made.disabled)
  await confirm(made.disabled)
  await cognito.send(new AdminDisableUserCommand({ UserPoolId, Username: made.disabled }))
  await signUp(made['disabled unconfirmed'])
  await cognito.send(new AdminDisableUserCommand({ UserPoolId, Username: made['disabled unconfirmed'] }))
  await cognito.send(new AdminCreateUserCommand({
    UserPoolId,
    Username: made['admin-created'],
    TemporaryPassword: TEMPORARY_PASSWORD,
    DesiredDeliveryMediums: ['EMAIL'],
    UserAttributes: [{ Name: 'email', Value: made['admin-created'] }, { Name: 'email_verified', Value: 'true' }]
  }))
  return made
}

/** What a client can observe of an answer, with the address it sent replaced by a placeholder. */
function observed (res: GraphQLResponse, email: string): unknown {
  const seen = JSON.stringify({ status: res.status, data: res.data, errors: res.errors })
  return JSON.parse(seen.split(email).join('<email>'))
}

interface Operation {
  name: string
  /** Sends the operation for `email` with the same input for every account. */
  send: (client: Client, email: string) => Promise<GraphQLResponse>
  /** What the answer for an unknown email is expected to look like (a sanity check of the baseline). */
  baseline: Record<string, unknown>
  /** States left out: the right password does sign a confirmed user in. */
  except?: State[]
}

const OPERATIONS: Operation[] = [
  {
    name: 'signIn with a wrong password',
    send: (c, email) => c.gql(SIGN_IN, { email, password: WRONG_PASSWORD }),
    baseline: { codes: ['INVALID_CREDENTIALS'] }
  },
  {
    name: 'signIn with the account\'s password',
    send: (c, email) => c.gql(SIGN_IN, { email, password: PASSWORD }),
    baseline: { codes: ['INVALID_CREDENTIALS'] },
    except: ['confirmed']
  },
  {
    name: 'signUp',
    send: (c, email) => c.gql(SIGN_UP, { input: { email, password: PASSWORD } }),
    baseline: { data: { signUp: { userConfirmed: false, codeDelivery: { medium: 'EMAIL', destination: 'u***@e***.com' } } } }
  },
  {
    name: 'confirmSignUp with a wrong code',
    send: (c, email) => c.gql(CONFIRM_SIGN_UP, { email, code: WRONG_CODE }),
    baseline: { codes: ['CODE_MISMATCH'] }
  },
  {
    name: 'resendConfirmationCode',
    send: (c, email) => c.gql(RESEND, { email }),
    baseline: { data: { resendConfirmationCode: { medium: 'EMAIL', destination: 'u***@e***.com' } } }
  },
  {
    name: 'forgotPassword',
    send: (c, email) => c.gql(FORGOT_PASSWORD, { email }),
    baseline: { data: { forgotPassword: { medium: 'EMAIL', destination: 'u***@e***.com' } } }
  },
  {
    name: 'confirmForgotPassword with a wrong code',
    send: (c, email) => c.gql(CONFIRM_FORGOT, { email, code: WRONG_CODE, p: NEW_PASSWORD }),
    baseline: { codes: ['CODE_MISMATCH'] }
  },
  {
    name: 'confirmForgotPassword with a password that breaks the policy',
    send: (c, email) => c.gql(CONFIRM_FORGOT, { email, code: WRONG_CODE, p: 'weak' }),
    baseline: { codes: ['INVALID_PASSWORD'] }
  }
]

for (const operation of OPERATIONS) {
  t.test(`${operation.name} answers the same for an unknown email and every account state`, async (t) => {
    // Fresh accounts for every operation: an earlier operation (a reset code, a resent code)
    // would otherwise change the state the next one sees.
    const app = await build(t)
    const emails = await accounts(t, new Client(app), app)
    const unknown = await operation.send(new Client(app), emails.unknown)
    t.match(unknown, operation.baseline, 'the answer for an unknown email is the expected one')
    for (const e of unknown.errors ?? []) t.notMatch(e.message, /Exception/, 'no AWS exception name')

    const expected = observed(unknown, emails.unknown)
    for (const state of STATES) {
      if (operation.except?.includes(state) === true) continue
      const res = await operation.send(new Client(app), emails[state])
      t.same(observed(res, emails[state]), expected, `${state} account: same answer as an unknown email`)
    }
  })
}

/** Every user of the pool with this email. */
async function usersWithEmail (t: Tap, app: FastifyInstance, email: string) {
  const { cognito, userPoolId: UserPoolId } = adminOf(t, app)
  const { Users = [] } = await cognito.send(new ListUsersCommand({ UserPoolId }))
  return Users.filter((u) => u.Attributes?.some((a) => a.Name === 'email' && a.Value?.toLowerCase() === email))
}

t.test('when Cognito\'s per-user limits answer, the answers are still those for an unknown email', async (t) => {
  const { emulator, proxy, client: newClient } = await buildBehindProxy(t)
  const emails = await accounts(t, newClient(), emulator)

  const limited: Array<[string, string]> = [
    ['confirmSignUp with a wrong code', 'ConfirmSignUp'],
    ['resendConfirmationCode', 'ResendConfirmationCode'],
    ['forgotPassword', 'ForgotPassword'],
    ['confirmForgotPassword with a wrong code', 'ConfirmForgotPassword']
  ]
  for (const [name, target] of limited) {
    const operation = OPERATIONS.find((o) => o.name === name) as Operation
    proxy.clear()
    const unknown = await operation.send(newClient(), emails.unknown)
    t.match(unknown, operation.baseline, `${name}: the answer for an unknown email`)
    const expected = observed(unknown, emails.unknown)
    proxy.set(target, { kind: 'exception', name: 'LimitExceededException', message: 'Attempt limit exceeded, please try after some time.' })
    for (const state of ['unknown', ...STATES] as const) {
      const res = await operation.send(newClient(), emails[state])
      t.same(observed(res, emails[state]), expected, `${name}, ${state} account, LimitExceededException: same answer as an unknown email`)
    }
  }
})

t.test('signUp with a registered email answers like a fresh sign-up and changes nothing', async (t) => {
  // An unconfirmed account is the exception: a sign-up replaces it (see pre-hijack.test.ts).
  const app = await build(t)
  const { cognito, userPoolId: UserPoolId } = adminOf(t, app)
  const emails = await accounts(t, new Client(app), app)
  const fresh = await new Client(app).gql(SIGN_UP, { input: { email: emails.unknown, password: 'Other-Horse-5', name: 'Mallory' } })
  t.equal(fresh.errors, undefined)
  const expected = observed(fresh, emails.unknown)

  for (const state of ['confirmed', 'disabled', 'disabled unconfirmed', 'admin-created'] as const) {
    const email = emails[state]
    const before = await cognito.send(new AdminGetUserCommand({ UserPoolId, Username: email }))
    const mailBefore = app.emulator?.mailbox.list(email).length

    const again = await new Client(app).gql(SIGN_UP, { input: { email, password: 'Other-Horse-5', name: 'Mallory' } })
    t.same(observed(again, email), expected, `${state}: the answer is a fresh sign-up's`)

    t.equal((await usersWithEmail(t, app, email)).length, 1, `${state}: no second user with that email`)
    const after = await cognito.send(new AdminGetUserCommand({ UserPoolId, Username: email }))
    t.equal(after.Username, before.Username, `${state}: the same user`)
    t.equal(after.UserStatus, before.UserStatus, `${state}: its status is unchanged`)
    t.equal(after.Enabled, before.Enabled, `${state}: still enabled, or still disabled`)
    t.same(after.UserAttributes, before.UserAttributes, `${state}: its attributes (no name) are unchanged`)
    t.equal(app.emulator?.mailbox.list(email).length, mailBefore, `${state}: no code was sent to the owner`)
  }

  const owner = new Client(app)
  const signIn = await owner.gql(SIGN_IN, { email: emails.confirmed, password: PASSWORD })
  t.equal(signIn.data?.signIn.__typename, 'Session', 'the original password still signs in')
  t.same((await owner.gql(ME)).data?.me.name, null, 'the name of the second sign-up was not stored')
  t.same((await new Client(app).gql(SIGN_IN, { email: emails.confirmed, password: 'Other-Horse-5' })).codes, ['INVALID_CREDENTIALS'],
    'the password of the second sign-up does not sign in')
})

t.test('with REVEAL_USER_EXISTENCE, a registered email and an unconfirmed account are named', async (t) => {
  const app = await build(t, { env: { REVEAL_USER_EXISTENCE: 'true' } })
  const emails = await accounts(t, new Client(app), app)

  // An enabled unconfirmed account is replaced by a sign-up, revealed or not (see pre-hijack.test.ts).
  for (const state of ['confirmed', 'disabled unconfirmed', 'admin-created'] as const) {
    const res = await new Client(app).gql(SIGN_UP, { input: { email: emails[state], password: PASSWORD } })
    t.same(res.codes, ['USERNAME_EXISTS'], `signUp of a ${state} email`)
    t.same(res.data, { signUp: null })
    t.notMatch(res.errors?.[0]?.message ?? '', /Exception/)
  }

  const unconfirmed = await new Client(app).gql(SIGN_IN, { email: emails.unconfirmed, password: PASSWORD })
  t.same(unconfirmed.codes, ['USER_NOT_CONFIRMED'], 'signIn of an unconfirmed account with its password')
  t.same(unconfirmed.data, { signIn: null })
  t.notMatch(unconfirmed.errors?.[0]?.message ?? '', /Exception/)

  // Whatever is revealed, a wrong password says nothing more than INVALID_CREDENTIALS.
  t.same((await new Client(app).gql(SIGN_IN, { email: emails.unconfirmed, password: WRONG_PASSWORD })).codes, ['INVALID_CREDENTIALS'])
  t.same((await new Client(app).gql(SIGN_IN, { email: emails.disabled, password: PASSWORD })).codes, ['INVALID_CREDENTIALS'],
    'a disabled (locked) user is INVALID_CREDENTIALS')
})

// A user an administrator created (FORCE_CHANGE_PASSWORD) has no code pending: Cognito answers any
// code for it with ExpiredCodeException, where an unknown email gets a mismatch.

const CONFIRMATIONS = ['confirmSignUp with a wrong code', 'confirmForgotPassword with a wrong code'].map((name) => OPERATIONS.find((o) => o.name === name) as Operation)

t.test('confirmSignUp and confirmForgotPassword answer for a user an administrator created as for an unknown email', async (t) => {
  const app = await build(t)
  const emails = await accounts(t, new Client(app), app)
  for (const operation of CONFIRMATIONS) {
    const unknown = await operation.send(new Client(app), emails.unknown)
    t.match(unknown, { codes: ['CODE_MISMATCH'] })
    t.same(observed(await operation.send(new Client(app), emails['admin-created']), emails['admin-created']), observed(unknown, emails.unknown),
      `${operation.name}: same code and message`)
  }
})

t.test('Cognito\'s ExpiredCodeException is answered as for an unknown email, unless existence is revealed', async (t) => {
  const targets: Record<string, string> = { 'confirmSignUp with a wrong code': 'ConfirmSignUp', 'confirmForgotPassword with a wrong code': 'ConfirmForgotPassword' }
  for (const reveal of [false, true]) {
    const { emulator, proxy, client: newClient } = await buildBehindProxy(t, { env: { REVEAL_USER_EXISTENCE: String(reveal) } })
    const emails = await accounts(t, newClient(), emulator)
    for (const operation of CONFIRMATIONS) {
      proxy.clear()
      const unknown = await operation.send(newClient(), emails.unknown)
      proxy.set(targets[operation.name] as string, { kind: 'exception', name: 'ExpiredCodeException', message: 'Invalid code provided, please request a code again.' })
      const expired = await operation.send(newClient(), emails['admin-created'])
      if (reveal) {
        t.same(expired.codes, ['CODE_EXPIRED'], `${operation.name}, existence revealed: CODE_EXPIRED`)
      } else {
        t.same(observed(expired, emails['admin-created']), observed(unknown, emails.unknown), `${operation.name}: same answer as an unknown email`)
      }
    }
  }
})

// The answers are alike; their timing must be too. Store writes and mail happen only for some
// accounts, so these operations answer no earlier than a floor after they start (measured in
// bench/existence-timing.ts; here only the floor itself is checked, which holds however loaded
// the machine is).

const FLOOR_MS = 120
const TIMED = ['signUp', 'resendConfirmationCode', 'forgotPassword'].map((name) => OPERATIONS.find((o) => o.name === name) as Operation)

t.test('EXISTENCE_TIMING_FLOOR_MS: on by default except under test, validated', async (t) => {
  t.equal(loadConfig({ NODE_ENV: 'development' }).existenceTimingFloorMs, 1000)
  t.equal(loadConfig({ NODE_ENV: 'production', COGNITO_USER_POOL_ID: 'eu-west-1_abc', COGNITO_CLIENT_ID: 'c', COOKIE_SECRET: 'x'.repeat(32) }).existenceTimingFloorMs, 1000)
  t.equal(loadConfig({ NODE_ENV: 'test' }).existenceTimingFloorMs, 0, 'the test suite signs up hundreds of users')
  t.equal(loadConfig({ NODE_ENV: 'test', EXISTENCE_TIMING_FLOOR_MS: '250' }).existenceTimingFloorMs, 250)
  t.equal(loadConfig({ EXISTENCE_TIMING_FLOOR_MS: '0' }).existenceTimingFloorMs, 0, '0 turns it off')
  t.throws(() => loadConfig({ EXISTENCE_TIMING_FLOOR_MS: '-1' }), /EXISTENCE_TIMING_FLOOR_MS/)
  t.throws(() => loadConfig({ EXISTENCE_TIMING_FLOOR_MS: 'soon' }), /EXISTENCE_TIMING_FLOOR_MS/)
})

t.test('signUp, resendConfirmationCode and forgotPassword answer no earlier than the floor, for every account', async (t) => {
  const app = await build(t, { env: { EXISTENCE_TIMING_FLOOR_MS: String(FLOOR_MS), RATE_LIMITS: JSON.stringify({ 'signUp.address': { max: 100 } }) } })
  const emails = await accounts(t, new Client(app), app)
  for (const operation of TIMED) {
    for (const state of ['unknown', ...STATES] as const) {
      const start = performance.now()
      const res = await operation.send(new Client(app), emails[state])
      const took = performance.now() - start
      t.match(res, operation.baseline, `${operation.name}, ${state}: the usual answer`)
      // A timer may fire up to a millisecond early against performance.now().
      t.ok(took >= FLOOR_MS - 1, `${operation.name}, ${state}: answered after ${took.toFixed(1)} ms, no earlier than ${FLOOR_MS} ms`)
    }
  }
  // The floor holds for failures too: a password the policy refuses is no faster.
  const start = performance.now()
  t.same((await new Client(app).gql(SIGN_UP, { input: { email: uEmail(), password: 'weak' } })).codes, ['INVALID_PASSWORD'])
  t.ok(performance.now() - start >= FLOOR_MS - 1, 'a refused sign-up waits for the floor too')
})
