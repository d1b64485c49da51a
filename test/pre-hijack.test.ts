import { randomBytes } from 'node:crypto'
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import {
  AdminDisableUserCommand,
  AdminGetUserCommand,
  ListUsersCommand
} from '@aws-sdk/client-cognito-identity-provider'
import type { Emulator } from '../src/dev/emulator.ts'
import { adminOf, build, buildBehindProxy, Client, emulatorBehindProxy, CONFIRM_SIGN_UP, ME, SIGN_IN, SIGN_UP, type GraphQLResponse } from './helper.ts'

// Account pre-hijacking: someone signs up another person's email with a password of their own
// before that person does. A sign-up that meets an UNCONFIRMED account older than five minutes
// replaces it, so the owner of the address ends up with the account on their own password by doing
// what they do anyway: sign up, confirm with the code that reaches them, sign in. A younger pending
// sign-up is kept (an attacker cannot swap theirs in while the owner confirms). A confirmed account
// is never replaced.

type Tap = Parameters<typeof build>[0]

/**
 * The app on an emulator whose clock a test can set back: a sign-up made with `clock.offsetMs`
 * at minus six minutes is a pending sign-up old enough to be replaced.
 */
async function appWithClock (t: Tap, env: Record<string, string> = {}) {
  const clock = { offsetMs: 0, get: () => new Date(Date.now() + clock.offsetMs) }
  const { emulator } = await emulatorBehindProxy(t, { clock })
  const app = await build(t, { env: { COGNITO_USER_POOL_ID: emulator.userPoolId, COGNITO_CLIENT_ID: emulator.clientId, COGNITO_ENDPOINT: emulator.endpoint, ...env }, jwks: emulator.jwks })
  return { app, emulator, clock }
}

/** Runs `act` six minutes in the past, as far as the emulator's records go. */
async function sixMinutesAgo<T> (clock: { offsetMs: number }, act: () => Promise<T>): Promise<T> {
  clock.offsetMs = -6 * 60_000
  try {
    return await act()
  } finally {
    clock.offsetMs = 0
  }
}

const ATTACKER_PASSWORD = 'Attacker-Horse-1'
const VICTIM_PASSWORD = 'Victim-Horse-2'
const RESEND = 'mutation ($email: String!) { resendConfirmationCode(input: { email: $email }) { medium destination } }'

/** Addresses alike once masked (`v***@e***.com`), so answers for two of them can be compared. */
function vEmail (): string {
  return `v-${randomBytes(6).toString('hex')}@example.com`
}

/** What a client can observe of an answer, with the address it sent replaced by a placeholder. */
function observed (res: GraphQLResponse, email: string): unknown {
  return JSON.parse(JSON.stringify({ status: res.status, data: res.data, errors: res.errors }).split(email).join('<email>'))
}

async function signUp (client: Client, email: string, password: string, name?: string): Promise<GraphQLResponse> {
  return await client.gql(SIGN_UP, { input: { email, password, name } })
}

/** The answer of a sign-up of an address nobody signed up before, for comparison. */
async function freshAnswer (app: FastifyInstance): Promise<unknown> {
  const email = vEmail()
  return observed(await signUp(new Client(app), email, VICTIM_PASSWORD), email)
}

/** The newest code the address received; the mailbox is the owner's inbox. */
function newestCode (emulator: Emulator, email: string): string {
  const code = emulator.mailbox.list(email)[0]?.code
  if (code === undefined) throw new Error(`no code was sent to ${email}`)
  return code
}

