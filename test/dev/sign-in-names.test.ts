// The names users sign in with, in pools made through Cognito's API: an email as an alias (the
// app chooses the username), a phone number as the username (codes by SMS), preferred_username,
// case sensitivity; sign-up, confirmation, sign-in, reset, resend and the admin look-ups by each.
import t from 'tap'
import {
  AdminGetUserCommand, AdminResetUserPasswordCommand, ConfirmForgotPasswordCommand, ConfirmSignUpCommand, ForgotPasswordCommand,
  ListUsersCommand, ResendConfirmationCodeCommand, UpdateUserAttributesCommand
} from '@aws-sdk/client-cognito-identity-provider'
import { startTestEmulator } from './pool.ts'
import { claimsOf, createPool, PASSWORD } from './pools.ts'

const env = await startTestEmulator(t)
const { cognito } = env
let n = 0
const unique = () => `${++n}${Date.now() % 100000}`

t.test('an email alias: the app chooses the username; the email names the user once verified, and only one user', async (t) => {
  const pool = await createPool(env, { pool: { AliasAttributes: ['email', 'preferred_username'], AutoVerifiedAttributes: ['email'], UsernameConfiguration: { CaseSensitive: false } } })
  const email = `ada${unique()}@example.com`
  await t.rejects(pool.signUp(email, { email }), { name: 'InvalidParameterException', message: 'Username cannot be of email format, since user pool is configured for email alias.' })
  await t.rejects(pool.signUp(`ada-${unique()}`, { email, preferred_username: 'ada' }), { name: 'InvalidParameterException' }, 'preferred_username is set after confirmation, not at sign-up')
  const username = `ada-${unique()}`
  const { confirmed } = await pool.signUp(username, { email })
  t.equal(confirmed, false)
  t.match(env.lastMessage(email), { medium: 'EMAIL', source: 'SignUp' })
  await t.rejects(pool.signIn(email), { name: 'NotAuthorizedException', message: 'Incorrect username or password.' }, 'an unverified email is no alias')
  await t.rejects(cognito.send(new ConfirmSignUpCommand({ ClientId: pool.clientId, Username: email, ConfirmationCode: env.lastMessage(email)?.code })), 'nor does it name the user to confirm')
  t.equal((await cognito.send(new AdminGetUserCommand({ UserPoolId: pool.poolId, Username: username }))).UserStatus, 'UNCONFIRMED')
  await pool.confirm(username, email)
  const byEmail = await pool.signIn(email.toUpperCase())
  t.equal(claimsOf(byEmail.AuthenticationResult?.AccessToken).username, username, 'the verified email signs in, ignoring case')
  t.ok((await pool.signIn(username.toUpperCase())).AuthenticationResult, 'so does the username, ignoring case in this pool')
  await cognito.send(new UpdateUserAttributesCommand({ AccessToken: byEmail.AuthenticationResult?.AccessToken, UserAttributes: [{ Name: 'preferred_username', Value: 'Lovelace' }] }))
  t.equal(claimsOf((await pool.signIn('lovelace')).AuthenticationResult?.AccessToken).username, username, 'preferred_username, once set')

  // A second account with the same email: the sign-up goes through, the right code finds the alias taken.
  const second = `ada-${unique()}`
  await pool.signUp(second, { email })
  const code = env.lastMessage(email)?.code
  await t.rejects(cognito.send(new ConfirmSignUpCommand({ ClientId: pool.clientId, Username: second, ConfirmationCode: '000000' })), { name: 'CodeMismatchException' }, 'a wrong code is only wrong')
  await t.rejects(cognito.send(new ConfirmSignUpCommand({ ClientId: pool.clientId, Username: second, ConfirmationCode: code })), { name: 'AliasExistsException', message: 'An account with the given email already exists.' })
  await cognito.send(new ConfirmSignUpCommand({ ClientId: pool.clientId, Username: second, ConfirmationCode: code, ForceAliasCreation: true }))
  t.equal(claimsOf((await pool.signIn(email)).AuthenticationResult?.AccessToken).username, second, 'the alias moved to the new account')
  const first = await cognito.send(new AdminGetUserCommand({ UserPoolId: pool.poolId, Username: username }))
  t.equal(first.UserAttributes?.find((a) => a.Name === 'email_verified')?.Value, 'false', 'and the first account\'s email is unverified')
  await t.rejects(cognito.send(new UpdateUserAttributesCommand({ AccessToken: (await pool.signIn(second)).AuthenticationResult?.AccessToken, UserAttributes: [{ Name: 'preferred_username', Value: 'LOVELACE' }] })),
    { name: 'AliasExistsException' }, 'preferred_username is unique, ignoring case')

  // Forgot password by the alias: the code goes to the verified email.
  await cognito.send(new ForgotPasswordCommand({ ClientId: pool.clientId, Username: email }))
  t.match(env.lastMessage(email), { source: 'ForgotPassword', medium: 'EMAIL' })
  await cognito.send(new ConfirmForgotPasswordCommand({ ClientId: pool.clientId, Username: email, ConfirmationCode: env.lastMessage(email)?.code, Password: 'Another-pass-1' }))
  t.ok((await pool.signIn(second, 'Another-pass-1')).AuthenticationResult)
})

