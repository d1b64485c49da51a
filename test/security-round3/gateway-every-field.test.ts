// Every query and mutation of the schema through @mercuriusjs/gateway (FEDERATION=true), as a
// browser uses it: real HTTP, the session in the cookie jar the gateway forwards, codes from the
// emulator's mailbox. Before the fix, confirmSignUp and confirmForgotPassword answered null without
// reaching the server (scalar fields of the subgraph's base `type Mutation`).
import { buildSchema, isObjectType } from 'graphql'
import t from 'tap'
import { addToGroup } from '../../scripts/admin.ts'
import { loadSchemaSDL } from '../../src/graphql/schema.ts'
import { adminOf, RELAXED_LIMITS, totp } from '../challenge-helpers.ts'
import { SoftAuthenticator } from '../dev/soft-authenticator.ts'
import { gatewayOf, notesService } from '../federation-helpers.ts'
import { build, newEmail, PASSWORD } from '../helper.ts'
import { poolServer } from '../pool-server.ts'
import { Client } from '../cookie-client.ts'

const LIMITS = { RATE_LIMITS: JSON.stringify({ ...JSON.parse(RELAXED_LIMITS.RATE_LIMITS), 'delivery.email': { max: 100 }, 'delivery.address': { max: 100 }, 'signUp.address': { max: 100 } }) }

/** Cloudflare's documented always-passing Turnstile test keys: Query.captcha answers only where a provider is configured. */
const TURNSTILE = { CAPTCHA_PROVIDER: 'turnstile', CAPTCHA_SITE_KEY: '1x00000000000000000000AA', CAPTCHA_SECRET: '1x0000000000000000000000000000000AA' }

/** Every field of Query and Mutation the plain API has (FEDERATION adds `_service` and `_entities`, tested elsewhere). */
function rootFields (): string[] {
  const schema = buildSchema(loadSchemaSDL())
  return ['Query', 'Mutation'].flatMap((name) => {
    const type = schema.getType(name)
    return isObjectType(type) ? Object.keys(type.getFields()).map((field) => `${name}.${field}`) : []
  }).sort()
}

