// Choice-based sign-in (USER_AUTH) and email codes as a second factor in the embedded emulator,
// through the AWS SDK: the factors each user can choose, one-time codes by email and text, the
// sessions they live in, and what an unknown username is told (PreventUserExistenceErrors).
import t from 'tap'
import {
  AdminSetUserMFAPreferenceCommand, AssociateSoftwareTokenCommand, CreateUserPoolClientCommand, GetUserAuthFactorsCommand, GetUserCommand, InitiateAuthCommand,
  SetUserMFAPreferenceCommand, VerifySoftwareTokenCommand
} from '@aws-sdk/client-cognito-identity-provider'
import { generateSync } from 'otplib'
import { PASSWORD, startPool } from './pool.ts'

const pool = await startPool(t)
const { emulator, cognito, userAuth, respond } = pool
const codeFor = (to: string) => emulator.mailbox.list(to)[0]?.code ?? ''
const wrong = (code: string) => code === '000000' ? '111111' : '000000'
const invalidSession = { name: 'NotAuthorizedException', message: /^Invalid session for the user/ }

t.test('without a preference, SELECT_CHALLENGE lists the factors the user has', async (t) => {
  const { email } = await pool.confirmedUser()
  const choose = await userAuth(email)
  t.equal(choose.ChallengeName, 'SELECT_CHALLENGE')
  t.same(choose.AvailableChallenges, ['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP'], 'no phone number, no passkey')
  t.same(choose.ChallengeParameters, {})
  t.ok((choose.Session ?? '').length > 100)

  await pool.addPhone(email, '+15555550199')
  t.same((await userAuth(email)).AvailableChallenges, ['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP', 'SMS_OTP'], 'a verified phone number adds SMS_OTP')

  const password = await respond(await userAuth(email), 'SELECT_CHALLENGE', email, { ANSWER: 'PASSWORD', PASSWORD })
  t.ok(password.AuthenticationResult?.AccessToken, 'ANSWER PASSWORD with the password signs in')
  t.equal(password.AuthenticationResult?.TokenType, 'Bearer')

  const offered = await userAuth(email)
  await t.rejects(respond(offered, 'SELECT_CHALLENGE', email, { ANSWER: 'WEB_AUTHN' }), { name: 'InvalidParameterException' }, 'a factor not offered')
  const emailed = await respond(offered, 'SELECT_CHALLENGE', email, { ANSWER: 'EMAIL_OTP' })
  t.equal(emailed.ChallengeName, 'EMAIL_OTP', 'the session stayed for another choice')
  t.match(emailed.ChallengeParameters, { CODE_DELIVERY_DELIVERY_MEDIUM: 'EMAIL', CODE_DELIVERY_DESTINATION: 'u***@e***' })
  t.ok((await respond(emailed, 'EMAIL_OTP', email, { EMAIL_OTP_CODE: codeFor(email) })).AuthenticationResult?.AccessToken)
  await t.rejects(respond(offered, 'SELECT_CHALLENGE', email, { ANSWER: 'EMAIL_OTP' }), invalidSession, 'the choice was made once')

  await t.rejects(respond(await userAuth(email), 'SELECT_CHALLENGE', email, { ANSWER: 'PASSWORD', PASSWORD: 'Wrong1horse' }),
    { name: 'NotAuthorizedException', message: 'Incorrect username or password.' })
  const srp = await respond(await userAuth(email), 'SELECT_CHALLENGE', email, { ANSWER: 'PASSWORD_SRP', SRP_A: 'abc' })
  t.equal(srp.ChallengeName, 'PASSWORD_VERIFIER', 'PASSWORD_SRP with SRP_A asks for the proof (test/dev/srp.test.ts)')
})

t.test('a preferred challenge: at once when the user has it, SELECT_CHALLENGE when not', async (t) => {
  const { email } = await pool.confirmedUser()
  const tokens = await userAuth(email, { PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD })
  t.ok(tokens.AuthenticationResult?.AccessToken, 'PASSWORD with the password')
  await t.rejects(userAuth(email, { PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD: 'Wrong1horse' }), { name: 'NotAuthorizedException', message: 'Incorrect username or password.' })
  await t.rejects(userAuth(email, { PREFERRED_CHALLENGE: 'PASSWORD' }), { name: 'InvalidParameterException' }, 'PASSWORD without the password')
  await t.rejects(userAuth(email, { PREFERRED_CHALLENGE: 'MAGIC_LINK' }), { name: 'InvalidParameterException' }, 'no such factor')
  await t.rejects(cognito.send(new InitiateAuthCommand({ ClientId: emulator.clientId, AuthFlow: 'USER_AUTH', AuthParameters: {} })), { name: 'InvalidParameterException' })

  for (const unavailable of ['SMS_OTP', 'WEB_AUTHN']) {
    const fallback = await userAuth(email, { PREFERRED_CHALLENGE: unavailable })
    t.equal(fallback.ChallengeName, 'SELECT_CHALLENGE', `${unavailable}, which the user does not have`)
    t.same(fallback.AvailableChallenges, ['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP'])
  }
})

