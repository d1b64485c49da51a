// The emulator bridge for challenges, MFA and account changes, through the AWS SDK as the server
// (and the operator scripts) talk to it: where cognito-local differs from Cognito, Cognito wins.
import t from 'tap'
import Fastify from 'fastify'
import {
  AdminAddUserToGroupCommand, AdminCreateUserCommand, AdminListGroupsForUserCommand, AdminSetUserMFAPreferenceCommand,
  AdminUpdateUserAttributesCommand, AssociateSoftwareTokenCommand, CognitoIdentityProviderClient, ConfirmSignUpCommand,
  GetUserAttributeVerificationCodeCommand, GetUserCommand, InitiateAuthCommand, RespondToAuthChallengeCommand,
  SetUserMFAPreferenceCommand, SetUserPoolMfaConfigCommand, SignUpCommand, UpdateUserAttributesCommand,
  VerifySoftwareTokenCommand, VerifyUserAttributeCommand, type InitiateAuthCommandOutput
} from '@aws-sdk/client-cognito-identity-provider'
import { generateSync } from 'otplib'
import { passwordPolicyViolation } from '../../src/password-policy.ts'
import { cognitoClient } from '../../scripts/admin.ts'
import type { Emulator } from '../../src/dev/emulator.ts'
import { emulatorInTempDir } from '../helper.ts'

const logLines: string[] = []
const logger = Fastify({ logger: { level: 'trace', stream: { write: (line: string) => { logLines.push(line) } } } }).log
const PASSWORD = 'Correct1horse'
const passwords = new Set([PASSWORD])

async function start (): Promise<{ emulator: Emulator, cognito: CognitoIdentityProviderClient }> {
  const { emulator } = await emulatorInTempDir(t, { logger })
  // Configured as the server configures its client: signed with the emulator's admin credentials.
  const cognito = cognitoClient({ region: emulator.region, endpoint: emulator.endpoint, credentials: emulator.credentials })
  t.teardown(() => cognito.destroy())
  return { emulator, cognito }
}

const { emulator, cognito } = await start()
const { clientId: ClientId, userPoolId: UserPoolId } = emulator
const totp = (secret: string, steps = 0) => generateSync({ secret, epoch: Math.floor(Date.now() / 1000) + steps * 30 })

let users = 0
async function confirmedUser (client = cognito, pool = emulator): Promise<{ email: string, access: string }> {
  const email = `bridge${++users}-${Date.now()}@example.com`
  await client.send(new SignUpCommand({ ClientId: pool.clientId, Username: email, Password: PASSWORD }))
  await client.send(new ConfirmSignUpCommand({ ClientId: pool.clientId, Username: email, ConfirmationCode: pool.mailbox.list(email)[0]?.code }))
  const out = await client.send(new InitiateAuthCommand({ ClientId: pool.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: email, PASSWORD } }))
  return { email, access: out.AuthenticationResult?.AccessToken ?? '' }
}

async function withTotp (): Promise<{ email: string, secret: string }> {
  const { email, access } = await confirmedUser()
  const { SecretCode = '' } = await cognito.send(new AssociateSoftwareTokenCommand({ AccessToken: access }))
  await cognito.send(new VerifySoftwareTokenCommand({ AccessToken: access, UserCode: totp(SecretCode) }))
  await cognito.send(new SetUserMFAPreferenceCommand({ AccessToken: access, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }))
  return { email, secret: SecretCode }
}

const signIn = (email: string, password = PASSWORD, client = cognito, clientId = ClientId): Promise<InitiateAuthCommandOutput> =>
  client.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: email, PASSWORD: password } }))

const answer = (challenge: InitiateAuthCommandOutput, responses: Record<string, string>, name = challenge.ChallengeName) =>
  cognito.send(new RespondToAuthChallengeCommand({
    ClientId, ChallengeName: name, Session: challenge.Session, ChallengeResponses: { USERNAME: challenge.ChallengeParameters?.USER_ID_FOR_SRP ?? '', ...responses }
  }))

const invalidSession = { name: 'NotAuthorizedException', message: /^Invalid session for the user/ }