t.test('a phone number as the username: the username is made, codes go by SMS, every way in takes the number', async (t) => {
  const pool = await createPool(env, { pool: { UsernameAttributes: ['phone_number'], AutoVerifiedAttributes: ['phone_number'] } })
  const phone = `+4915${String(Date.now()).slice(-9)}`
  await t.rejects(pool.signUp('someone@example.com'), { name: 'InvalidParameterException', message: 'Username should be a phone number.' })
  await t.rejects(pool.signUp('+49 151 1234'), { name: 'InvalidParameterException' })
  const { sub } = await pool.signUp(phone)
  const code = env.lastMessage(phone)
  t.match(code, { medium: 'SMS', source: 'SignUp', to: phone })
  await t.rejects(pool.signUp(phone), { name: 'UsernameExistsException', message: 'An account with the given phone_number already exists.' })
  const resent = await cognito.send(new ResendConfirmationCodeCommand({ ClientId: pool.clientId, Username: phone }))
  t.match(resent.CodeDeliveryDetails, { DeliveryMedium: 'SMS', AttributeName: 'phone_number', Destination: `+*******${phone.slice(-4)}` })
  await pool.confirm(phone)
  const user = await cognito.send(new AdminGetUserCommand({ UserPoolId: pool.poolId, Username: phone }))
  t.equal(user.Username, sub, 'the username is the new user\'s sub')
  t.match(Object.fromEntries((user.UserAttributes ?? []).map((a) => [a.Name, a.Value])), { phone_number: phone, phone_number_verified: 'true', sub })
  const tokens = (await pool.signIn(phone)).AuthenticationResult
  t.match(claimsOf(tokens?.IdToken), { phone_number: phone, phone_number_verified: true, 'cognito:username': sub })

  const forgot = await cognito.send(new ForgotPasswordCommand({ ClientId: pool.clientId, Username: phone }))
  t.match(forgot.CodeDeliveryDetails, { DeliveryMedium: 'SMS', Destination: `+*******${phone.slice(-4)}` })
  t.match(env.lastMessage(phone), { medium: 'SMS', source: 'ForgotPassword' })
  await cognito.send(new ConfirmForgotPasswordCommand({ ClientId: pool.clientId, Username: phone, ConfirmationCode: env.lastMessage(phone)?.code, Password: 'Another-pass-1' }))
  t.ok((await pool.signIn(phone, 'Another-pass-1')).AuthenticationResult, 'the new password signs in')

  await cognito.send(new AdminResetUserPasswordCommand({ UserPoolId: pool.poolId, Username: phone }))
  t.match(env.lastMessage(phone), { medium: 'SMS', source: 'ForgotPassword' }, 'an administrator\'s reset texts the code too')
  t.equal((await cognito.send(new ListUsersCommand({ UserPoolId: pool.poolId, Filter: `phone_number = "${phone}"` }))).Users?.[0]?.Username, sub)

  const unknown = '+4915100000000'
  const simulated = await cognito.send(new ForgotPasswordCommand({ ClientId: pool.clientId, Username: unknown }))
  t.match(simulated.CodeDeliveryDetails, { DeliveryMedium: 'SMS', Destination: '+*******0000' }, 'an unknown number gets a text that never comes, as a known one')
  t.equal(env.lastMessage(unknown), undefined)
})

t.test('email as the username, case-sensitive unless the pool says otherwise', async (t) => {
  const sensitive = await createPool(env, { pool: { UsernameAttributes: ['email'], AutoVerifiedAttributes: ['email'] } })
  const email = `Grace${unique()}@example.com`
  await sensitive.signUp(email)
  await sensitive.confirm(email)
  t.ok((await sensitive.signIn(email)).AuthenticationResult)
  await t.rejects(sensitive.signIn(email.toLowerCase()), { name: 'NotAuthorizedException' }, 'API-made pools are case-sensitive by default, as on AWS')
  const insensitive = await createPool(env, { pool: { UsernameAttributes: ['email'], AutoVerifiedAttributes: ['email'], UsernameConfiguration: { CaseSensitive: false } } })
  await insensitive.signUp(email)
  await t.rejects(insensitive.signUp(email.toLowerCase()), { name: 'UsernameExistsException' })
  await insensitive.confirm(email)
  t.ok((await insensitive.signIn(email.toLowerCase())).AuthenticationResult)
})

t.test('a user with no verified way of recovery cannot reset, as on AWS', async (t) => {
  const pool = await createPool(env, { pool: { UsernameAttributes: ['email'], AutoVerifiedAttributes: ['email'] } })
  const email = `unverified${unique()}@example.com`
  await pool.signUp(email, {}, PASSWORD)
  await t.rejects(cognito.send(new ForgotPasswordCommand({ ClientId: pool.clientId, Username: email })),
    { name: 'InvalidParameterException', message: 'Cannot reset password for the user as there is no registered/verified email or phone_number' })
  await t.rejects(cognito.send(new AdminResetUserPasswordCommand({ UserPoolId: pool.poolId, Username: email })), { name: 'InvalidParameterException' })
  const adminOnly = await createPool(env, { pool: { UsernameAttributes: ['email'], AutoVerifiedAttributes: ['email'], AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'admin_only', Priority: 1 }] } } })
  await adminOnly.signUp(email)
  await adminOnly.confirm(email)
  await t.rejects(cognito.send(new ForgotPasswordCommand({ ClientId: adminOnly.clientId, Username: email })), { name: 'NotAuthorizedException' })
  await t.rejects(cognito.send(new AdminResetUserPasswordCommand({ UserPoolId: adminOnly.poolId, Username: email })), { name: 'NotAuthorizedException' })
  const legacy = await createPool(env, { pool: { UsernameAttributes: ['email'] }, client: { PreventUserExistenceErrors: 'LEGACY' } })
  await t.rejects(cognito.send(new ForgotPasswordCommand({ ClientId: legacy.clientId, Username: 'nobody@example.com' })), { name: 'UserNotFoundException' }, 'a client that does not hide existence')
})