t.test('EMAIL_OTP and SMS_OTP: the code in the mailbox, a few tries, each session and code once', async (t) => {
  const { email } = await pool.confirmedUser()
  const emailed = await userAuth(email, { PREFERRED_CHALLENGE: 'EMAIL_OTP' })
  t.equal(emailed.ChallengeName, 'EMAIL_OTP')
  t.same(emailed.ChallengeParameters, { CODE_DELIVERY_DELIVERY_MEDIUM: 'EMAIL', CODE_DELIVERY_DESTINATION: 'u***@e***' })
  const [message] = emulator.mailbox.list(email)
  t.match(message, { medium: 'EMAIL', source: 'Authentication', code: /^\d{6}$/ })
  const code = message?.code ?? ''
  await t.rejects(respond(emailed, 'EMAIL_OTP', email, { EMAIL_OTP_CODE: wrong(code) }), { name: 'CodeMismatchException' })
  const signedIn = await respond(emailed, 'EMAIL_OTP', email, { EMAIL_OTP_CODE: code })
  t.ok(signedIn.AuthenticationResult?.AccessToken, 'the right code after a wrong one, with the same session')
  t.ok(signedIn.AuthenticationResult?.RefreshToken)
  await t.rejects(respond(emailed, 'EMAIL_OTP', email, { EMAIL_OTP_CODE: code }), { name: 'NotAuthorizedException', message: /can only be used once/ }, 'the session is spent')

  const next = await userAuth(email, { PREFERRED_CHALLENGE: 'EMAIL_OTP' })
  await t.rejects(respond(next, 'EMAIL_OTP', email, { EMAIL_OTP_CODE: code }), { name: 'CodeMismatchException' }, 'the previous code is not this session\'s')
  const fresh = codeFor(email)
  t.not(fresh, '')
  await t.rejects(respond(next, 'EMAIL_OTP', email, { EMAIL_OTP_CODE: wrong(fresh) }), { name: 'CodeMismatchException' })
  await t.rejects(respond(next, 'EMAIL_OTP', email, { EMAIL_OTP_CODE: wrong(fresh) }), { name: 'CodeMismatchException' }, 'the third wrong code…')
  await t.rejects(respond(next, 'EMAIL_OTP', email, { EMAIL_OTP_CODE: fresh }), invalidSession, '…spent the session')

  await pool.addPhone(email, '+15555550142')
  const texted = await userAuth(email, { PREFERRED_CHALLENGE: 'SMS_OTP' })
  t.equal(texted.ChallengeName, 'SMS_OTP')
  t.same(texted.ChallengeParameters, { CODE_DELIVERY_DELIVERY_MEDIUM: 'SMS', CODE_DELIVERY_DESTINATION: '+*******0142' })
  const [text] = emulator.mailbox.list('+15555550142')
  t.match(text, { medium: 'SMS', source: 'Authentication' })
  await t.rejects(respond(texted, 'EMAIL_OTP', email, { EMAIL_OTP_CODE: text?.code ?? '' }), invalidSession, 'another challenge\'s name')
  const other = await pool.confirmedUser()
  const forOther = await userAuth(other.email, { PREFERRED_CHALLENGE: 'EMAIL_OTP' })
  await t.rejects(respond(forOther, 'EMAIL_OTP', email, { EMAIL_OTP_CODE: codeFor(other.email) }), invalidSession, 'another user\'s session')
  const again = await userAuth(email, { PREFERRED_CHALLENGE: 'SMS_OTP' })
  t.ok((await respond(again, 'SMS_OTP', email, { SMS_OTP_CODE: emulator.mailbox.list('+15555550142')[0]?.code ?? '' })).AuthenticationResult?.AccessToken)
})

