// Sign-in names through GraphQL, on pools made through Cognito's API in the emulator: email as an
// alias (sign-up makes a UUID username), a phone number as the username (codes by SMS), a phone
// change verified by code, and a pre-sign-up trigger that throws (a clear error, no account).
import t from 'tap'
import { AdminAddUserToGroupCommand, AdminGetUserCommand, CreateGroupCommand, ListUsersCommand, type CreateUserPoolClientCommandInput } from '@aws-sdk/client-cognito-identity-provider'
import { PASSWORD_POLICY } from '../src/password-policy.ts'
import { build, Client, newEmail, PASSWORD, withAwsCredentials } from './helper.ts'
import { startTestEmulator, type TestEmulator } from './dev/pool.ts'
import { createApiPool, type ApiPoolOptions } from './dev/pools.ts'

const CLIENT: Partial<CreateUserPoolClientCommandInput> = {
  ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'], PreventUserExistenceErrors: 'ENABLED', EnableTokenRevocation: true
}
const SIGN_UP = 'mutation ($input: SignUpInput!) { signUp(input: $input) { userConfirmed codeDelivery { medium destination } } }'
const CONFIRM = 'mutation ($input: ConfirmSignUpInput!) { confirmSignUp(input: $input) }'
const RESEND = 'mutation ($input: ResendConfirmationCodeInput!) { resendConfirmationCode(input: $input) { medium destination } }'
const SIGN_IN = 'mutation ($input: SignInInput!) { signIn(input: $input) { __typename ... on Challenge { name } } }'
const FORGOT = 'mutation ($input: ForgotPasswordInput!) { forgotPassword(input: $input) { medium destination } }'
const CONFIRM_FORGOT = 'mutation ($input: ConfirmForgotPasswordInput!) { confirmForgotPassword(input: $input) }'
const ME = '{ me { email phone phoneVerified } }'
const NEW_PASSWORD = 'Another-Horse-7'

const test = await startTestEmulator(t)
withAwsCredentials(t, test.emulator.credentials)

let phones = 0
/** A phone number no other test of this run uses (E.164, German mobile range). */
const newPhone = (): string => `+49151${String(Date.now() % 1e6).padStart(6, '0')}${String(++phones).padStart(2, '0')}`

/** A pool of `shape` made through Cognito's API, and the server pointed at it with the emulator's admin credentials. */
async function serverOn (emulator: TestEmulator, shape: ApiPoolOptions['pool']) {
  const pool = await createApiPool(emulator.cognito, { pool: shape, client: CLIENT })
  const app = await build(t, { env: { COGNITO_USER_POOL_ID: pool.userPoolId, COGNITO_CLIENT_ID: pool.clientId, COGNITO_ENDPOINT: emulator.emulator.endpoint } })
  return { pool, app, client: () => new Client(app, emulator.emulator.mailbox) }
}

/** The newest code the emulator sent to `to`, and how (EMAIL or SMS). */
function lastCode (to: string): { code: string, medium: string } {
  const message = test.lastMessage(to)
  if (message === undefined) throw new Error(`no code was sent to ${to}`)
  return { code: message.code, medium: message.medium }
}