t.test('the owner who signs up over an attacker\'s unconfirmed sign-up gets the account on their own password', async (t) => {
  const { app, emulator, clock } = await appWithClock(t)
  const { cognito, userPoolId: UserPoolId } = adminOf(t, emulator)
  const victim = vEmail()

  const fresh = await freshAnswer(app)

  const attacker = new Client(app, emulator.mailbox)
  t.equal((await sixMinutesAgo(clock, async () => await signUp(attacker, victim, ATTACKER_PASSWORD, 'Mallory'))).errors, undefined, 'the attacker signed up the victim\'s address, six minutes ago')
  const planted = await cognito.send(new AdminGetUserCommand({ UserPoolId, Username: victim }))
  t.equal(planted.UserStatus, 'UNCONFIRMED')
  const attackerCode = newestCode(emulator, victim)

  const owner = new Client(app, emulator.mailbox)
  const res = await signUp(owner, victim, VICTIM_PASSWORD, 'Victim')
  t.same(observed(res, victim), fresh, 'the owner\'s sign-up answers as a fresh one')
  t.same(res.data, { signUp: { userConfirmed: false, codeDelivery: { medium: 'EMAIL', destination: 'v***@e***.com' } } })

  const replaced = await cognito.send(new AdminGetUserCommand({ UserPoolId, Username: victim }))
  t.equal(replaced.UserStatus, 'UNCONFIRMED', 'the account is still to be confirmed')
  t.not(replaced.Username, planted.Username, 'the attacker\'s sign-up was replaced by the owner\'s')
  const { Users = [] } = await cognito.send(new ListUsersCommand({ UserPoolId }))
  t.equal(Users.filter((u) => u.Attributes?.some((a) => a.Name === 'email' && a.Value === victim)).length, 1, 'one account for the address')
  t.equal(emulator.mailbox.list(victim).length, 2, 'a new code went to the address')

  const code = await owner.code(victim) // GET /dev/mailbox: the owner's inbox
  if (code !== attackerCode) {
    t.same((await owner.gql(CONFIRM_SIGN_UP, { email: victim, code: attackerCode })).codes, ['CODE_MISMATCH'], 'the code of the replaced sign-up is void')
  }
  t.same((await owner.gql(CONFIRM_SIGN_UP, { email: victim, code })).data, { confirmSignUp: true }, 'the owner confirms with the code that reached them')

  const signIn = await owner.gql(SIGN_IN, { email: victim, password: VICTIM_PASSWORD })
  t.equal(signIn.data?.signIn.__typename, 'Session', 'the owner\'s password signs in')
  t.match((await owner.gql(ME)).data?.me, { email: victim, emailVerified: true, name: 'Victim' }, 'with the owner\'s attributes, the email verified')
  t.same((await attacker.gql(SIGN_IN, { email: victim, password: ATTACKER_PASSWORD })).codes, ['INVALID_CREDENTIALS'], 'the attacker\'s password does not')
})

t.test('the owner may confirm with a resent code', async (t) => {
  const { app, emulator, clock } = await appWithClock(t)
  const victim = vEmail()
  await sixMinutesAgo(clock, async () => await signUp(new Client(app), victim, ATTACKER_PASSWORD))
  const owner = new Client(app)
  await signUp(owner, victim, VICTIM_PASSWORD)
  t.equal((await owner.gql(RESEND, { email: victim })).errors, undefined)
  t.same((await owner.gql(CONFIRM_SIGN_UP, { email: victim, code: newestCode(emulator, victim) })).data, { confirmSignUp: true })
  t.equal((await owner.gql(SIGN_IN, { email: victim, password: VICTIM_PASSWORD })).data?.signIn.__typename, 'Session')
  t.same((await new Client(app).gql(SIGN_IN, { email: victim, password: ATTACKER_PASSWORD })).codes, ['INVALID_CREDENTIALS'])
})

t.test('a pending sign-up younger than five minutes is kept; past them the latest sign-up wins, and only the address receives the code', async (t) => {
  const { app, emulator, clock } = await appWithClock(t)
  const young = vEmail()
  await signUp(new Client(app), young, VICTIM_PASSWORD)
  const fresh = await freshAnswer(app)
  t.same(observed(await signUp(new Client(app), young, ATTACKER_PASSWORD), young), fresh, 'a second sign-up within five minutes answers as a fresh one')
  t.equal(emulator.mailbox.list(young).length, 1, 'and sends nothing')
  const client = new Client(app)
  t.same((await client.gql(CONFIRM_SIGN_UP, { email: young, code: newestCode(emulator, young) })).data, { confirmSignUp: true })
  t.equal((await client.gql(SIGN_IN, { email: young, password: VICTIM_PASSWORD })).data?.signIn.__typename, 'Session', 'the first password is the account\'s')

  // Past five minutes: a second sign-up replaces the pending one, but its code goes to the address only.
  const email = vEmail()
  await sixMinutesAgo(clock, async () => await signUp(new Client(app), email, VICTIM_PASSWORD))
  const first = newestCode(emulator, email)
  await signUp(new Client(app), email, ATTACKER_PASSWORD)
  t.equal(emulator.mailbox.list(email).length, 2, 'the second sign-up mailed the address again')
  t.equal(emulator.mailbox.list().filter((m) => m.to !== email && m.to !== young && !m.to.startsWith('v-')).length, 0, 'and nobody else')
  const second = newestCode(emulator, email)
  if (second !== first) t.same((await client.gql(CONFIRM_SIGN_UP, { email, code: first })).codes, ['CODE_MISMATCH'], 'the first code is void')
  t.same((await client.gql(CONFIRM_SIGN_UP, { email, code: second })).data, { confirmSignUp: true })
  t.equal((await client.gql(SIGN_IN, { email, password: ATTACKER_PASSWORD })).data?.signIn.__typename, 'Session', 'the latest password is the account\'s')
})

