// USER_SRP_AUTH in the embedded emulator, driven through the AWS SDK by a client whose SRP math is
// amazon-cognito-identity-js's (AWS's own library), and end to end by that library's CognitoUser:
// a client that allows only SRP signs in, a wrong password and an unknown user fail the proof
// alike, the verifier follows every way a password is set (in pools of every sign-in name, past
// the password history), proofs are not replayable.
import t from 'tap'
import {
  AdminCreateUserCommand, AdminResetUserPasswordCommand, AdminSetUserPasswordCommand, ChangePasswordCommand, ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand, ForgotPasswordCommand, InitiateAuthCommand, SignUpCommand
} from '@aws-sdk/client-cognito-identity-provider'
import { AuthenticationDetails, CognitoUser, CognitoUserPool, type CognitoUserSession } from 'amazon-cognito-identity-js'
import { createApiPool, srpExchange } from './pools.ts'
import { PASSWORD, startPool } from './pool.ts'

const { emulator, cognito } = await startPool(t)
const srpOnly = await createApiPool(cognito, { client: { ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] } })
const incorrect = { name: 'NotAuthorizedException', message: 'Incorrect username or password.' }
const NEW_PASSWORD = 'Battery2staple'

t.test('an SRP-only client: the right password signs in, a wrong one and an unknown user fail the proof alike', async (t) => {
  const email = await srpOnly.user()
  const signedIn = await srpOnly.srpSignIn(email, PASSWORD)
  t.ok(signedIn.AuthenticationResult?.AccessToken, 'tokens')
  t.equal(signedIn.AuthenticationResult?.TokenType, 'Bearer')
  const refreshed = await cognito.send(new InitiateAuthCommand({ ClientId: srpOnly.clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: signedIn.AuthenticationResult?.RefreshToken ?? '' } }))
  t.ok(refreshed.AuthenticationResult?.AccessToken, 'the refresh token refreshes')

  const started = await cognito.send(new InitiateAuthCommand({ ClientId: srpOnly.clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: email, SRP_A: srpExchange(srpOnly.poolName).A } }))
  const ghost = await cognito.send(new InitiateAuthCommand({ ClientId: srpOnly.clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: `nobody-${Date.now()}@example.com`, SRP_A: srpExchange(srpOnly.poolName).A } }))
  for (const answer of [started, ghost]) {
    t.equal(answer.ChallengeName, 'PASSWORD_VERIFIER')
    t.match(answer.ChallengeParameters, { SALT: /^[0-9a-f]+$/, SRP_B: /^[0-9a-f]{700,}$/, SECRET_BLOCK: /^[A-Za-z0-9+/=]{100,}$/, USER_ID_FOR_SRP: /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/ })
    t.equal(answer.ChallengeParameters?.USERNAME, answer.ChallengeParameters?.USER_ID_FOR_SRP)
  }
  t.not(started.ChallengeParameters?.USER_ID_FOR_SRP, email, 'the user is named by Cognito\'s username, not the email')
  t.equal((await cognito.send(new InitiateAuthCommand({ ClientId: srpOnly.clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: email, SRP_A: srpExchange(srpOnly.poolName).A } }))).ChallengeParameters?.SALT,
    started.ChallengeParameters?.SALT, 'a user\'s salt stays')
  const nobody = `nobody-${Date.now()}@example.com`
  const first = await srpOnly.srpSignIn(nobody, PASSWORD).catch((err: Error) => err)
  t.match(first, incorrect, 'an unknown user: the same refusal as a wrong password')
  await t.rejects(srpOnly.srpSignIn(email, 'Wrong1horse'), incorrect, 'a wrong password fails the proof')
})

