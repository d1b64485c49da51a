import { createSign, createVerify } from 'node:crypto'
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import Fastify from 'fastify'
import { CognitoJwtVerifier } from 'aws-jwt-verify'
import {
  AdminAddUserToGroupCommand, AdminCreateUserCommand, AdminDisableUserCommand, AdminSetUserPasswordCommand,
  AdminUserGlobalSignOutCommand, AssociateSoftwareTokenCommand, ChangePasswordCommand, CognitoIdentityProviderClient, ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand, DescribeUserPoolClientCommand, DescribeUserPoolCommand, ForgotPasswordCommand, GetGroupCommand,
  GetUserCommand, GetUserPoolMfaConfigCommand, GlobalSignOutCommand, InitiateAuthCommand, SetUserSettingsCommand,
  ResendConfirmationCodeCommand, RespondToAuthChallengeCommand, RevokeTokenCommand, SetUserMFAPreferenceCommand, SignUpCommand,
  VerifySoftwareTokenCommand
} from '@aws-sdk/client-cognito-identity-provider'
import { generate as totp } from 'cognito-local/lib/services/totp.js'
import { startEmulator, type Emulator } from '../../src/dev/emulator.ts'
import { Mailbox } from '../../src/dev/mailbox.ts'
import { passwordPolicyViolation } from '../../src/password-policy.ts'
import { cognitoClient } from '../../scripts/admin.ts'

// Every log line of every emulator in this file, to check that no code or password leaks
// (at trace level: the emulator must keep cognito-local quiet whatever the app's level).
const logLines: string[] = []
const logger = Fastify({ logger: { level: 'trace', stream: { write: (line: string) => { logLines.push(line) } } } }).log
const passwordsUsed = new Set<string>()

const dirs: string[] = []
async function tempDir (): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'emulator-test-'))
  dirs.push(dir)
  return dir
}
t.teardown(async () => { await Promise.all(dirs.map(dir => rm(dir, { recursive: true, force: true }))) })

/** An SDK client as the server (and `npm run admin`) configures one: signed with the emulator's admin credentials. */
function clientFor (emulator: Emulator): CognitoIdentityProviderClient {
  const client = cognitoClient({ region: emulator.region, endpoint: emulator.endpoint, credentials: emulator.credentials })
  t.teardown(() => client.destroy())
  return client
}

async function start (dataDir: string, accessTokenTtlSeconds?: number): Promise<Emulator> {
  const emulator = await startEmulator({ dataDir, logger, accessTokenTtlSeconds })
  t.teardown(() => emulator.close())
  return emulator
}

const emulator = await start(await tempDir())
const cognito = clientFor(emulator)
const ClientId = emulator.clientId
const UserPoolId = emulator.userPoolId
const PASSWORD = 'Correct1horse'
passwordsUsed.add(PASSWORD)

function claims (jwt: string): Record<string, any> {
  return JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString())
}
function header (jwt: string): Record<string, any> {
  return JSON.parse(Buffer.from(jwt.split('.')[0] ?? '', 'base64url').toString())
}

function latestCode (email: string, source?: string): string {
  const message = emulator.mailbox.list(email).find(m => source === undefined || m.source === source)
  if (message === undefined) throw new Error(`no code for ${email}`)
  return message.code
}

let users = 0
async function signUp (password = PASSWORD, name = 'Ada Lovelace'): Promise<string> {
  const email = `user${++users}-${Date.now()}@example.com`
  await cognito.send(new SignUpCommand({ ClientId, Username: email, Password: password, UserAttributes: [{ Name: 'name', Value: name }] }))
  return email
}

async function signIn (email: string, password = PASSWORD) {
  const res = await cognito.send(new InitiateAuthCommand({ ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: email, PASSWORD: password } }))
  if (res.AuthenticationResult === undefined) throw new Error(`no tokens: ${res.ChallengeName}`)
  return res.AuthenticationResult as { AccessToken: string, IdToken: string, RefreshToken: string, ExpiresIn: number, TokenType: string }
}