t.test('a confirmed account, or a disabled unconfirmed one, is never replaced', async (t) => {
  // Nor one an administrator created: see the signUp test of existence.test.ts.
  const { app, emulator } = await appWithClock(t)
  const { cognito, userPoolId: UserPoolId } = adminOf(t, emulator)
  const client = new Client(app)

  const confirmed = vEmail()
  await signUp(client, confirmed, VICTIM_PASSWORD)
  await client.gql(CONFIRM_SIGN_UP, { email: confirmed, code: newestCode(emulator, confirmed) })
  const disabled = vEmail()
  await signUp(client, disabled, VICTIM_PASSWORD)
  await cognito.send(new AdminDisableUserCommand({ UserPoolId, Username: disabled }))

  const fresh = await freshAnswer(app)
  for (const email of [confirmed, disabled]) {
    const before = await cognito.send(new AdminGetUserCommand({ UserPoolId, Username: email }))
    const mails = emulator.mailbox.list(email).length
    t.same(observed(await signUp(new Client(app), email, ATTACKER_PASSWORD, 'Mallory'), email), fresh, 'answered as a fresh sign-up')
    const after = await cognito.send(new AdminGetUserCommand({ UserPoolId, Username: email }))
    t.same([after.Username, after.UserStatus, after.Enabled, after.UserAttributes], [before.Username, before.UserStatus, before.Enabled, before.UserAttributes], 'the account is unchanged')
    t.equal(emulator.mailbox.list(email).length, mails, 'no code was sent')
  }
  t.equal((await client.gql(SIGN_IN, { email: confirmed, password: VICTIM_PASSWORD })).data?.signIn.__typename, 'Session')
})

t.test('with REVEAL_USER_EXISTENCE, an unconfirmed account is replaced too, and a confirmed one is named', async (t) => {
  const { app, emulator, clock } = await appWithClock(t, { REVEAL_USER_EXISTENCE: 'true' })
  const victim = vEmail()
  await sixMinutesAgo(clock, async () => await signUp(new Client(app), victim, ATTACKER_PASSWORD))
  const owner = new Client(app)
  t.same((await signUp(owner, victim, VICTIM_PASSWORD)).data, { signUp: { userConfirmed: false, codeDelivery: { medium: 'EMAIL', destination: 'v***@e***.com' } } })
  t.same((await owner.gql(CONFIRM_SIGN_UP, { email: victim, code: newestCode(emulator, victim) })).data, { confirmSignUp: true })
  t.equal((await owner.gql(SIGN_IN, { email: victim, password: VICTIM_PASSWORD })).data?.signIn.__typename, 'Session')
  t.same((await signUp(new Client(app), victim, ATTACKER_PASSWORD)).codes, ['USERNAME_EXISTS'], 'a confirmed account is named, not replaced')
})

t.test('when the account cannot be looked up, every sign-up fails alike', async (t) => {
  // The lookup needs admin credentials: without them (or with Cognito failing) no sign-up goes
  // through, whatever the address, rather than some failing only where an account exists.
  const { emulator, proxy, client } = await buildBehindProxy(t)
  const pending = vEmail()
  t.equal((await client().gql(SIGN_UP, { input: { email: pending, password: ATTACKER_PASSWORD } })).errors, undefined)
  t.ok(emulator.mailbox.list(pending).length > 0)
  proxy.set('AdminGetUser', { kind: 'exception', name: 'AccessDeniedException', message: 'not authorized to perform: cognito-idp:AdminGetUser' })
  const unknown = await client().gql(SIGN_UP, { input: { email: vEmail(), password: VICTIM_PASSWORD } })
  t.same(unknown.codes, ['INTERNAL_SERVER_ERROR'])
  t.same((await client().gql(SIGN_UP, { input: { email: pending, password: VICTIM_PASSWORD } })).codes, ['INTERNAL_SERVER_ERROR'],
    'the same failure for an address with a pending account')
  t.equal(proxy.count('SignUp'), 1, 'no sign-up was attempted without the lookup')
})