t.test('the client\'s ExplicitAuthFlows: a flow it does not allow is refused as AWS refuses it', async (t) => {
  const email = await srpOnly.user()
  await t.rejects(cognito.send(new InitiateAuthCommand({ ClientId: srpOnly.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: email, PASSWORD } })),
    { name: 'InvalidParameterException', message: 'USER_PASSWORD_AUTH flow not enabled for this client' })
  await t.rejects(cognito.send(new InitiateAuthCommand({ ClientId: srpOnly.clientId, AuthFlow: 'USER_AUTH', AuthParameters: { USERNAME: email } })),
    { name: 'InvalidParameterException', message: 'USER_AUTH flow not enabled for this client' })
  const passwordOnly = await createApiPool(cognito, { client: { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'] } })
  const other = await passwordOnly.user()
  await t.rejects(passwordOnly.srpSignIn(other, PASSWORD), { name: 'InvalidParameterException', message: 'USER_SRP_AUTH is not enabled for the client.' })
  const signedIn = await cognito.send(new InitiateAuthCommand({ ClientId: passwordOnly.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: other, PASSWORD } }))
  await t.rejects(cognito.send(new InitiateAuthCommand({ ClientId: passwordOnly.clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: signedIn.AuthenticationResult?.RefreshToken ?? '' } })),
    { name: 'InvalidParameterException', message: 'REFRESH_TOKEN_AUTH flow not enabled for this client' })
  const defaults = await createApiPool(cognito)
  const third = await defaults.user()
  t.ok((await defaults.srpSignIn(third, PASSWORD)).AuthenticationResult?.AccessToken, 'a client made without ExplicitAuthFlows allows SRP (AWS\'s default)')
  await t.rejects(cognito.send(new InitiateAuthCommand({ ClientId: defaults.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: third, PASSWORD } })),
    { name: 'InvalidParameterException' }, '… and not USER_PASSWORD_AUTH')
})

t.test('the verifier follows every way a password is set', async (t) => {
  const email = await srpOnly.user()
  const { AuthenticationResult } = await srpOnly.srpSignIn(email, PASSWORD)
  await cognito.send(new ChangePasswordCommand({ AccessToken: AuthenticationResult?.AccessToken, PreviousPassword: PASSWORD, ProposedPassword: NEW_PASSWORD }))
  await t.rejects(srpOnly.srpSignIn(email, PASSWORD), incorrect, 'ChangePassword: the old password no longer proves')
  t.ok((await srpOnly.srpSignIn(email, NEW_PASSWORD)).AuthenticationResult, '… the new one does')

  await cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: srpOnly.userPoolId, Username: email, Password: 'Admin3chosen', Permanent: true }))
  await t.rejects(srpOnly.srpSignIn(email, NEW_PASSWORD), incorrect, 'AdminSetUserPassword')
  t.ok((await srpOnly.srpSignIn(email, 'Admin3chosen')).AuthenticationResult)

  await cognito.send(new ForgotPasswordCommand({ ClientId: srpOnly.clientId, Username: email }))
  const code = emulator.mailbox.list(email)[0]?.code
  await cognito.send(new ConfirmForgotPasswordCommand({ ClientId: srpOnly.clientId, Username: email, ConfirmationCode: code, Password: 'Reset4chosen' }))
  await t.rejects(srpOnly.srpSignIn(email, 'Admin3chosen'), incorrect, 'ConfirmForgotPassword')
  t.ok((await srpOnly.srpSignIn(email, 'Reset4chosen')).AuthenticationResult)

  const invited = `invited-${Date.now()}@example.com`
  await cognito.send(new AdminCreateUserCommand({ UserPoolId: srpOnly.userPoolId, Username: invited, TemporaryPassword: 'Temporary5pass', MessageAction: 'SUPPRESS' }))
  await t.rejects(srpOnly.srpSignIn(invited, PASSWORD), incorrect, 'a temporary password is proved like any other')
  const asked = await srpOnly.srpSignIn(invited, 'Temporary5pass')
  t.equal(asked.ChallengeName, 'NEW_PASSWORD_REQUIRED')
  const id = String(asked.ChallengeParameters?.USER_ID_FOR_SRP)
  t.ok((await srpOnly.respond(asked, 'NEW_PASSWORD_REQUIRED', id, { NEW_PASSWORD })).AuthenticationResult?.AccessToken)
  await t.rejects(srpOnly.srpSignIn(invited, 'Temporary5pass'), incorrect, 'NEW_PASSWORD_REQUIRED: the temporary password is spent')
  t.ok((await srpOnly.srpSignIn(invited, NEW_PASSWORD)).AuthenticationResult)
})