async function confirmedUser (password = PASSWORD) {
  const email = await signUp(password)
  await cognito.send(new ConfirmSignUpCommand({ ClientId, Username: email, ConfirmationCode: latestCode(email) }))
  return { email, tokens: await signIn(email, password) }
}

const refresh = (refreshToken: string) =>
  cognito.send(new InitiateAuthCommand({ ClientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: refreshToken } }))

function verifier (tokenUse: 'access' | 'id') {
  const v = CognitoJwtVerifier.create({ userPoolId: UserPoolId, tokenUse, clientId: ClientId })
  v.cacheJwks(emulator.jwks)
  return v
}

const packageKey = async (which: 'private' | 'public'): Promise<{ pem: string }> =>
  JSON.parse(await readFile(createRequire(import.meta.url).resolve(`cognito-local/lib/keys/cognitoLocal.${which}.json`), 'utf8'))

t.test('provisions the pool, the app client and the admin group like the real ones', async t => {
  t.match(UserPoolId, /^[\w-]+_[0-9a-zA-Z]+$/)
  t.equal(UserPoolId, 'eu-west-1_LocalPool1')
  t.equal(emulator.issuer, 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_LocalPool1')
  t.match(emulator.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/)

  const { UserPool } = await cognito.send(new DescribeUserPoolCommand({ UserPoolId }))
  t.equal(UserPool?.Id, UserPoolId)
  t.same(UserPool?.UsernameAttributes, ['email'])
  t.same(UserPool?.AutoVerifiedAttributes, ['email'])
  t.equal(UserPool?.MfaConfiguration, 'OPTIONAL')
  t.match(UserPool?.Policies?.PasswordPolicy, { MinimumLength: 8, RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: false })
  t.same(UserPool?.UserAttributeUpdateSettings, { AttributesRequireVerificationBeforeUpdate: ['email'] })
  t.same(UserPool?.Policies?.SignInPolicy, { AllowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP', 'SMS_OTP', 'WEB_AUTHN'] }, 'choice-based sign-in with every factor')

  const mfa = await cognito.send(new GetUserPoolMfaConfigCommand({ UserPoolId }))
  t.equal(mfa.MfaConfiguration, 'OPTIONAL')
  t.equal(mfa.SoftwareTokenMfaConfiguration?.Enabled, true)

  const { UserPoolClient } = await cognito.send(new DescribeUserPoolClientCommand({ UserPoolId, ClientId }))
  t.same(UserPoolClient?.ExplicitAuthFlows, ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'])
  t.equal(UserPoolClient?.EnableTokenRevocation, true)
  t.equal(UserPoolClient?.PreventUserExistenceErrors, 'ENABLED')
  t.equal(UserPoolClient?.AccessTokenValidity, 3600)
  t.equal(UserPoolClient?.IdTokenValidity, 3600)
  t.equal(UserPoolClient?.RefreshTokenValidity, 30)
  t.same(UserPoolClient?.TokenValidityUnits, { AccessToken: 'seconds', IdToken: 'seconds', RefreshToken: 'days' })
  t.equal(UserPoolClient?.ClientSecret, undefined)

  const { Group } = await cognito.send(new GetGroupCommand({ UserPoolId, GroupName: 'admin' }))
  t.equal(Group?.GroupName, 'admin')
})

t.test('sign-up, code from the mailbox, confirm, sign-in: tokens real verifiers accept', async t => {
  const email = await signUp()
  const [message] = emulator.mailbox.list(email)
  t.match(message, { to: email, medium: 'EMAIL', source: 'SignUp', code: /^\d{6}$/ })
  await t.rejects(signIn(email), { name: 'UserNotConfirmedException' })
  await t.rejects(cognito.send(new ConfirmSignUpCommand({ ClientId, Username: email, ConfirmationCode: '000000x' })), { name: 'CodeMismatchException' })
  await cognito.send(new ConfirmSignUpCommand({ ClientId, Username: email, ConfirmationCode: message?.code }))

  const tokens = await signIn(email)
  t.equal(tokens.TokenType, 'Bearer')
  t.equal(tokens.ExpiresIn, 3600)
  const access = await verifier('access').verify(tokens.AccessToken)
  const id = await verifier('id').verify(tokens.IdToken)
  t.equal(access.iss, emulator.issuer)
  t.equal(access.token_use, 'access')
  t.equal(access.exp - access.iat, 3600)
  t.match(access, { client_id: ClientId, scope: 'aws.cognito.signin.user.admin', sub: String, username: String, jti: String, event_id: String, auth_time: Number })
  t.type(access.origin_jti, 'string')
  t.match(id, { aud: ClientId, email, email_verified: true, name: 'Ada Lovelace', 'cognito:username': access.username, sub: access.sub, token_use: 'id' })
  t.equal(id.origin_jti, access.origin_jti)
  t.equal(id.exp - id.iat, 3600)

  // Refreshing keeps the session (origin_jti, auth_time) and mints new tokens.
  await sleep(1100)
  const refreshed = await refresh(tokens.RefreshToken)
  const again = await verifier('access').verify(refreshed.AuthenticationResult?.AccessToken ?? '')
  const againId = await verifier('id').verify(refreshed.AuthenticationResult?.IdToken ?? '')
  t.equal(again.origin_jti, access.origin_jti)
  t.equal(againId.origin_jti, access.origin_jti)
  t.equal(again.auth_time, access.auth_time)
  t.not(again.jti, access.jti)
  t.ok(again.iat > access.iat)
  t.equal(refreshed.AuthenticationResult?.RefreshToken, undefined, 'no new refresh token, as AWS without rotation')

  // A new sign-in is a new session.
  t.not(claims((await signIn(email)).AccessToken).origin_jti, access.origin_jti)

  const user = await cognito.send(new GetUserCommand({ AccessToken: tokens.AccessToken }))
  t.equal(user.Username, access.username)
  t.same(user.UserAttributes?.find(a => a.Name === 'email_verified'), { Name: 'email_verified', Value: 'true' })

  // Groups appear in both tokens.
  await cognito.send(new AdminAddUserToGroupCommand({ UserPoolId, Username: email, GroupName: 'admin' }))
  const admin = await signIn(email)
  t.same(claims(admin.AccessToken)['cognito:groups'], ['admin'])
  t.same(claims(admin.IdToken)['cognito:groups'], ['admin'])
})

t.test('tokens are signed with the emulator key, never the package key', async t => {
  const { tokens } = await confirmedUser()
  const kid = header(tokens.AccessToken).kid
  t.not(kid, 'CognitoLocal')
  t.equal(kid, emulator.jwks.keys[0]?.kid)
  t.equal(emulator.jwks.keys.length, 1)
  t.equal(header(tokens.IdToken).kid, kid)

  const [h, p, s] = tokens.AccessToken.split('.')
  const packagePublic = await packageKey('public')
  t.notOk(createVerify('RSA-SHA256').update(`${h}.${p}`).verify(packagePublic.pem, s ?? '', 'base64url'), 'does not verify with the shipped key')

  // The JWKS served over HTTP is ours, for any pool path.
  const served = await (await fetch(`${emulator.endpoint}/${UserPoolId}/.well-known/jwks.json`)).json()
  t.same(served, emulator.jwks)
  const oidc = await (await fetch(`${emulator.endpoint}/${UserPoolId}/.well-known/openid-configuration`)).json() as { issuer: string }
  t.equal(oidc.issuer, emulator.issuer)

  // A token minted with the package's private key (as anyone could) is refused.
  const forge = async (kid: string) => {
    const head = Buffer.from(JSON.stringify({ alg: 'RS256', kid })).toString('base64url')
    const input = `${head}.${p}`
    return `${input}.${createSign('RSA-SHA256').update(input).sign((await packageKey('private')).pem, 'base64url')}`
  }
  for (const forged of [await forge('CognitoLocal'), await forge(kid)]) {
    await t.rejects(cognito.send(new GetUserCommand({ AccessToken: forged })), { name: 'NotAuthorizedException', message: 'Invalid Access Token' })
    await t.rejects(verifier('access').verify(forged))
  }
  // An id token is not an access token.
  await t.rejects(cognito.send(new GetUserCommand({ AccessToken: tokens.IdToken })), { name: 'NotAuthorizedException', message: 'Invalid Access Token' })
  // Tampered claims break the signature.
  const tampered = `${h}.${Buffer.from(JSON.stringify({ ...claims(tokens.AccessToken), exp: 4102444800 })).toString('base64url')}.${s}`
  await t.rejects(cognito.send(new GetUserCommand({ AccessToken: tampered })), { name: 'NotAuthorizedException', message: 'Invalid Access Token' })
})

t.test('the pool password policy, with AWS messages', async t => {
  const prefix = 'Password did not conform with policy: '
  const cases: Array<[string, string]> = [
    ['Ab1', 'Password not long enough'],
    ['lowercase1', 'Password must have uppercase characters'],
    ['UPPERCASE1', 'Password must have lowercase characters'],
    ['NoNumbersHere', 'Password must have numeric characters']
  ]
  for (const [password, rule] of cases) {
    passwordsUsed.add(password)
    await t.rejects(cognito.send(new SignUpCommand({ ClientId, Username: `policy-${Date.now()}@example.com`, Password: password })),
      { name: 'InvalidPasswordException', message: prefix + rule }, rule)
  }
  t.equal(emulator.mailbox.list().filter(m => m.to.startsWith('policy-')).length, 0, 'nothing was created')

  // Symbols are required only when the policy says so (pure checker).
  const strict = { MinimumLength: 10, RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: true }
  t.equal(passwordPolicyViolation(strict, 'Abcdefghi1'), prefix + 'Password must have symbol characters')
  t.equal(passwordPolicyViolation(strict, 'Abcdefgh1!'), undefined)
  t.equal(passwordPolicyViolation(strict, 'Abcdefg 1x'), undefined, 'a space counts as a symbol')
  t.equal(passwordPolicyViolation(strict, 'Abcdefgh1'), prefix + 'Password not long enough')
  t.equal(passwordPolicyViolation({ MinimumLength: 6 }, 'abcdef'), undefined)

  // The same checks guard every other way of setting a password.
  const { email, tokens } = await confirmedUser()
  const weak = { name: 'InvalidPasswordException', message: prefix + 'Password must have numeric characters' }
  await t.rejects(cognito.send(new ChangePasswordCommand({ AccessToken: tokens.AccessToken, PreviousPassword: PASSWORD, ProposedPassword: 'NoNumbers' })), weak)
  await t.rejects(cognito.send(new AdminSetUserPasswordCommand({ UserPoolId, Username: email, Password: 'NoNumbers', Permanent: true })), weak)
  await cognito.send(new ForgotPasswordCommand({ ClientId, Username: email }))
  const resetCode = latestCode(email, 'ForgotPassword')
  await t.rejects(cognito.send(new ConfirmForgotPasswordCommand({ ClientId, Username: email, ConfirmationCode: resetCode, Password: 'NoNumbers' })), weak)
  await cognito.send(new ConfirmForgotPasswordCommand({ ClientId, Username: email, ConfirmationCode: resetCode, Password: 'Reset1password' }))
  passwordsUsed.add('Reset1password')
  t.ok((await signIn(email, 'Reset1password')).AccessToken)

  const invited = `invited-${Date.now()}@example.com`
  await t.rejects(cognito.send(new AdminCreateUserCommand({ UserPoolId, Username: invited, TemporaryPassword: 'NoNumbers' })), weak)
  await cognito.send(new AdminCreateUserCommand({ UserPoolId, Username: invited, TemporaryPassword: 'Temp1pass', DesiredDeliveryMediums: ['EMAIL'] }))
  passwordsUsed.add('Temp1pass')
  t.match(emulator.mailbox.list(invited)[0], { source: 'AdminCreateUser', code: 'Temp1pass' })
  const challenge = await cognito.send(new InitiateAuthCommand({ ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: invited, PASSWORD: 'Temp1pass' } }))
  t.equal(challenge.ChallengeName, 'NEW_PASSWORD_REQUIRED')
  const respond = (password: string) => cognito.send(new RespondToAuthChallengeCommand({
    ClientId, ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: challenge.Session, ChallengeResponses: { USERNAME: invited, NEW_PASSWORD: password }
  }))
  await t.rejects(respond('NoNumbers'), weak)
  const done = await respond('Chosen1password')
  passwordsUsed.add('Chosen1password')
  t.equal(done.AuthenticationResult?.ExpiresIn, 3600)
  // cognito-local forgets to store this refresh token; the bridge stores it.
  const refreshed = await refresh(done.AuthenticationResult?.RefreshToken ?? '')
  t.equal(claims(refreshed.AuthenticationResult?.AccessToken ?? '').origin_jti, claims(done.AuthenticationResult?.AccessToken ?? '').origin_jti)
})

t.test('sign-in failures look like AWS with PreventUserExistenceErrors', async t => {
  const { email, tokens } = await confirmedUser()
  const incorrect = { name: 'NotAuthorizedException', message: 'Incorrect username or password.' }
  await t.rejects(signIn(email, 'Wrong1password'), incorrect)
  await t.rejects(signIn('nobody@example.com', 'Wrong1password'), incorrect)
  passwordsUsed.add('Wrong1password')

  // Mixed case finds the same user, as AWS does with a case-insensitive pool.
  t.ok((await signIn(email.toUpperCase())).AccessToken)

  await cognito.send(new AdminDisableUserCommand({ UserPoolId, Username: email }))
  const disabled = { name: 'NotAuthorizedException', message: 'User is disabled.' }
  await t.rejects(signIn(email), disabled)
  // AdminDisableUser also revokes the user's refresh tokens (docs/emulator.md), so re-enabling brings no session back.
  await t.rejects(refresh(tokens.RefreshToken), { name: 'NotAuthorizedException', message: 'Refresh Token has been revoked' })
  await t.rejects(cognito.send(new GetUserCommand({ AccessToken: tokens.AccessToken })), disabled)

  await t.rejects(refresh('not-a-token'), { name: 'NotAuthorizedException', message: 'Invalid Refresh Token' })
})

t.test('ChangePassword checks the previous password', async t => {
  const { email, tokens } = await confirmedUser()
  await t.rejects(cognito.send(new ChangePasswordCommand({ AccessToken: tokens.AccessToken, PreviousPassword: 'Wrong1password', ProposedPassword: 'Another1password' })),
    { name: 'NotAuthorizedException', message: 'Incorrect username or password.' })
  await cognito.send(new ChangePasswordCommand({ AccessToken: tokens.AccessToken, PreviousPassword: PASSWORD, ProposedPassword: 'Another1password' }))
  passwordsUsed.add('Another1password')
  await t.rejects(signIn(email), { name: 'NotAuthorizedException' })
  t.ok((await signIn(email, 'Another1password')).AccessToken)
})

t.test('GlobalSignOut, AdminUserGlobalSignOut and RevokeToken end sessions', async t => {
  const revoked = { name: 'NotAuthorizedException', message: 'Refresh Token has been revoked' }
  {
    const { tokens } = await confirmedUser()
    const other = await refresh(tokens.RefreshToken)
    t.ok(other.AuthenticationResult?.AccessToken)
    await cognito.send(new GlobalSignOutCommand({ AccessToken: tokens.AccessToken }))
    await t.rejects(refresh(tokens.RefreshToken), revoked)
    await t.rejects(cognito.send(new GetUserCommand({ AccessToken: tokens.AccessToken })), { name: 'NotAuthorizedException', message: 'Access Token has been revoked' })
    await t.rejects(cognito.send(new GlobalSignOutCommand({ AccessToken: 'garbage' })), { name: 'NotAuthorizedException', message: 'Invalid Access Token' })
  }
  {
    const { email, tokens } = await confirmedUser()
    const second = await signIn(email)
    await cognito.send(new AdminUserGlobalSignOutCommand({ UserPoolId, Username: email }))
    await t.rejects(refresh(tokens.RefreshToken), revoked)
    await t.rejects(refresh(second.RefreshToken), revoked)
    await t.rejects(cognito.send(new AdminUserGlobalSignOutCommand({ UserPoolId, Username: 'nobody@example.com' })), { name: 'UserNotFoundException' })
    // Signing in again starts a fresh session.
    const fresh = await signIn(email)
    t.ok((await refresh(fresh.RefreshToken)).AuthenticationResult?.AccessToken)
    t.ok((await cognito.send(new GetUserCommand({ AccessToken: fresh.AccessToken }))).Username)
    // The sub works as a username too.
    await cognito.send(new AdminUserGlobalSignOutCommand({ UserPoolId, Username: claims(fresh.AccessToken).sub }))
    await t.rejects(refresh(fresh.RefreshToken), revoked)
  }
  {
    const { email, tokens } = await confirmedUser()
    const kept = await signIn(email)
    await cognito.send(new RevokeTokenCommand({ ClientId, Token: tokens.RefreshToken }))
    await t.rejects(refresh(tokens.RefreshToken), revoked)
    await t.rejects(cognito.send(new GetUserCommand({ AccessToken: tokens.AccessToken })), { name: 'NotAuthorizedException', message: 'Access Token has been revoked' })
    t.ok((await refresh(kept.RefreshToken)).AuthenticationResult?.AccessToken, 'other sessions live on')
  }
})

t.test('ResendConfirmationCode for unknown, confirmed and unconfirmed users', async t => {
  const before = emulator.mailbox.list().length
  const unknown = await cognito.send(new ResendConfirmationCodeCommand({ ClientId, Username: 'ghost@example.com' }))
  t.same(unknown.CodeDeliveryDetails, { DeliveryMedium: 'EMAIL', AttributeName: 'email', Destination: 'g***@e***' })
  t.equal(emulator.mailbox.list().length, before, 'nothing sent')

  const { email } = await confirmedUser()
  await t.rejects(cognito.send(new ResendConfirmationCodeCommand({ ClientId, Username: email })),
    { name: 'InvalidParameterException', message: 'User is already confirmed.' })

  const pending = await signUp()
  const first = latestCode(pending)
  const res = await cognito.send(new ResendConfirmationCodeCommand({ ClientId, Username: pending }))
  t.same(res.CodeDeliveryDetails, { DeliveryMedium: 'EMAIL', AttributeName: 'email', Destination: 'u***@e***' })
  const [latest] = emulator.mailbox.list(pending)
  t.match(latest, { source: 'ResendCode', medium: 'EMAIL', to: pending })
  if (latest?.code !== first) {
    await t.rejects(cognito.send(new ConfirmSignUpCommand({ ClientId, Username: pending, ConfirmationCode: first })), { name: 'CodeMismatchException' })
  }
  await cognito.send(new ConfirmSignUpCommand({ ClientId, Username: pending, ConfirmationCode: latest?.code }))
  t.ok((await signIn(pending)).AccessToken)
})

t.test('ForgotPassword does not reveal whether a user exists', async t => {
  const unknown = await cognito.send(new ForgotPasswordCommand({ ClientId, Username: 'ghost@example.com' }))
  t.same(unknown.CodeDeliveryDetails, { DeliveryMedium: 'EMAIL', AttributeName: 'email', Destination: 'g***@e***' })
  await t.rejects(cognito.send(new ConfirmForgotPasswordCommand({ ClientId, Username: 'ghost@example.com', ConfirmationCode: '123456', Password: 'Whatever1x' })),
    { name: 'CodeMismatchException' })
  passwordsUsed.add('Whatever1x')
  const { email } = await confirmedUser()
  const known = await cognito.send(new ForgotPasswordCommand({ ClientId, Username: email }))
  t.equal(known.CodeDeliveryDetails?.Destination, 'u***@e***')
  t.equal(emulator.mailbox.list(email)[0]?.source, 'ForgotPassword')
})

t.test('TOTP MFA: associate, verify, prefer, then sign in with a code', async t => {
  const { email, tokens } = await confirmedUser()
  const { SecretCode } = await cognito.send(new AssociateSoftwareTokenCommand({ AccessToken: tokens.AccessToken }))
  t.type(SecretCode, 'string')
  await t.rejects(cognito.send(new AssociateSoftwareTokenCommand({ AccessToken: tokens.IdToken })), { name: 'NotAuthorizedException', message: 'Invalid Access Token' })
  const verified = await cognito.send(new VerifySoftwareTokenCommand({ AccessToken: tokens.AccessToken, UserCode: totp(SecretCode ?? ''), FriendlyDeviceName: 'phone' }))
  t.equal(verified.Status, 'SUCCESS')
  await cognito.send(new SetUserMFAPreferenceCommand({ AccessToken: tokens.AccessToken, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }))

  const challenge = await cognito.send(new InitiateAuthCommand({ ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: email, PASSWORD } }))
  t.equal(challenge.ChallengeName, 'SOFTWARE_TOKEN_MFA')
  t.equal(challenge.AuthenticationResult, undefined)
  const respond = (code: string) => cognito.send(new RespondToAuthChallengeCommand({
    ClientId, ChallengeName: 'SOFTWARE_TOKEN_MFA', Session: challenge.Session, ChallengeResponses: { USERNAME: email, SOFTWARE_TOKEN_MFA_CODE: code }
  }))
  await t.rejects(respond('000000x'), { name: 'CodeMismatchException' })
  const done = await respond(totp(SecretCode ?? ''))
  const access = await verifier('access').verify(done.AuthenticationResult?.AccessToken ?? '')
  t.type(access.origin_jti, 'string')
  const refreshed = await refresh(done.AuthenticationResult?.RefreshToken ?? '')
  t.equal(claims(refreshed.AuthenticationResult?.AccessToken ?? '').origin_jti, access.origin_jti)
})

t.test('unsupported targets answer 500 Unsupported', async t => {
  const { tokens } = await confirmedUser()
  await t.rejects(cognito.send(new SetUserSettingsCommand({ AccessToken: tokens.AccessToken, MFAOptions: [] })), { name: 'Unsupported', $metadata: { httpStatusCode: 500 } })
})

t.test('restart with the same directory keeps ids, users and key; the client follows the token lifetime', async t => {
  const dir = await tempDir()
  const first = await start(dir)
  let email: string
  let oldTokens: { AccessToken: string }
  {
    const c = clientFor(first)
    email = `restart-${Date.now()}@example.com`
    await c.send(new AdminCreateUserCommand({ UserPoolId: first.userPoolId, Username: email, MessageAction: 'SUPPRESS' }))
    await c.send(new AdminSetUserPasswordCommand({ UserPoolId: first.userPoolId, Username: email, Password: PASSWORD, Permanent: true }))
    const res = await c.send(new InitiateAuthCommand({ ClientId: first.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: email, PASSWORD } }))
    oldTokens = { AccessToken: res.AuthenticationResult?.AccessToken ?? '' }
  }
  await first.close()
  t.equal((await stat(join(dir, 'signing-key.json'))).mode & 0o777, 0o600)
  t.equal((await stat(join(dir, 'admin-credentials.json'))).mode & 0o777, 0o600)

  const second = await start(dir, 2)
  t.equal(second.userPoolId, first.userPoolId)
  // (t.match: the SDK marks the credentials objects it is given with a `$source`.)
  t.match(second.credentials, { accessKeyId: first.credentials.accessKeyId, secretAccessKey: first.credentials.secretAccessKey }, 'the admin credentials belong to the directory')
  t.equal(second.clientId, first.clientId)
  t.same(second.jwks, first.jwks)
  const c = clientFor(second)
  // A token of the first run is still good: same key, same user.
  const user = await c.send(new GetUserCommand({ AccessToken: oldTokens.AccessToken }))
  t.equal(user.UserAttributes?.find(a => a.Name === 'email')?.Value, email)
  const { UserPoolClient } = await c.send(new DescribeUserPoolClientCommand({ UserPoolId: second.userPoolId, ClientId: second.clientId }))
  t.equal(UserPoolClient?.AccessTokenValidity, 2)
  t.equal(UserPoolClient?.IdTokenValidity, 2)

  const res = await c.send(new InitiateAuthCommand({ ClientId: second.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: email, PASSWORD } }))
  const access = res.AuthenticationResult?.AccessToken ?? ''
  t.equal(res.AuthenticationResult?.ExpiresIn, 2)
  t.equal(claims(access).exp - claims(access).iat, 2)
  t.equal(claims(res.AuthenticationResult?.IdToken ?? '').exp - claims(access).iat, 2)
  await sleep(2100)
  await t.rejects(c.send(new GetUserCommand({ AccessToken: access })), { name: 'NotAuthorizedException', message: 'Access Token has expired' })
  const v = CognitoJwtVerifier.create({ userPoolId: second.userPoolId, tokenUse: 'access', clientId: second.clientId })
  v.cacheJwks(second.jwks)
  await t.rejects(v.verify(access), { message: /^Token expired at / })
  // The refresh token outlives the access token.
  const refreshed = await c.send(new InitiateAuthCommand({ ClientId: second.clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: res.AuthenticationResult?.RefreshToken ?? '' } }))
  t.ok(await v.verify(refreshed.AuthenticationResult?.AccessToken ?? ''))
})