t.test('a challenge session is tied to its user and challenge, answers once, and a wrong code spends it', async (t) => {
  const alice = await withTotp()
  const bob = await withTotp()

  const forAlice = await signIn(alice.email)
  t.equal(forAlice.ChallengeName, 'SOFTWARE_TOKEN_MFA')
  t.ok((forAlice.Session ?? '').length > 100, 'an opaque session, as long as AWS\'s')
  const forBob = await signIn(bob.email)
  await t.rejects(answer({ ...forBob, Session: forAlice.Session }, { SOFTWARE_TOKEN_MFA_CODE: totp(bob.secret, 1) }), invalidSession, 'another user\'s session')
  await t.rejects(answer(forAlice, { SOFTWARE_TOKEN_MFA_CODE: totp(alice.secret, 1) }), invalidSession, 'which that attempt spent')
  await t.rejects(answer({ ...forBob, Session: 'made-up' }, { SOFTWARE_TOKEN_MFA_CODE: totp(bob.secret, 1) }), invalidSession, 'a session never issued')
  await t.rejects(answer(forBob, { NEW_PASSWORD: 'Another1horse' }, 'NEW_PASSWORD_REQUIRED'), invalidSession, 'another challenge\'s name')
  await t.rejects(cognito.send(new RespondToAuthChallengeCommand({ ClientId, ChallengeName: 'SOFTWARE_TOKEN_MFA', ChallengeResponses: { USERNAME: bob.email } })),
    { name: 'InvalidParameterException' }, 'no session at all')

  const wrong = await signIn(bob.email)
  await t.rejects(answer(wrong, { SOFTWARE_TOKEN_MFA_CODE: '12345' }), { name: 'CodeMismatchException' }, 'a malformed code…')
  const right = totp(bob.secret, 1)
  const wrongCode = right === '000000' ? '111111' : '000000'
  await t.rejects(answer(wrong, { SOFTWARE_TOKEN_MFA_CODE: wrongCode }), { name: 'CodeMismatchException' }, '…leaves the session for a real try')
  await t.rejects(answer(wrong, { SOFTWARE_TOKEN_MFA_CODE: right }), invalidSession, 'a wrong code spent it')

  const once = await signIn(bob.email)
  t.ok((await answer(once, { SOFTWARE_TOKEN_MFA_CODE: right })).AuthenticationResult?.AccessToken)
  await t.rejects(answer(once, { SOFTWARE_TOKEN_MFA_CODE: right }), { name: 'NotAuthorizedException', message: /can only be used once/ })
})

t.test('NEW_PASSWORD_REQUIRED only for the right temporary password', async (t) => {
  const email = `invited-${Date.now()}@example.com`
  await cognito.send(new AdminCreateUserCommand({ UserPoolId, Username: email, TemporaryPassword: 'Temp1pass', DesiredDeliveryMediums: ['EMAIL'] }))
  passwords.add('Temp1pass')
  await t.rejects(signIn(email, 'Wrong1pass'), { name: 'NotAuthorizedException', message: 'Incorrect username or password.' })
  const challenge = await signIn(email, 'Temp1pass')
  t.equal(challenge.ChallengeName, 'NEW_PASSWORD_REQUIRED')
  await t.rejects(answer(challenge, { NEW_PASSWORD: 'weak' }), { name: 'InvalidPasswordException' })
  t.ok((await answer(challenge, { NEW_PASSWORD: 'Chosen1pass' })).AuthenticationResult?.AccessToken, 'a password refused by the policy can be corrected')
  passwords.add('Chosen1pass')
})

t.test('a temporary password made up by the pool meets its policy', async (t) => {
  for (let i = 0; i < 3; i++) {
    const email = `generated-${i}-${Date.now()}@example.com`
    await cognito.send(new AdminCreateUserCommand({ UserPoolId, Username: email, DesiredDeliveryMediums: ['EMAIL'] }))
    const temporary = emulator.mailbox.list(email)[0]?.code ?? ''
    passwords.add(temporary)
    t.equal(passwordPolicyViolation({ MinimumLength: 8, RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: true }, temporary), undefined, 'even a strict one')
    t.equal((await signIn(email, temporary)).ChallengeName, 'NEW_PASSWORD_REQUIRED')
  }
})