t.test('an email-alias pool: sign-up makes a UUID username; confirm, sign in, me, forgot and confirm password by email', async (t) => {
  const { pool, client } = await serverOn(test, { UsernameAttributes: undefined, AliasAttributes: ['email'], AutoVerifiedAttributes: ['email'] })
  const c = client()
  const email = newEmail('alias')
  const signedUp = await c.gql(SIGN_UP, { input: { email: email.toUpperCase(), password: PASSWORD } })
  t.same(signedUp.errors, undefined)
  t.same(signedUp.data?.signUp, { userConfirmed: false, codeDelivery: { medium: 'EMAIL', destination: `${email[0]}***@e***.com` } })
  const { Users = [] } = await test.cognito.send(new ListUsersCommand({ UserPoolId: pool.userPoolId, Filter: `email = "${email}"` }))
  t.equal(Users.length, 1, 'one account, its email normalised')
  t.match(Users[0]?.Username, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'its username is a UUID, not the email')

  t.same((await c.gql(SIGN_IN, { input: { email, password: PASSWORD } })).codes, ['INVALID_CREDENTIALS'], 'an unconfirmed alias signs nobody in')
  t.same((await c.gql(RESEND, { input: { email } })).data?.resendConfirmationCode, { medium: 'EMAIL', destination: `${email[0]}***@e***.com` }, 'the pending sign-up is found by its email')
  t.same((await c.gql(CONFIRM, { input: { email, code: lastCode(email).code } })).data, { confirmSignUp: true })
  const signedIn = await c.gql(SIGN_IN, { input: { email, password: PASSWORD } })
  t.equal(signedIn.data?.signIn?.__typename, 'Session', 'signed in by the email alias')
  t.same((await c.gql(ME)).data?.me, { email, phone: null, phoneVerified: false })

  t.same((await c.gql(SIGN_UP, { input: { email, password: PASSWORD } })).data?.signUp, signedUp.data?.signUp, 'a registered email answers alike')
  const { Users: after = [] } = await test.cognito.send(new ListUsersCommand({ UserPoolId: pool.userPoolId, Filter: `email = "${email}"` }))
  t.equal(after.length, 1, 'and makes no second account')

  const other = client()
  t.same((await other.gql(FORGOT, { input: { email } })).data?.forgotPassword, { medium: 'EMAIL', destination: `${email[0]}***@e***.com` })
  t.same((await other.gql(CONFIRM_FORGOT, { input: { email, code: lastCode(email).code, newPassword: NEW_PASSWORD } })).data, { confirmForgotPassword: true })
  t.equal((await other.gql(SIGN_IN, { input: { email, password: NEW_PASSWORD } })).data?.signIn?.__typename, 'Session', 'the new password signs in')
  t.same((await other.gql(SIGN_IN, { input: { phone: newPhone(), password: PASSWORD } })).codes, ['BAD_USER_INPUT'], 'a phone number where the pool has no phone names')
})

t.test('a phone-username pool: sign-up by phone, the SMS code, sign-in, password change and reset by phone', async (t) => {
  const { pool, client } = await serverOn(test, { UsernameAttributes: ['phone_number'], AutoVerifiedAttributes: ['phone_number'] })
  const c = client()
  const phone = newPhone()
  const spaced = `${phone.slice(0, 3)} ${phone.slice(3, 6)} ${phone.slice(6, 10)}-${phone.slice(10)}`
  const signedUp = await c.gql(SIGN_UP, { input: { phone: spaced, password: PASSWORD, name: 'Pia' } })
  t.same(signedUp.errors, undefined)
  t.same(signedUp.data?.signUp, { userConfirmed: false, codeDelivery: { medium: 'SMS', destination: `+*******${phone.slice(-4)}` } })
  const sent = lastCode(phone)
  t.equal(sent.medium, 'SMS', 'the mailbox lists the code as a text message')
  t.same((await c.gql(CONFIRM, { input: { phone, code: sent.code } })).data, { confirmSignUp: true })
  const user = await test.cognito.send(new AdminGetUserCommand({ UserPoolId: pool.userPoolId, Username: phone }))
  t.equal(user.UserStatus, 'CONFIRMED')

  t.equal((await c.gql(SIGN_IN, { input: { phone, password: PASSWORD } })).data?.signIn?.__typename, 'Session', 'signed in by phone number')
  t.same((await c.gql(ME)).data?.me, { email: '', phone, phoneVerified: true }, 'an account with no email has an empty one')
  const changed = await c.gql('mutation ($c: String!, $n: String!) { changePassword(input: { currentPassword: $c, newPassword: $n }) { __typename } }', { c: PASSWORD, n: NEW_PASSWORD })
  t.same(changed.data?.changePassword, { __typename: 'Session' }, 'a password change signs the phone account in again')

  const other = client()
  t.same((await other.gql(FORGOT, { input: { phone } })).data?.forgotPassword, { medium: 'SMS', destination: `+*******${phone.slice(-4)}` })
  t.same((await other.gql(CONFIRM_FORGOT, { input: { phone, code: lastCode(phone).code, newPassword: PASSWORD } })).data, { confirmForgotPassword: true })
  t.equal((await other.gql(SIGN_IN, { input: { phone, password: PASSWORD } })).data?.signIn?.__typename, 'Session', 'the reset password signs in')
})