t.test('a challenge session lives three minutes', async (t) => {
  const { email } = await pool.confirmedUser()
  const emailed = await userAuth(email, { PREFERRED_CHALLENGE: 'EMAIL_OTP' })
  pool.clock.offsetMs += 3 * 60_000 + 1000
  t.teardown(() => { pool.clock.offsetMs = 0 })
  await t.rejects(respond(emailed, 'EMAIL_OTP', email, { EMAIL_OTP_CODE: codeFor(email) }), { name: 'NotAuthorizedException', message: /session is expired/ })
})

t.test('an unknown username gets challenges like a user\'s, and every answer is wrong', async (t) => {
  const nobody = `nobody-${Date.now()}@example.com`
  const choose = await userAuth(nobody)
  t.equal(choose.ChallengeName, 'SELECT_CHALLENGE')
  t.same(choose.AvailableChallenges, ['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP', 'WEB_AUTHN'], 'as a user with a passkey')
  const options = JSON.parse(choose.ChallengeParameters?.CREDENTIAL_REQUEST_OPTIONS ?? '{}')
  t.equal(options.rpId, 'localhost')
  t.equal(options.allowCredentials?.length, 1, 'one credential, made up')
  const again = JSON.parse((await userAuth(nobody, { PREFERRED_CHALLENGE: 'WEB_AUTHN' })).ChallengeParameters?.CREDENTIAL_REQUEST_OPTIONS ?? '{}')
  t.same(again.allowCredentials, options.allowCredentials, 'the same one at each try, as a real user\'s')

  const emailed = await userAuth(nobody, { PREFERRED_CHALLENGE: 'EMAIL_OTP' })
  t.same(emailed.ChallengeParameters, { CODE_DELIVERY_DELIVERY_MEDIUM: 'EMAIL', CODE_DELIVERY_DESTINATION: 'n***@e***' })
  t.same(emulator.mailbox.list(nobody), [], 'nothing is sent')
  await t.rejects(respond(emailed, 'EMAIL_OTP', nobody, { EMAIL_OTP_CODE: '123456' }), { name: 'CodeMismatchException' })
  await t.rejects(respond(emailed, 'EMAIL_OTP', nobody, { EMAIL_OTP_CODE: '123456' }), { name: 'CodeMismatchException' }, 'as many tries as a user')
  await t.rejects(userAuth(nobody, { PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD }), { name: 'NotAuthorizedException', message: 'Incorrect username or password.' })
  t.equal((await userAuth(nobody, { PREFERRED_CHALLENGE: 'SMS_OTP' })).ChallengeName, 'SELECT_CHALLENGE', 'as a user without a phone number')

  const passkey = await userAuth(nobody, { PREFERRED_CHALLENGE: 'WEB_AUTHN' })
  t.equal(passkey.ChallengeName, 'WEB_AUTHN')
  await t.rejects(respond(passkey, 'WEB_AUTHN', nobody, { CREDENTIAL: '{}' }), { name: 'NotAuthorizedException' })
  await t.rejects(respond(await userAuth(nobody), 'SELECT_CHALLENGE', nobody, { ANSWER: 'WEB_AUTHN', CREDENTIAL: '{}' }), { name: 'NotAuthorizedException' })
  const chosen = await respond(await userAuth(nobody), 'SELECT_CHALLENGE', nobody, { ANSWER: 'EMAIL_OTP' })
  t.equal(chosen.ChallengeName, 'EMAIL_OTP', 'a choice goes on as a user\'s')
  await t.rejects(respond(await userAuth(nobody), 'SELECT_CHALLENGE', nobody, { ANSWER: 'PASSWORD', PASSWORD }),
    { name: 'NotAuthorizedException', message: 'Incorrect username or password.' })
  await t.rejects(respond(emailed, 'EMAIL_OTP', `other-${nobody}`, { EMAIL_OTP_CODE: '123456' }), invalidSession, 'a ghost session is for its username only')
})

