// N1 and N13: a new way into the account (a passkey) needed only a fresh session, which an emailed
// code gave; removing one needed nothing; and a passkey added by whoever held the account survived
// the owner's password change, reset and sign-out everywhere. Now adding or removing one needs the
// password, or a recent sign-in with the password or a passkey, and every way of ending a user's
// sessions removes the passkeys added in PASSKEY_REMOVAL_WINDOW before it, at the next session.
import t, { type Test } from 'tap'
import type { FastifyInstance } from 'fastify'
import type { AuditEvent } from '../../src/plugins/app/audit.ts'
import { adminOf, failsWith, RELAXED_LIMITS } from '../challenge-helpers.ts'
import { SoftAuthenticator } from '../dev/soft-authenticator.ts'
import { build, Client, CHANGE_PASSWORD, CONFIRM_FORGOT, FORGOT, ME, PASSWORD, registerUser, SIGN_IN, SIGN_OUT, signedIn } from '../helper.ts'

const LIMITS = { RATE_LIMITS: JSON.stringify({ ...JSON.parse(RELAXED_LIMITS.RATE_LIMITS), 'delivery.email': { max: 100 }, 'delivery.address': { max: 100 } }) }
const START = 'mutation ($p: String) { startPasskeyRegistration(input: { currentPassword: $p }) { publicKeyOptions } }'
const FINISH = 'mutation ($c: String!, $p: String) { finishPasskeyRegistration(input: { credential: $c, currentPassword: $p }) { id } }'
const DELETE = 'mutation ($id: ID!, $p: String) { deletePasskey(input: { id: $id, currentPassword: $p }) }'
const PASSKEYS = '{ me { passkeys { id } } }'
const STEP = '__typename ... on Challenge { name publicKeyOptions }'

/** A client signed in to `email` with the code mailed to it (an account without a second factor). */
async function byEmailCode (app: FastifyInstance, email: string): Promise<Client> {
  const client = new Client(app)
  await client.gql(`mutation ($e: String!) { signIn(input: { email: $e, method: EMAIL_CODE }) { ${STEP} } }`, { e: email })
  const done = await client.gql(`mutation ($c: String!) { respondToChallenge(input: { name: EMAIL_OTP, code: $c }) { ${STEP} } }`, { c: await client.code(email) })
  if (done.data?.respondToChallenge?.__typename !== 'Session') throw new Error(`no session: ${JSON.stringify(done.errors)}`)
  return client
}

/** Registers a passkey of a new authenticator for the client (`password` for the step-up, when given). */
async function addPasskey (t: Test, client: Client, password?: string): Promise<SoftAuthenticator> {
  const authenticator = new SoftAuthenticator()
  const options = JSON.parse((await client.gql(START, { p: password })).data?.startPasskeyRegistration?.publicKeyOptions)
  t.same((await client.gql(FINISH, { c: JSON.stringify(authenticator.register(options)), p: password })).errors, undefined, 'a passkey was added')
  return authenticator
}

/** Signs in with a passkey: the answer to its WEB_AUTHN challenge. */
async function passkeySignIn (app: FastifyInstance, email: string, authenticator: SoftAuthenticator) {
  const client = new Client(app)
  const options = JSON.parse((await client.gql(`mutation ($e: String!) { signIn(input: { email: $e, method: PASSKEY }) { ${STEP} } }`, { e: email })).data?.signIn?.publicKeyOptions)
  const res = await client.gql(`mutation ($c: String!) { respondToChallenge(input: { name: WEB_AUTHN, credential: $c }) { ${STEP} } }`, { c: JSON.stringify(authenticator.sign(options.challenge)) })
  return { client, res }
}