t.test('a phone-username pool: wrong shapes and the wrong kind of name are BAD_USER_INPUT, with a message that says why', async (t) => {
  const { client } = await serverOn(test, { UsernameAttributes: ['phone_number'], AutoVerifiedAttributes: ['phone_number'] })
  const c = client()
  const cases: Array<[Record<string, unknown>, RegExp]> = [
    [{ phone: '0151 1234567' }, /international format \(E\.164\)/],
    [{ phone: '+49 151 abc' }, /international format/],
    [{ phone: '+0151123456' }, /international format/],
    [{ email: newEmail('nophone') }, /by phone number, not by email/],
    [{ email: newEmail('both'), phone: newPhone() }, /phone number of the account/],
    [{}, /phone number of the account/]
  ]
  for (const [named, message] of cases) {
    for (const [query, extra] of [[SIGN_IN, { password: PASSWORD }], [SIGN_UP, { password: PASSWORD }], [FORGOT, {}]] as const) {
      const res = await c.gql(query, { input: { ...named, ...extra } })
      t.same(res.codes, ['BAD_USER_INPUT'], `${JSON.stringify(named)}: BAD_USER_INPUT`)
      t.match(res.errors?.[0]?.message, message)
    }
  }
})

t.test('a phone-username pool hides which numbers have accounts, as for emails', async (t) => {
  const { client } = await serverOn(test, { UsernameAttributes: ['phone_number'], AutoVerifiedAttributes: ['phone_number'] })
  const known = newPhone()
  const c = client()
  await c.gql(SIGN_UP, { input: { phone: known, password: PASSWORD } })
  await c.gql(CONFIRM, { input: { phone: known, code: lastCode(known).code } })
  const unknown = `${known.slice(0, -4)}${known.slice(-4) === '0000' ? '0001' : '0000'}`
  const masked = (phone: string) => `+*******${phone.slice(-4)}`
  // Sign-up last: for the unknown number it makes a pending account.
  const answers = async (phone: string) => ({
    resend: (await c.gql(RESEND, { input: { phone } })).data?.resendConfirmationCode,
    forgot: (await c.gql(FORGOT, { input: { phone } })).data?.forgotPassword,
    wrongPassword: (await c.gql(SIGN_IN, { input: { phone, password: 'Not-The-Password-1' } })).codes,
    wrongCode: (await c.gql(CONFIRM_FORGOT, { input: { phone, code: '000000', newPassword: NEW_PASSWORD } })).codes,
    signUp: (await c.gql(SIGN_UP, { input: { phone, password: PASSWORD } })).data?.signUp
  })
  const forKnown = await answers(known)
  const forUnknown = await answers(unknown)
  t.same(forKnown, {
    resend: { medium: 'SMS', destination: masked(known) },
    forgot: { medium: 'SMS', destination: masked(known) },
    wrongPassword: ['INVALID_CREDENTIALS'],
    wrongCode: ['CODE_MISMATCH'],
    signUp: { userConfirmed: false, codeDelivery: { medium: 'SMS', destination: masked(known) } }
  })
  t.same({ ...forUnknown, signUp: undefined, resend: undefined, forgot: undefined }, { ...forKnown, signUp: undefined, resend: undefined, forgot: undefined }, 'the same errors')
  t.same([forUnknown.signUp, forUnknown.resend, forUnknown.forgot], [
    { userConfirmed: false, codeDelivery: { medium: 'SMS', destination: masked(unknown) } }, { medium: 'SMS', destination: masked(unknown) }, { medium: 'SMS', destination: masked(unknown) }
  ], 'the same shapes, each derived from the number given')
})