t.test('SMS MFA through (Admin)SetUserMFAPreference: the number masked, the code in the mailbox', async (t) => {
  const { email, access } = await confirmedUser()
  await t.rejects(cognito.send(new SetUserMFAPreferenceCommand({ AccessToken: access, SMSMfaSettings: { Enabled: true } })),
    { name: 'InvalidParameterException', message: /delivery config/ }, 'SMS needs a phone number')
  await t.rejects(cognito.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId, Username: 'nobody@example.com', SMSMfaSettings: { Enabled: true } })), { name: 'UserNotFoundException' })
  await t.rejects(cognito.send(new SetUserMFAPreferenceCommand({ AccessToken: access, SoftwareTokenMfaSettings: { Enabled: true } })),
    { name: 'SoftwareTokenMFANotFoundException' }, 'TOTP needs a verified authenticator')
  await cognito.send(new AdminUpdateUserAttributesCommand({ UserPoolId, Username: email, UserAttributes: [{ Name: 'phone_number', Value: '+15555550142' }] }))
  await cognito.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId, Username: email, SMSMfaSettings: { Enabled: true, PreferredMfa: true } }))
  const user = await cognito.send(new GetUserCommand({ AccessToken: access }))
  t.same(user.UserMFASettingList, ['SMS_MFA'])
  t.equal(user.PreferredMfaSetting, 'SMS_MFA')

  const challenge = await signIn(email)
  t.equal(challenge.ChallengeName, 'SMS_MFA')
  t.same(challenge.ChallengeParameters?.CODE_DELIVERY_DESTINATION, '+*******0142')
  const [text] = emulator.mailbox.list('+15555550142')
  t.match(text, { medium: 'SMS', source: 'Authentication', code: /^\d{6}$/ })
  t.ok((await answer(challenge, { SMS_MFA_CODE: text?.code ?? '' })).AuthenticationResult?.AccessToken)

  // With TOTP as well and no preference, the user chooses; with one, it is asked for at once.
  const { SecretCode = '' } = await cognito.send(new AssociateSoftwareTokenCommand({ AccessToken: access }))
  await cognito.send(new VerifySoftwareTokenCommand({ AccessToken: access, UserCode: totp(SecretCode) }))
  await cognito.send(new SetUserMFAPreferenceCommand({ AccessToken: access, SMSMfaSettings: { Enabled: true, PreferredMfa: false }, SoftwareTokenMfaSettings: { Enabled: true } }))
  const choose = await signIn(email)
  t.equal(choose.ChallengeName, 'SELECT_MFA_TYPE')
  t.same(JSON.parse(choose.ChallengeParameters?.MFAS_CAN_CHOOSE ?? '[]'), ['SMS_MFA', 'SOFTWARE_TOKEN_MFA'])
  const chosen = await answer(choose, { ANSWER: 'SOFTWARE_TOKEN_MFA' })
  t.equal(chosen.ChallengeName, 'SOFTWARE_TOKEN_MFA')
  t.ok((await answer(chosen, { SOFTWARE_TOKEN_MFA_CODE: totp(SecretCode, 1) })).AuthenticationResult?.AccessToken)

  await cognito.send(new SetUserMFAPreferenceCommand({ AccessToken: access, SoftwareTokenMfaSettings: { PreferredMfa: true } }))
  t.equal((await signIn(email)).ChallengeName, 'SOFTWARE_TOKEN_MFA', 'the preferred method, without a choice')

  // reset-mfa: both off.
  await cognito.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId, Username: email, SMSMfaSettings: { Enabled: false }, SoftwareTokenMfaSettings: { Enabled: false } }))
  t.ok((await signIn(email)).AuthenticationResult?.AccessToken, 'no second factor any more')
  t.same((await cognito.send(new GetUserCommand({ AccessToken: access }))).UserMFASettingList, [])
})

t.test('MFA_SETUP on a pool that requires MFA: associate and verify with the challenge session', async (t) => {
  const strict = await start()
  await strict.cognito.send(new SetUserPoolMfaConfigCommand({ UserPoolId: strict.emulator.userPoolId, MfaConfiguration: 'ON', SoftwareTokenMfaConfiguration: { Enabled: true } }))
  const { email } = await confirmedUser(strict.cognito, strict.emulator).catch(() => ({ email: '', access: '' }))
  t.ok(email, 'signing up works')
  const client = strict.cognito
  const clientId = strict.emulator.clientId
  await t.rejects(signIn(email, 'Wrong1horse', client, clientId), { name: 'NotAuthorizedException' }, 'the password comes first')
  passwords.add('Wrong1horse')

  const setup = await signIn(email, PASSWORD, client, clientId)
  t.equal(setup.ChallengeName, 'MFA_SETUP')
  t.same(JSON.parse(setup.ChallengeParameters?.MFAS_CAN_SETUP ?? '[]'), ['SOFTWARE_TOKEN_MFA'])
  const associated = await client.send(new AssociateSoftwareTokenCommand({ Session: setup.Session }))
  t.type(associated.SecretCode, 'string')
  t.not(associated.Session, setup.Session, 'a new session for the next step')
  await t.rejects(client.send(new AssociateSoftwareTokenCommand({ Session: setup.Session })), invalidSession, 'the first one is spent')
  const secret = associated.SecretCode ?? ''
  const verified = await client.send(new VerifySoftwareTokenCommand({ Session: associated.Session, UserCode: totp(secret) }))
  t.equal(verified.Status, 'SUCCESS')
  const username = setup.ChallengeParameters?.USER_ID_FOR_SRP ?? ''
  const finish = (session: string | undefined) => client.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: 'MFA_SETUP', Session: session, ChallengeResponses: { USERNAME: username } }))
  await t.rejects(finish(associated.Session), invalidSession)
  const done = await finish(verified.Session)
  t.ok(done.AuthenticationResult?.AccessToken)
  t.equal(done.AuthenticationResult?.TokenType, 'Bearer')
  t.ok((await client.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: done.AuthenticationResult?.RefreshToken ?? '' } }))).AuthenticationResult?.AccessToken,
    'its refresh token refreshes')
  t.equal((await signIn(email, PASSWORD, client, clientId)).ChallengeName, 'SOFTWARE_TOKEN_MFA', 'from now on the code is asked for')

  // A wrong first code spends the setup, as a wrong MFA code does.
  const { email: other } = await confirmedUser(client, strict.emulator).catch(() => ({ email: '' }))
  const again = await signIn(other, PASSWORD, client, clientId)
  const second = await client.send(new AssociateSoftwareTokenCommand({ Session: again.Session }))
  const code = totp(second.SecretCode ?? '')
  await t.rejects(client.send(new VerifySoftwareTokenCommand({ Session: second.Session, UserCode: code === '000000' ? '111111' : '000000' })), { name: 'EnableSoftwareTokenMFAException' })
  await t.rejects(client.send(new VerifySoftwareTokenCommand({ Session: second.Session, UserCode: code })), invalidSession)
})