t.test('adding or removing a passkey needs the password, or a recent sign-in with the password or a passkey: an emailed code is not enough', async (t) => {
  const events: AuditEvent[] = []
  const app = await build(t, { env: LIMITS, onAuditEvent: (e) => events.push(e) })
  const email = await registerUser(new Client(app))
  const mailboxReader = await byEmailCode(app, email)
  failsWith(t, await mailboxReader.gql(START), 'REAUTHENTICATION_REQUIRED', /current password/)
  failsWith(t, await mailboxReader.gql(START, { p: 'Wrong-Password-9' }), 'INVALID_CREDENTIALS')
  const options = JSON.parse((await mailboxReader.gql(START, { p: PASSWORD })).data?.startPasskeyRegistration?.publicKeyOptions)
  const authenticator = new SoftAuthenticator()
  failsWith(t, await mailboxReader.gql(FINISH, { c: JSON.stringify(authenticator.register(options)) }), 'REAUTHENTICATION_REQUIRED')
  const added = await mailboxReader.gql(FINISH, { c: JSON.stringify(authenticator.register(options)), p: PASSWORD })
  t.equal(added.data?.finishPasskeyRegistration?.id, authenticator.id, 'with the password, the passkey is added')
  t.ok(events.some((e) => e.event === 'passkey-added' && e.outcome === 'success' && e.email === email), 'and the addition is audited, with the account')

  failsWith(t, await mailboxReader.gql(DELETE, { id: authenticator.id }), 'REAUTHENTICATION_REQUIRED', /current password/)
  const bearer = { authorization: `Bearer ${mailboxReader.jar.get('__Host-access') as string}` }
  failsWith(t, await new Client(app).gql(DELETE, { id: authenticator.id }, bearer), 'REAUTHENTICATION_REQUIRED')
  t.same((await mailboxReader.gql(PASSKEYS)).data?.me?.passkeys, [{ id: authenticator.id }], 'nothing was removed')

  // A sign-in with the passkey is strong enough to add or remove one without the password.
  const { client: byPasskey, res } = await passkeySignIn(app, email, authenticator)
  t.equal(res.data?.respondToChallenge?.__typename, 'Session')
  const second = await addPasskey(t, byPasskey)
  t.same((await byPasskey.gql(DELETE, { id: second.id })).data, { deletePasskey: true }, 'a passkey session removes one')
  t.same((await mailboxReader.gql(DELETE, { id: authenticator.id, p: PASSWORD })).data, { deletePasskey: true }, 'an emailed-code session removes one with the password')
})

t.test('every way of ending the sessions removes the passkeys added just before it, at the next session, and refuses a sign-in with one', async (t) => {
  const events: AuditEvent[] = []
  const app = await build(t, { env: LIMITS, onAuditEvent: (e) => events.push(e) })

  // A sign-out everywhere: the thief's passkey no longer signs in, even first after it.
  const owner = new Client(app)
  const email = await signedIn(owner)
  const thiefs = await addPasskey(t, owner)
  t.same((await owner.gql(SIGN_OUT, { everywhere: true })).data, { signOut: true })
  const { client: thief, res } = await passkeySignIn(app, email, thiefs)
  failsWith(t, res, 'INVALID_CREDENTIALS')
  t.same((await thief.gql(ME)).data, { me: null }, 'no session for the thief')
  const back = new Client(app)
  await back.gql(SIGN_IN, { email, password: PASSWORD })
  t.same((await back.gql(PASSKEYS)).data?.me?.passkeys, [], 'the passkey is gone')
  t.ok(events.some((e) => e.event === 'passkey-removed' && e.operation === 'passkey-review' && e.userId !== undefined), 'its removal is audited')
  const kept = await addPasskey(t, back)
  t.equal((await passkeySignIn(app, email, kept)).res.data?.respondToChallenge?.__typename, 'Session', 'a passkey added after the sign-out signs in')

  // A password change: the new session removes them at once.
  const changer = new Client(app)
  const changerEmail = await signedIn(changer)
  await addPasskey(t, changer)
  t.equal((await changer.gql(CHANGE_PASSWORD, { c: PASSWORD, n: 'Changed-Pass-5' })).data?.changePassword?.__typename, 'Session')
  t.same((await changer.gql(PASSKEYS)).data?.me?.passkeys, [], 'gone with the password change')
  t.ok(changerEmail)

  // A reset by an administrator, then the owner's reset with the mailed code: gone at the owner's next sign-in.
  const reset = new Client(app)
  const resetEmail = await signedIn(reset)
  await addPasskey(t, reset)
  const { resetPassword } = await import('../../scripts/admin.ts')
  await resetPassword(adminOf(t, app), resetEmail)
  await reset.gql(FORGOT, { email: resetEmail })
  t.same((await reset.gql(CONFIRM_FORGOT, { email: resetEmail, code: await reset.code(resetEmail), p: 'Reset-Pass-6' })).data, { confirmForgotPassword: true })
  await reset.gql(SIGN_IN, { email: resetEmail, password: 'Reset-Pass-6' })
  t.same((await reset.gql(PASSKEYS)).data?.me?.passkeys, [], 'gone after the reset')
})

t.test('PASSKEY_REMOVAL_WINDOW=0 removes nothing', async (t) => {
  const app = await build(t, { env: { ...LIMITS, PASSKEY_REMOVAL_WINDOW: '0' } })
  const owner = new Client(app)
  const email = await signedIn(owner)
  const authenticator = await addPasskey(t, owner)
  await owner.gql(SIGN_OUT, { everywhere: true })
  t.equal((await passkeySignIn(app, email, authenticator)).res.data?.respondToChallenge?.__typename, 'Session', 'the passkey still signs in')
})