t.test('a phone change: needs the password, texts a code, verifyPhone verifies it, resend texts another', async (t) => {
  const { pool, client } = await serverOn(test, {})
  const email = await pool.user('phone-change')
  const c = client()
  t.equal((await c.gql(SIGN_IN, { input: { email, password: 'Correct1horse' } })).data?.signIn?.__typename, 'Session')
  const UPDATE = 'mutation ($input: UpdateProfileInput!) { updateProfile(input: $input) { phone phoneVerified } }'
  const VERIFY = 'mutation ($code: String!) { verifyPhone(input: { code: $code }) { phone phoneVerified } }'
  const RESEND_PHONE = 'mutation { resendPhoneVerificationCode { medium destination } }'
  const phone = newPhone()
  const noPassword = await c.gql(UPDATE, { input: { phone } })
  t.same(noPassword.codes, ['BAD_USER_INPUT'], 'the password is required')
  t.match(noPassword.errors?.[0]?.message, /current password is required/)
  t.same((await c.gql(UPDATE, { input: { phone, currentPassword: 'Wrong-Password-1' } })).codes, ['INVALID_CREDENTIALS'], 'and checked')
  t.equal(test.lastMessage(phone), undefined, 'nothing was sent')
  t.same((await c.gql(UPDATE, { input: { phone: 'not a number', currentPassword: 'Correct1horse' } })).codes, ['BAD_USER_INPUT'], 'a number not in E.164')
  t.same((await c.gql(RESEND_PHONE)).codes, ['BAD_USER_INPUT'], 'no number waits to be verified yet')
  const updated = await c.gql(UPDATE, { input: { phone, currentPassword: 'Correct1horse' } })
  t.same(updated.errors, undefined)
  t.same(updated.data?.updateProfile, { phone, phoneVerified: false })
  const first = lastCode(phone)
  t.equal(first.medium, 'SMS', 'a code was texted to the new number')
  t.same((await c.gql(VERIFY, { code: first.code === '000000' ? '111111' : '000000' })).codes, ['CODE_MISMATCH'], 'a wrong code')
  t.same((await c.gql(RESEND_PHONE)).data?.resendPhoneVerificationCode, { medium: 'SMS', destination: `+*******${phone.slice(-4)}` })
  const second = lastCode(phone)
  t.same((await c.gql(VERIFY, { code: second.code })).data?.verifyPhone, { phone, phoneVerified: true })
  t.same((await c.gql(ME)).data?.me, { email, phone, phoneVerified: true }, 'me says so at once')
  t.same((await c.gql(RESEND_PHONE)).codes, ['BAD_USER_INPUT'], 'nothing to resend once verified')
})

t.test('a pre-sign-up trigger that throws: FORBIDDEN with the trigger\'s message, and no account', async (t) => {
  const refusing = await startTestEmulator(t, { triggers: 'export const preSignUp = async () => { throw new Error(\'Sign-ups are closed today\') }' })
  withAwsCredentials(t, refusing.emulator.credentials)
  const { pool, client } = await serverOn(refusing, {})
  const email = newEmail('refused')
  const res = await client().gql(SIGN_UP, { input: { email, password: PASSWORD } })
  t.same(res.codes, ['FORBIDDEN'])
  t.equal(res.errors?.[0]?.message, 'The user pool\'s PreSignUp rule refused this request: Sign-ups are closed today')
  t.notMatch(res.response.body, /Exception/, 'no AWS exception name in the body')
  await t.rejects(refusing.cognito.send(new AdminGetUserCommand({ UserPoolId: pool.userPoolId, Username: email })), { name: 'UserNotFoundException' }, 'no account exists')
})