t.test('every query and mutation works through the gateway, with the answer the server gives', async (t) => {
  const app = await build(t, { env: { ...LIMITS, FEDERATION: 'true', TRUST_PROXY: '1' } })
  const authUrl = `${await app.listen({ port: 0, host: '127.0.0.1' })}/graphql`
  const gateway = await gatewayOf(t, authUrl, await notesService(t))
  const gatewayUrl = `${await gateway.listen({ port: 0, host: '127.0.0.1' })}/graphql`
  const reached = new Set<string>()

  /** One operation through the gateway; every root field it answers without an error counts as reached. */
  async function call (browser: Client<Response>, kind: 'Query' | 'Mutation', document: string, variables?: Record<string, unknown>) {
    const res = await browser.gql(document, variables)
    t.same(res.errors, undefined, `no error: ${document.slice(0, 60)}`)
    for (const [field, value] of Object.entries(res.data ?? {})) {
      t.not(value, null, `${kind}.${field} answered`)
      if (value !== null) reached.add(`${kind}.${field}`)
    }
    return res.data ?? {}
  }
  const mutate = async (browser: Client<Response>, document: string, variables?: Record<string, unknown>) => await call(browser, 'Mutation', `mutation ($i: ${document.split('|')[0]}) { ${document.split('|')[1]} }`, variables)
  const code = async (to: string): Promise<string> => {
    const messages = (await app.inject({ method: 'GET', url: `/dev/mailbox?to=${encodeURIComponent(to)}` })).json() as Array<{ code: string }>
    return messages[0]?.code ?? ''
  }

  const browser = Client.http(gatewayUrl)
  t.same(await call(browser, 'Query', '{ signInProviders }'), { signInProviders: ['DevIdP'] })

  // Signing up, with the code sent, then sent again.
  let email = newEmail('gateway')
  t.same((await mutate(browser, 'SignUpInput!|signUp(input: $i) { userConfirmed }', { i: { email, password: PASSWORD } })).signUp, { userConfirmed: false })
  t.equal((await mutate(browser, 'ResendConfirmationCodeInput!|resendConfirmationCode(input: $i) { medium }', { i: { email } })).resendConfirmationCode.medium, 'EMAIL')
  t.same(await mutate(browser, 'ConfirmSignUpInput!|confirmSignUp(input: $i)', { i: { email, code: await code(email) } }), { confirmSignUp: true }, 'confirmSignUp reaches the server')

  // Signed in: the session and the user.
  t.equal((await mutate(browser, 'SignInInput!|signIn(input: $i) { __typename }', { i: { email, password: PASSWORD } })).signIn.__typename, 'Session')
  t.equal((await call(browser, 'Query', '{ me { email notes } }')).me.email, email)
  t.equal((await call(browser, 'Query', '{ sessions { current } }')).sessions[0].current, true)
  t.equal((await call(browser, 'Mutation', 'mutation { refreshSession { user { email } } }')).refreshSession.user.email, email)

  // The profile: a name, a new email (verified with its code, then resent and verified again).
  t.equal((await mutate(browser, 'UpdateProfileInput!|updateProfile(input: $i) { name }', { i: { name: 'Ada' } })).updateProfile.name, 'Ada')
  email = newEmail('moved')
  await mutate(browser, 'UpdateProfileInput!|updateProfile(input: $i) { id }', { i: { email, currentPassword: PASSWORD } })
  t.equal((await call(browser, 'Mutation', 'mutation { resendEmailVerificationCode { medium } }')).resendEmailVerificationCode.medium, 'EMAIL')
  t.equal((await mutate(browser, 'VerifyEmailInput!|verifyEmail(input: $i) { email }', { i: { code: await code(email) } })).verifyEmail.email, email)

  // Second factors: an authenticator and email codes, each turned on and off again.
  const { secret } = (await mutate(browser, 'ReauthInput!|setupTotp(input: $i) { secret }', { i: { currentPassword: PASSWORD } })).setupTotp
  t.same((await mutate(browser, 'VerifyTotpInput!|verifyTotp(input: $i) { mfa }', { i: { code: totp(secret) } })).verifyTotp.mfa, ['TOTP'])
  t.same((await mutate(browser, 'ReauthInput!|enableEmailMfa(input: $i) { preferredMfa }', { i: { currentPassword: PASSWORD } })).enableEmailMfa.preferredMfa, 'EMAIL')
  t.same((await mutate(browser, 'SetPreferredMfaInput!|setPreferredMfa(input: $i) { preferredMfa }', { i: { method: 'TOTP' } })).setPreferredMfa.preferredMfa, 'TOTP')
  t.same((await mutate(browser, 'ReauthInput!|disableEmailMfa(input: $i) { mfa }', { i: { currentPassword: PASSWORD } })).disableEmailMfa.mfa, ['TOTP'])
  t.same((await mutate(browser, 'ReauthInput!|disableTotp(input: $i) { mfa }', { i: { currentPassword: PASSWORD } })).disableTotp.mfa, [])

  // A passkey: registered, listed, removed.
  const authenticator = new SoftAuthenticator()
  const options = JSON.parse((await call(browser, 'Mutation', 'mutation { startPasskeyRegistration { publicKeyOptions } }')).startPasskeyRegistration.publicKeyOptions)
  const passkey = (await mutate(browser, 'FinishPasskeyRegistrationInput!|finishPasskeyRegistration(input: $i) { id }', { i: { credential: JSON.stringify(authenticator.register(options)) } })).finishPasskeyRegistration
  t.same((await call(browser, 'Query', '{ me { passkeys { id } } }')).me.passkeys, [passkey])
  t.same(await mutate(browser, 'DeletePasskeyInput!|deletePasskey(input: $i)', { i: { id: passkey.id } }), { deletePasskey: true })

  // A second browser signs in with an emailed code (a challenge answered through the gateway), and is revoked from the first.
  const second = Client.http(gatewayUrl)
  t.equal((await mutate(second, 'SignInInput!|signIn(input: $i) { __typename }', { i: { email, method: 'EMAIL_CODE' } })).signIn.__typename, 'Challenge')
  t.equal((await mutate(second, 'RespondToChallengeInput!|respondToChallenge(input: $i) { __typename }', { i: { name: 'EMAIL_OTP', code: await code(email) } })).respondToChallenge.__typename, 'Session')
  const other = ((await call(browser, 'Query', '{ sessions { id current } }')).sessions as Array<{ id: string, current: boolean }>).find((s) => !s.current)
  t.same(await mutate(browser, 'RevokeSessionInput!|revokeSession(input: $i)', { i: { id: other?.id } }), { revokeSession: true })
  t.same((await second.gql('{ me { id } }')).data, { me: null }, 'the revoked browser is signed out')
  const third = Client.http(gatewayUrl)
  t.equal((await mutate(third, 'SignInInput!|signIn(input: $i) { __typename }', { i: { email, password: PASSWORD } })).signIn.__typename, 'Session')
  t.same(await call(browser, 'Mutation', 'mutation { revokeOtherSessions }'), { revokeOtherSessions: 1 })
  t.same((await third.gql('{ me { id } }')).data, { me: null }, 'every other browser is signed out')
  const activity = (await call(browser, 'Query', '{ securityEvents(first: 5) { type } }')).securityEvents as Array<{ type: string }>
  t.ok(activity.some((event) => event.type === 'sessions-revoked'), 'the account activity through the gateway')

  // A new password, then a forgotten one reset with its code.
  t.equal((await mutate(browser, 'ChangePasswordInput!|changePassword(input: $i) { __typename }', { i: { currentPassword: PASSWORD, newPassword: 'Changed-Pass-4' } })).changePassword.__typename, 'Session')
  t.equal((await mutate(browser, 'ForgotPasswordInput!|forgotPassword(input: $i) { medium }', { i: { email } })).forgotPassword.medium, 'EMAIL')
  t.same(await mutate(browser, 'ConfirmForgotPasswordInput!|confirmForgotPassword(input: $i)', { i: { email, code: await code(email), newPassword: PASSWORD } }), { confirmForgotPassword: true }, 'confirmForgotPassword reaches the server')
  t.same((await browser.gql('{ me { id } }')).data, { me: null }, 'the reset ended the session')

  // An administrator's fields, on another account.
  await addToGroup(adminOf(t, app), email, app.config.adminGroup)
  t.equal((await mutate(browser, 'SignInInput!|signIn(input: $i) { __typename }', { i: { email, password: PASSWORD } })).signIn.__typename, 'Session')
  const target = newEmail('target')
  await mutate(browser, 'SignUpInput!|signUp(input: $i) { userConfirmed }', { i: { email: target, password: PASSWORD } })
  await mutate(browser, 'ConfirmSignUpInput!|confirmSignUp(input: $i)', { i: { email: target, code: await code(target) } })
  t.ok((await call(browser, 'Query', 'query ($f: String) { users(filter: $f) { nodes { email } } }', { f: target })).users.nodes.some((u: { email: string }) => u.email === target))
  const group = { email: target, group: app.config.adminGroup }
  t.same((await mutate(browser, 'AdminGroupInput!|adminAddUserToGroup(input: $i) { groups }', { i: group })).adminAddUserToGroup.groups, [app.config.adminGroup])
  t.same((await mutate(browser, 'AdminGroupInput!|adminRemoveUserFromGroup(input: $i) { groups }', { i: group })).adminRemoveUserFromGroup.groups, [])
  t.equal((await mutate(browser, 'AdminUserInput!|adminDisableUser(input: $i) { enabled }', { i: { email: target } })).adminDisableUser.enabled, false)
  t.equal((await mutate(browser, 'AdminUserInput!|adminEnableUser(input: $i) { enabled }', { i: { email: target } })).adminEnableUser.enabled, true)
  t.same(await mutate(browser, 'AdminUserInput!|adminSignOutUser(input: $i)', { i: { email: target } }), { adminSignOutUser: true })
  t.same(await mutate(browser, 'AdminUserInput!|adminResetPassword(input: $i)', { i: { email: target } }), { adminResetPassword: true })
  t.same(await mutate(browser, 'AdminDeleteUserInput!|adminDeleteUser(input: $i)', { i: { email: target } }), { adminDeleteUser: true })

  // A phone number (after the reset: a verified number would take the reset code), texted its code, the code texted again, and verified.
  const phone = `+49151${String(Date.now() % 1e8).padStart(8, '0')}`
  t.same((await mutate(browser, 'UpdateProfileInput!|updateProfile(input: $i) { phone phoneVerified }', { i: { phone, currentPassword: PASSWORD } })).updateProfile, { phone, phoneVerified: false })
  t.equal((await call(browser, 'Mutation', 'mutation { resendPhoneVerificationCode { medium } }')).resendPhoneVerificationCode.medium, 'SMS')
  t.same((await mutate(browser, 'VerifyPhoneInput!|verifyPhone(input: $i) { phone phoneVerified }', { i: { code: await code(phone) } })).verifyPhone, { phone, phoneVerified: true })

  // Leaving: signed out, signed in again, the account deleted.
  t.same(await mutate(browser, 'SignOutInput|signOut(input: $i)', { i: { everywhere: true } }), { signOut: true })
  await mutate(browser, 'SignInInput!|signIn(input: $i) { __typename }', { i: { email, password: PASSWORD } })
  t.same(await mutate(browser, 'ReauthInput!|deleteAccount(input: $i)', { i: { currentPassword: PASSWORD } }), { deleteAccount: true })
  t.same((await browser.gql('{ me { id } }')).data, { me: null })

  // Remembered devices, on a pool that tracks them (set through Cognito's API), behind a gateway of its own.
  const pool = await poolServer(t, { flows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'], devices: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true }, env: { ...LIMITS, FEDERATION: 'true', TRUST_PROXY: '1', ...TURNSTILE } })
  const deviceGateway = await gatewayOf(t, `${await pool.app.listen({ port: 0, host: '127.0.0.1' })}/graphql`, await notesService(t))
  const tracked = Client.http(`${await deviceGateway.listen({ port: 0, host: '127.0.0.1' })}/graphql`)
  const owner = await pool.user()
  t.equal((await mutate(tracked, 'SignInInput!|signIn(input: $i) { __typename }', { i: { email: owner, password: PASSWORD } })).signIn.__typename, 'Session')
  t.match((await call(tracked, 'Query', '{ devices { current remembered } }')).devices, [{ current: true, remembered: false }], 'this browser: confirmed, not remembered until asked')
  t.match((await call(tracked, 'Mutation', 'mutation { rememberDevice { current remembered } }')).rememberDevice, { current: true, remembered: true })
  t.same(await call(tracked, 'Mutation', 'mutation { forgetDevice }'), { forgetDevice: true })
  t.same(await call(tracked, 'Query', '{ captcha { provider siteKey } }'), { captcha: { provider: 'turnstile', siteKey: TURNSTILE.CAPTCHA_SITE_KEY } }, 'which CAPTCHA widget to show')

  t.same([...reached].sort(), rootFields(), 'every query and mutation of the schema was answered through the gateway')
})