t.test('Mailbox: newest first, filtered by recipient ignoring case, bounded', async t => {
  const mailbox = new Mailbox()
  const at = (i: number) => new Date(Date.UTC(2025, 0, 1, 0, 0, i)).toISOString()
  mailbox.push({ to: 'A@example.com', code: '1', sentAt: at(1), medium: 'EMAIL', source: 'SignUp' })
  mailbox.push({ to: 'b@example.com', code: '2', sentAt: at(2), medium: 'EMAIL', source: 'SignUp' })
  mailbox.push({ to: 'a@example.com', code: '3', sentAt: at(3), medium: 'EMAIL', source: 'ResendCode' })
  t.same(mailbox.list().map(m => m.code), ['3', '2', '1'])
  t.same(mailbox.list('a@EXAMPLE.com').map(m => m.code), ['3', '1'])
  t.same(mailbox.list('nobody@example.com'), [])
  for (let i = 0; i < 600; i++) mailbox.push({ to: 'c@example.com', code: String(i), sentAt: at(4), medium: 'SMS', source: 'Authentication' })
  t.equal(mailbox.list().length, 500)
  t.equal(mailbox.list()[0]?.code, '599')
  t.equal(mailbox.list().at(-1)?.code, '100')
})

// Registered last so it runs after every other test in this file.
t.test('logs say who got a code and why, never the code or a password', async t => {
  const sent = logLines.map(line => JSON.parse(line)).filter(entry => entry.msg === 'emulator sent a code; read it at GET /dev/mailbox')
  t.ok(sent.length >= 5)
  t.match(sent[0], { level: 30, to: /@example\.com$/, purpose: 'sign-up code', medium: 'EMAIL' })
  const codes = new Set(emulator.mailbox.list().map(m => m.code))
  t.ok(codes.size >= 5)
  const leaks = logLines.filter(line => {
    const { time, pid, hostname, ...entry } = JSON.parse(line)
    const text = JSON.stringify(entry)
    return [...codes].some(code => new RegExp(`(^|\\D)${code}(\\D|$)`).test(text)) ||
      [...passwordsUsed].some(password => text.includes(password))
  })
  t.same(leaks, [])
  t.ok(logLines.some(line => line.includes('unsupported feature')), 'cognito-local still reports real failures')
})