t.test('a phone-username pool: a texted sign-in code, the limits keyed on the normalised number, the admin look-ups by phone', async (t) => {
  const shape = { UsernameAttributes: ['phone_number'], AutoVerifiedAttributes: ['phone_number'], Policies: { PasswordPolicy: PASSWORD_POLICY, SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'SMS_OTP'] } } }
  const pool = await createApiPool(test.cognito, { pool: shape as ApiPoolOptions['pool'], client: { ...CLIENT, ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] } })
  const app = await build(t, {
    env: { COGNITO_USER_POOL_ID: pool.userPoolId, COGNITO_CLIENT_ID: pool.clientId, COGNITO_ENDPOINT: test.emulator.endpoint, RATE_LIMITS: JSON.stringify({ 'delivery.email': { max: 3 } }) }
  })
  const c = new Client(app, test.emulator.mailbox)
  const phone = newPhone()
  await c.gql(SIGN_UP, { input: { phone, password: PASSWORD } })
  await c.gql(CONFIRM, { input: { phone, code: lastCode(phone).code } })

  const started = await c.gql('mutation ($input: SignInInput!) { signIn(input: $input) { ... on Challenge { name codeDelivery { medium destination } } } }', { input: { phone, method: 'SMS_CODE' } })
  t.same(started.data?.signIn, { name: 'SMS_OTP', codeDelivery: { medium: 'SMS', destination: `+*******${phone.slice(-4)}` } })
  const answered = await c.gql('mutation ($code: String!) { respondToChallenge(input: { name: SMS_OTP, code: $code }) { __typename } }', { code: lastCode(phone).code })
  t.same(answered.data?.respondToChallenge, { __typename: 'Session' }, 'the texted code signs in')

  // The admin look-ups find the account by its number.
  await test.cognito.send(new CreateGroupCommand({ UserPoolId: pool.userPoolId, GroupName: 'admin' }))
  await test.cognito.send(new AdminAddUserToGroupCommand({ UserPoolId: pool.userPoolId, Username: phone, GroupName: 'admin' }))
  const admin = new Client(app, test.emulator.mailbox)
  t.equal((await admin.gql(SIGN_IN, { input: { phone, password: PASSWORD } })).data?.signIn?.__typename, 'Session')
  const other = newPhone()
  await c.gql(SIGN_UP, { input: { phone: other, password: PASSWORD } })
  await c.gql(CONFIRM, { input: { phone: other, code: lastCode(other).code } })
  const disabled = await admin.gql('mutation ($phone: String!) { adminDisableUser(input: { phone: $phone }) { enabled status } }', { phone: other })
  t.same(disabled.data?.adminDisableUser, { enabled: false, status: 'CONFIRMED' }, 'adminDisableUser by phone')
  t.same((await admin.gql('mutation ($phone: String!) { adminDeleteUser(input: { phone: $phone }) }', { phone: other })).data, { adminDeleteUser: true }, 'adminDeleteUser by phone')
  t.same((await admin.gql('mutation ($phone: String!) { adminDeleteUser(input: { phone: $phone }) }', { phone: other })).data, { adminDeleteUser: false }, 'gone')

  // delivery.email counts per account name: the same number however it is written.
  const target = newPhone()
  const written = [target, `${target.slice(0, 3)} ${target.slice(3)}`, `${target.slice(0, 6)}-${target.slice(6)}`, `(${target.slice(0, 3)}) ${target.slice(3)}`]
  const codes = []
  for (const phone of written) codes.push((await new Client(app).gql(FORGOT, { input: { phone } })).codes)
  t.same(codes, [[], [], [], ['TOO_MANY_REQUESTS']], 'the fourth code to one number, written four ways, is refused')
  t.same((await new Client(app).gql(FORGOT, { input: { phone: newPhone() } })).codes, [], 'another number has a bucket of its own')
})

t.test('a pool with email and phone aliases: sign-up by either (a UUID username each), confirmation and sign-in by it', async (t) => {
  const { pool, client } = await serverOn(test, { UsernameAttributes: undefined, AliasAttributes: ['email', 'phone_number'], AutoVerifiedAttributes: ['email', 'phone_number'] })
  const c = client()
  const phone = newPhone()
  const email = newEmail('aliases')
  for (const named of [{ phone }, { email }]) {
    const to = 'phone' in named ? phone : email
    t.same((await c.gql(SIGN_UP, { input: { ...named, password: PASSWORD } })).errors, undefined, `signed up by ${to}`)
    const { Users = [] } = await test.cognito.send(new ListUsersCommand({ UserPoolId: pool.userPoolId, Filter: `${'phone' in named ? 'phone_number' : 'email'} = "${to}"` }))
    t.match(Users.map((u) => u.Username), [/^[0-9a-f-]{36}$/], 'its username a UUID')
    t.same((await c.gql(CONFIRM, { input: { ...named, code: lastCode(to).code } })).data, { confirmSignUp: true }, 'confirmed by it')
    t.equal((await client().gql(SIGN_IN, { input: { ...named, password: PASSWORD } })).data?.signIn?.__typename, 'Session', 'signed in by it')
  }
})