t.test('pools of other sign-in names: the proof is over Cognito\'s username, whatever name signs in; resets and the history keep the verifier', async (t) => {
  const alias = await createApiPool(cognito, {
    pool: { UsernameAttributes: undefined, AliasAttributes: ['email'], Policies: { PasswordPolicy: { MinimumLength: 8, PasswordHistorySize: 2 } } },
    client: { ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }
  })
  const username = `ada-${Date.now()}`
  const email = `${username}@example.com`
  await cognito.send(new SignUpCommand({ ClientId: alias.clientId, Username: username, Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: email }] }))
  await cognito.send(new ConfirmSignUpCommand({ ClientId: alias.clientId, Username: username, ConfirmationCode: emulator.mailbox.list(email)[0]?.code }))
  const signedIn = await alias.srpSignIn(email, PASSWORD)
  t.ok(signedIn.AuthenticationResult?.AccessToken, 'the verified email alias signs in with SRP')
  await t.rejects(alias.srpSignIn(email, NEW_PASSWORD), incorrect)

  await cognito.send(new AdminResetUserPasswordCommand({ UserPoolId: alias.userPoolId, Username: username }))
  const reset = (password: string) => cognito.send(new ConfirmForgotPasswordCommand({ ClientId: alias.clientId, Username: email, ConfirmationCode: emulator.mailbox.list(email)[0]?.code, Password: password }))
  await t.rejects(reset(PASSWORD), { name: 'PasswordHistoryPolicyViolationException' }, 'the history refuses the current password')
  await t.rejects(alias.srpSignIn(email, NEW_PASSWORD), { name: 'PasswordResetRequiredException' }, 'the refused reset changed nothing')
  await reset(NEW_PASSWORD)
  await t.rejects(alias.srpSignIn(email, PASSWORD), incorrect, 'AdminResetUserPassword, then ConfirmForgotPassword: the old password no longer proves')
  t.ok((await alias.srpSignIn(username, NEW_PASSWORD)).AuthenticationResult, '… the new one does, by the username too')

  const phones = await createApiPool(cognito, { pool: { UsernameAttributes: ['phone_number'], AutoVerifiedAttributes: ['phone_number'] }, client: { ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH'] } })
  const phone = `+1555${String(Date.now()).slice(-7)}`
  await cognito.send(new SignUpCommand({ ClientId: phones.clientId, Username: phone, Password: PASSWORD }))
  await cognito.send(new ConfirmSignUpCommand({ ClientId: phones.clientId, Username: phone, ConfirmationCode: emulator.mailbox.list(phone)[0]?.code }))
  const byPhone = await phones.srpSignIn(phone, PASSWORD)
  t.ok(byPhone.AuthenticationResult?.AccessToken, 'a phone number as the username signs in with SRP (USER_ID_FOR_SRP the made-up username)')
})

t.test('a proof answers once, and only its own session; a claim of the wrong form can be corrected', async (t) => {
  const email = await srpOnly.user()
  const srp = srpExchange(srpOnly.poolName)
  const started = await cognito.send(new InitiateAuthCommand({ ClientId: srpOnly.clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: email, SRP_A: srp.A } }))
  const id = String(started.ChallengeParameters?.USER_ID_FOR_SRP)
  const claim = srp.claim(id, PASSWORD, started.ChallengeParameters)
  await t.rejects(srpOnly.respond(started, 'PASSWORD_VERIFIER', id, { ...claim, TIMESTAMP: '2026-09-05T08:03:04Z' }),
    { name: 'InvalidParameterException', message: 'TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.' })
  await t.rejects(srpOnly.respond(started, 'PASSWORD_VERIFIER', id, { PASSWORD_CLAIM_SECRET_BLOCK: claim.PASSWORD_CLAIM_SECRET_BLOCK ?? '', TIMESTAMP: claim.TIMESTAMP ?? '' }),
    { name: 'InvalidParameterException', message: 'Missing required parameter PASSWORD_CLAIM_SIGNATURE' })
  t.ok((await srpOnly.respond(started, 'PASSWORD_VERIFIER', id, claim)).AuthenticationResult, 'the session stood')
  await t.rejects(srpOnly.respond(started, 'PASSWORD_VERIFIER', id, claim), { name: 'NotAuthorizedException', message: /session can only be used once/ }, 'the same answer again')

  const again = await cognito.send(new InitiateAuthCommand({ ClientId: srpOnly.clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: email, SRP_A: srp.A } }))
  await t.rejects(srpOnly.respond(again, 'PASSWORD_VERIFIER', id, claim), incorrect, 'an old proof in a new session (same A): the server\'s B and block changed')
  await t.rejects(srpOnly.respond(again, 'PASSWORD_VERIFIER', id, srp.claim(id, PASSWORD, started.ChallengeParameters)), { name: 'NotAuthorizedException' }, '… and the session it spent')
  await t.rejects(cognito.send(new InitiateAuthCommand({ ClientId: srpOnly.clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: email } })),
    { name: 'InvalidParameterException', message: 'Missing required parameter SRP_A' })
  await t.rejects(cognito.send(new InitiateAuthCommand({ ClientId: srpOnly.clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: email, SRP_A: '0' } })),
    { name: 'InvalidParameterException', message: 'Invalid SRP_A' }, 'A = 0 would let anyone in')
})

