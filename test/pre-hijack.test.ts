import { randomBytes } from 'node:crypto'
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import {
  AdminDisableUserCommand,
  AdminGetUserCommand,
  type CognitoIdentityProviderClient,
  ListUsersCommand
} from '@aws-sdk/client-cognito-identity-provider'
import { build, buildBehindProxy, Client, emulatorClient, CONFIRM_SIGN_UP, ME, SIGN_IN, SIGN_UP, type GraphQLResponse } from './helper.ts'

// Account pre-hijacking: someone signs up another person's email with a password of their own
// before that person does. A sign-up that meets an UNCONFIRMED account replaces it, so the owner
// of the address ends up with the account on their own password by doing what they do anyway:
// sign up, confirm with the code that reaches them, sign in. A confirmed account is never replaced.

type Tap = Parameters<typeof build>[0]

const ATTACKER_PASSWORD = 'Attacker-Horse-1'
const VICTIM_PASSWORD = 'Victim-Horse-2'
const RESEND = 'mutation ($email: String!) { resendConfirmationCode(input: { email: $email }) { medium destination } }'

/** Addresses alike once masked (`v***@e***.com`), so answers for two of them can be compared. */
function vEmail (): string {
  return `v-${randomBytes(6).toString('hex')}@example.com`
}

/** An admin SDK client on the app's embedded emulator. */
function adminOf (t: Tap, app: FastifyInstance): { cognito: CognitoIdentityProviderClient, UserPoolId: string } {
  const emulator = app.emulator
  if (emulator === undefined) throw new Error('the app does not run the embedded emulator')
  return { cognito: emulatorClient(t, { ...emulator.pool, credentials: emulator.credentials }), UserPoolId: emulator.pool.userPoolId }
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
function newestCode (app: FastifyInstance, email: string): string {
  const code = app.emulator?.mailbox.list(email)[0]?.code
  if (code === undefined) throw new Error(`no code was sent to ${email}`)
  return code
}

t.test('the owner who signs up over an attacker\'s unconfirmed sign-up gets the account on their own password', async (t) => {
  const app = await build(t)
  const { cognito, UserPoolId } = adminOf(t, app)
  const victim = vEmail()

  const fresh = await freshAnswer(app)

  const attacker = new Client(app)
  t.equal((await signUp(attacker, victim, ATTACKER_PASSWORD, 'Mallory')).errors, undefined, 'the attacker signs up the victim\'s address')
  const planted = await cognito.send(new AdminGetUserCommand({ UserPoolId, Username: victim }))
  t.equal(planted.UserStatus, 'UNCONFIRMED')
  const attackerCode = newestCode(app, victim)

  const owner = new Client(app)
  const res = await signUp(owner, victim, VICTIM_PASSWORD, 'Victim')
  t.same(observed(res, victim), fresh, 'the owner\'s sign-up answers as a fresh one')
  t.same(res.data, { signUp: { userConfirmed: false, codeDelivery: { medium: 'EMAIL', destination: 'v***@e***.com' } } })

  const replaced = await cognito.send(new AdminGetUserCommand({ UserPoolId, Username: victim }))
  t.equal(replaced.UserStatus, 'UNCONFIRMED', 'the account is still to be confirmed')
  t.not(replaced.Username, planted.Username, 'the attacker\'s sign-up was replaced by the owner\'s')
  const { Users = [] } = await cognito.send(new ListUsersCommand({ UserPoolId }))
  t.equal(Users.filter((u) => u.Attributes?.some((a) => a.Name === 'email' && a.Value === victim)).length, 1, 'one account for the address')
  t.equal(app.emulator?.mailbox.list(victim).length, 2, 'a new code went to the address')

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
  const app = await build(t)
  const victim = vEmail()
  await signUp(new Client(app), victim, ATTACKER_PASSWORD)
  const owner = new Client(app)
  await signUp(owner, victim, VICTIM_PASSWORD)
  t.equal((await owner.gql(RESEND, { email: victim })).errors, undefined)
  t.same((await owner.gql(CONFIRM_SIGN_UP, { email: victim, code: newestCode(app, victim) })).data, { confirmSignUp: true })
  t.equal((await owner.gql(SIGN_IN, { email: victim, password: VICTIM_PASSWORD })).data?.signIn.__typename, 'Session')
  t.same((await new Client(app).gql(SIGN_IN, { email: victim, password: ATTACKER_PASSWORD })).codes, ['INVALID_CREDENTIALS'])
})

t.test('the latest sign-up wins until confirmation, and only the address receives the code', async (t) => {
  // The same rule read the other way: a second sign-up replaces the owner's pending one, but the
  // code that confirms it goes to the owner's address only.
  const app = await build(t)
  const email = vEmail()
  await signUp(new Client(app), email, VICTIM_PASSWORD)
  const first = newestCode(app, email)
  await signUp(new Client(app), email, ATTACKER_PASSWORD)
  t.equal(app.emulator?.mailbox.list(email).length, 2, 'the second sign-up mailed the address again')
  t.equal(app.emulator?.mailbox.list().filter((m) => m.to !== email).length, 0, 'and nobody else')
  const second = newestCode(app, email)
  const client = new Client(app)
  if (second !== first) t.same((await client.gql(CONFIRM_SIGN_UP, { email, code: first })).codes, ['CODE_MISMATCH'], 'the first code is void')
  t.same((await client.gql(CONFIRM_SIGN_UP, { email, code: second })).data, { confirmSignUp: true })
  t.equal((await client.gql(SIGN_IN, { email, password: ATTACKER_PASSWORD })).data?.signIn.__typename, 'Session', 'the latest password is the account\'s')
})

t.test('a confirmed account, or a disabled unconfirmed one, is never replaced', async (t) => {
  // Nor one an administrator created: see the signUp test of existence.test.ts.
  const app = await build(t)
  const { cognito, UserPoolId } = adminOf(t, app)
  const client = new Client(app)

  const confirmed = vEmail()
  await signUp(client, confirmed, VICTIM_PASSWORD)
  await client.gql(CONFIRM_SIGN_UP, { email: confirmed, code: newestCode(app, confirmed) })
  const disabled = vEmail()
  await signUp(client, disabled, VICTIM_PASSWORD)
  await cognito.send(new AdminDisableUserCommand({ UserPoolId, Username: disabled }))

  const fresh = await freshAnswer(app)
  for (const email of [confirmed, disabled]) {
    const before = await cognito.send(new AdminGetUserCommand({ UserPoolId, Username: email }))
    const mails = app.emulator?.mailbox.list(email).length
    t.same(observed(await signUp(new Client(app), email, ATTACKER_PASSWORD, 'Mallory'), email), fresh, 'answered as a fresh sign-up')
    const after = await cognito.send(new AdminGetUserCommand({ UserPoolId, Username: email }))
    t.same([after.Username, after.UserStatus, after.Enabled, after.UserAttributes], [before.Username, before.UserStatus, before.Enabled, before.UserAttributes], 'the account is unchanged')
    t.equal(app.emulator?.mailbox.list(email).length, mails, 'no code was sent')
  }
  t.equal((await client.gql(SIGN_IN, { email: confirmed, password: VICTIM_PASSWORD })).data?.signIn.__typename, 'Session')
})

t.test('with REVEAL_USER_EXISTENCE, an unconfirmed account is replaced too, and a confirmed one is named', async (t) => {
  const app = await build(t, { env: { REVEAL_USER_EXISTENCE: 'true' } })
  const victim = vEmail()
  await signUp(new Client(app), victim, ATTACKER_PASSWORD)
  const owner = new Client(app)
  t.same((await signUp(owner, victim, VICTIM_PASSWORD)).data, { signUp: { userConfirmed: false, codeDelivery: { medium: 'EMAIL', destination: 'v***@e***.com' } } })
  t.same((await owner.gql(CONFIRM_SIGN_UP, { email: victim, code: newestCode(app, victim) })).data, { confirmSignUp: true })
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