t.test('an email change waits for its code, which goes to the new address; an address in use is refused', async (t) => {
  const { email, access } = await confirmedUser()
  const { email: taken } = await confirmedUser()
  const fresh = `changed-${Date.now()}@example.com`

  await t.rejects(cognito.send(new UpdateUserAttributesCommand({ AccessToken: access, UserAttributes: [{ Name: 'email', Value: taken.toUpperCase() }] })),
    { name: 'AliasExistsException' })
  const out = await cognito.send(new UpdateUserAttributesCommand({ AccessToken: access, UserAttributes: [{ Name: 'email', Value: fresh }, { Name: 'name', Value: 'Renamed' }] }))
  t.same(out.CodeDeliveryDetailsList, [{ DeliveryMedium: 'EMAIL', AttributeName: 'email', Destination: 'c***@e***' }])
  const [sent] = emulator.mailbox.list(fresh)
  t.match(sent, { source: 'UpdateUserAttribute', code: /^\d{6}$/ }, 'the code went to the new address')
  const attributes = async () => Object.fromEntries(((await cognito.send(new GetUserCommand({ AccessToken: access }))).UserAttributes ?? []).map((a) => [a.Name, a.Value]))
  t.match(await attributes(), { email, email_verified: 'true', name: 'Renamed' }, 'the old address stays, verified; the name changed at once')
  t.ok((await signIn(email)).AuthenticationResult, 'the old address signs in')

  const resent = await cognito.send(new GetUserAttributeVerificationCodeCommand({ AccessToken: access, AttributeName: 'email' }))
  t.same(resent.CodeDeliveryDetails, { DeliveryMedium: 'EMAIL', AttributeName: 'email', Destination: 'c***@e***' })
  const code = emulator.mailbox.list(fresh)[0]?.code ?? ''
  t.not(emulator.mailbox.list(fresh).length, 1, 'a second code')
  await t.rejects(cognito.send(new VerifyUserAttributeCommand({ AccessToken: access, AttributeName: 'email', Code: code === '000000' ? '111111' : '000000' })), { name: 'CodeMismatchException' })
  await cognito.send(new VerifyUserAttributeCommand({ AccessToken: access, AttributeName: 'email', Code: code }))
  t.match(await attributes(), { email: fresh, email_verified: 'true' })
  t.ok((await signIn(fresh)).AuthenticationResult, 'the new address signs in')
  await t.rejects(signIn(email), { name: 'NotAuthorizedException' })
})

t.test('AdminListGroupsForUser finds the groups of a user named by email', async (t) => {
  const { email } = await confirmedUser()
  await cognito.send(new AdminAddUserToGroupCommand({ UserPoolId, Username: email, GroupName: 'admin' }))
  const { Groups } = await cognito.send(new AdminListGroupsForUserCommand({ UserPoolId, Username: email }))
  t.same(Groups?.map((g) => g.GroupName), ['admin'])
})

// Registered last so it runs after every other test in this file.
t.test('logs never carry a code or a password', async (t) => {
  const codes = new Set(emulator.mailbox.list().map((m) => m.code))
  t.ok(codes.size >= 5)
  const leaks = logLines.filter((line) => {
    const { time, pid, hostname, ...entry } = JSON.parse(line)
    const text = JSON.stringify(entry)
    return [...codes].some((code) => new RegExp(`(^|\\D)${code}(\\D|$)`).test(text)) || [...passwords].some((password) => text.includes(password))
  })
  t.same(leaks, [])
})