t.test('USER_AUTH: PASSWORD_SRP, preferred or chosen, asks for the same proof', async (t) => {
  const choice = await createApiPool(cognito, { client: { ExplicitAuthFlows: ['ALLOW_USER_AUTH'] } })
  const email = await choice.user()
  const srp = srpExchange(choice.poolName)
  const preferred = await cognito.send(new InitiateAuthCommand({ ClientId: choice.clientId, AuthFlow: 'USER_AUTH', AuthParameters: { USERNAME: email, PREFERRED_CHALLENGE: 'PASSWORD_SRP', SRP_A: srp.A } }))
  t.equal(preferred.ChallengeName, 'PASSWORD_VERIFIER')
  const id = String(preferred.ChallengeParameters?.USER_ID_FOR_SRP)
  t.ok((await choice.respond(preferred, 'PASSWORD_VERIFIER', id, srp.claim(id, PASSWORD, preferred.ChallengeParameters))).AuthenticationResult?.AccessToken)

  const chosen = srpExchange(choice.poolName)
  const select = await cognito.send(new InitiateAuthCommand({ ClientId: choice.clientId, AuthFlow: 'USER_AUTH', AuthParameters: { USERNAME: email } }))
  const verifier = await choice.respond(select, 'SELECT_CHALLENGE', email, { ANSWER: 'PASSWORD_SRP', SRP_A: chosen.A })
  await t.rejects(choice.respond(verifier, 'PASSWORD_VERIFIER', id, chosen.claim(id, 'Wrong1horse', verifier.ChallengeParameters)), incorrect)
})

t.test('AWS\'s own client library signs in against the emulator end to end (CognitoUser.authenticateUser: SRP)', async (t) => {
  const email = await srpOnly.user()
  const userPool = new CognitoUserPool({ UserPoolId: srpOnly.userPoolId, ClientId: srpOnly.clientId, endpoint: emulator.endpoint })
  const authenticate = (password: string) => new Promise<CognitoUserSession>((resolve, reject) => {
    new CognitoUser({ Username: email, Pool: userPool }).authenticateUser(new AuthenticationDetails({ Username: email, Password: password }), { onSuccess: resolve, onFailure: reject })
  })
  const session = await authenticate(PASSWORD)
  t.equal(session.getAccessToken().decodePayload().client_id, srpOnly.clientId)
  t.ok(session.isValid())
  await t.rejects(authenticate('Wrong1horse'), { code: 'NotAuthorizedException', message: 'Incorrect username or password.' })
})