t.test('an app client without ALLOW_USER_AUTH cannot use USER_AUTH', async (t) => {
  const { UserPoolClient } = await cognito.send(new CreateUserPoolClientCommand({ UserPoolId: emulator.userPoolId, ClientName: 'password-only', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'] }))
  const { email } = await pool.confirmedUser()
  await t.rejects(cognito.send(new InitiateAuthCommand({ ClientId: UserPoolClient?.ClientId, AuthFlow: 'USER_AUTH', AuthParameters: { USERNAME: email } })),
    { name: 'InvalidParameterException', message: /USER_AUTH flow not enabled/ })
})

t.test('email codes as a second factor: after a password, EMAIL_OTP; with several methods, the choice', async (t) => {
  const { email, access } = await pool.confirmedUser()
  await cognito.send(new SetUserMFAPreferenceCommand({ AccessToken: access, EmailMfaSettings: { Enabled: true, PreferredMfa: true } }))
  const user = await cognito.send(new GetUserCommand({ AccessToken: access }))
  t.same(user.UserMFASettingList, ['EMAIL_OTP'])
  t.equal(user.PreferredMfaSetting, 'EMAIL_OTP')

  const challenge = await cognito.send(new InitiateAuthCommand({ ClientId: emulator.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: email, PASSWORD } }))
  t.equal(challenge.ChallengeName, 'EMAIL_OTP')
  t.match(challenge.ChallengeParameters, { CODE_DELIVERY_DELIVERY_MEDIUM: 'EMAIL', CODE_DELIVERY_DESTINATION: 'u***@e***' })
  const username = challenge.ChallengeParameters?.USER_ID_FOR_SRP ?? email
  await t.rejects(respond(challenge, 'EMAIL_OTP', username, { EMAIL_OTP_CODE: wrong(codeFor(email)) }), { name: 'CodeMismatchException' })
  t.ok((await respond(challenge, 'EMAIL_OTP', username, { EMAIL_OTP_CODE: codeFor(email) })).AuthenticationResult?.AccessToken)

  const viaUserAuth = await userAuth(email, { PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD })
  t.equal(viaUserAuth.ChallengeName, 'EMAIL_OTP', 'USER_AUTH with a password asks for it too')
  t.ok((await respond(viaUserAuth, 'EMAIL_OTP', email, { EMAIL_OTP_CODE: codeFor(email) })).AuthenticationResult?.AccessToken)
  const passwordless = await userAuth(email, { PREFERRED_CHALLENGE: 'EMAIL_OTP' })
  t.ok((await respond(passwordless, 'EMAIL_OTP', email, { EMAIL_OTP_CODE: codeFor(email) })).AuthenticationResult?.AccessToken,
    'a one-time code as the first factor is the whole sign-in')

  const { SecretCode = '' } = await cognito.send(new AssociateSoftwareTokenCommand({ AccessToken: access }))
  await cognito.send(new VerifySoftwareTokenCommand({ AccessToken: access, UserCode: generateSync({ secret: SecretCode }) }))
  await cognito.send(new AdminSetUserMFAPreferenceCommand({
    UserPoolId: emulator.userPoolId, Username: email, EmailMfaSettings: { Enabled: true, PreferredMfa: false }, SoftwareTokenMfaSettings: { Enabled: true }
  }))
  const choose = await userAuth(email, { PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD })
  t.equal(choose.ChallengeName, 'SELECT_MFA_TYPE')
  t.same(JSON.parse(choose.ChallengeParameters?.MFAS_CAN_CHOOSE ?? '[]'), ['SOFTWARE_TOKEN_MFA', 'EMAIL_OTP'])
  await t.rejects(respond(choose, 'SELECT_MFA_TYPE', email, { ANSWER: 'SMS_MFA' }), { name: 'InvalidParameterException' }, 'a method not enabled')
  const chosen = await respond(choose, 'SELECT_MFA_TYPE', email, { ANSWER: 'EMAIL_OTP' })
  t.equal(chosen.ChallengeName, 'EMAIL_OTP')
  t.ok((await respond(chosen, 'EMAIL_OTP', email, { EMAIL_OTP_CODE: codeFor(email) })).AuthenticationResult?.AccessToken)

  t.match(await cognito.send(new GetUserAuthFactorsCommand({ AccessToken: access })), {
    UserMFASettingList: ['SOFTWARE_TOKEN_MFA', 'EMAIL_OTP'], PreferredMfaSetting: undefined, ConfiguredUserAuthFactors: ['PASSWORD', 'EMAIL_OTP', 'SOFTWARE_TOKEN']
  }, 'GetUserAuthFactors: the MFA settings and the factors of choice-based sign-in')
  await cognito.send(new SetUserMFAPreferenceCommand({ AccessToken: access, EmailMfaSettings: { Enabled: false } }))
  t.same((await cognito.send(new GetUserCommand({ AccessToken: access }))).UserMFASettingList, ['SOFTWARE_TOKEN_MFA'])
  t.equal((await userAuth(email, { PREFERRED_CHALLENGE: 'PASSWORD', PASSWORD })).ChallengeName, 'SOFTWARE_TOKEN_MFA')
})
