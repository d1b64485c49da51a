// Device tracking in the embedded emulator as a pool's DeviceConfiguration asks, through the AWS
// SDK with amazon-cognito-identity-js's SRP math for the device secrets, and end to end with its
// CognitoUser: NewDeviceMetadata, ConfirmDevice, DEVICE_SRP_AUTH instead of the second factor,
// opt-in remembering, forgetting, device-bound refresh tokens, the device operations, a device named
// by a sign-in without a password (USER_AUTH with an emailed code). The user's
// password goes by SRP in the first test and by USER_PASSWORD_AUTH elsewhere (the library's SRP
// math is slow, and the device steps are the same after either).
import t from 'tap'
import {
  AdminForgetDeviceCommand, AdminGetDeviceCommand, AdminListDevicesCommand, AdminUpdateDeviceStatusCommand, AssociateSoftwareTokenCommand,
  ConfirmDeviceCommand, ForgetDeviceCommand, GetDeviceCommand, InitiateAuthCommand, ListDevicesCommand, SetUserMFAPreferenceCommand,
  UpdateDeviceStatusCommand, VerifySoftwareTokenCommand, type DeviceConfigurationType, type ExplicitAuthFlowsType, type RespondToAuthChallengeCommandOutput
} from '@aws-sdk/client-cognito-identity-provider'
import { AuthenticationDetails, CognitoUser, CognitoUserPool, type ICognitoStorage } from 'amazon-cognito-identity-js'
import { generateSync } from 'otplib'
import { PASSWORD_POLICY } from '../../src/password-policy.ts'
import { createApiPool, newDeviceSecret, srpExchange, type ApiPool } from './pools.ts'
import { PASSWORD, startPool } from './pool.ts'

const { emulator, cognito } = await startPool(t)
const incorrect = { name: 'NotAuthorizedException', message: 'Incorrect username or password.' }
const notFound = { name: 'ResourceNotFoundException', message: 'Device does not exist.' }
const claims = (jwt = '') => JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>
const FLOWS: ExplicitAuthFlowsType[] = ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']

/** A pool that tracks devices as `config` says, with TOTP MFA optional. */
const trackingPool = (config: DeviceConfigurationType) => createApiPool(cognito, { pool: { DeviceConfiguration: config }, mfa: 'OPTIONAL', client: { ExplicitAuthFlows: FLOWS } })

/** A user with TOTP as their second factor; `totp()` gives a code now. */
async function totpUser (pool: ApiPool) {
  const email = await pool.user()
  const signedIn = await pool.passwordSignIn(email, PASSWORD)
  const AccessToken = signedIn.AuthenticationResult?.AccessToken
  const { SecretCode = '' } = await cognito.send(new AssociateSoftwareTokenCommand({ AccessToken }))
  const totp = () => generateSync({ secret: SecretCode })
  await cognito.send(new VerifySoftwareTokenCommand({ AccessToken, UserCode: totp() }))
  await cognito.send(new SetUserMFAPreferenceCommand({ AccessToken, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } }))
  return { email, totp }
}

/** A browser's device: the key and group key Cognito handed out, and the secret the client made and confirmed. */
interface Device { key: string, group: string, password: string }

/** Answers the second factor if asked; returns the answer that follows it. */
async function answerTotp (pool: ApiPool, answer: RespondToAuthChallengeCommandOutput, totp: () => string, extra: Record<string, string> = {}) {
  if (answer.ChallengeName !== 'SOFTWARE_TOKEN_MFA') return answer
  return await pool.respond(answer, 'SOFTWARE_TOKEN_MFA', String(answer.ChallengeParameters?.USER_ID_FOR_SRP), { SOFTWARE_TOKEN_MFA_CODE: totp(), ...extra })
}

/** Confirms the device a sign-in was handed, as a client does (the library makes the verifier). */
async function confirm (pool: ApiPool, tokens: RespondToAuthChallengeCommandOutput, name = 'Firefox on Linux'): Promise<Device & { necessary?: boolean }> {
  const metadata = tokens.AuthenticationResult?.NewDeviceMetadata
  const key = metadata?.DeviceKey ?? ''
  const group = metadata?.DeviceGroupKey ?? ''
  const secret = newDeviceSecret(group, key)
  const { UserConfirmationNecessary } = await cognito.send(new ConfirmDeviceCommand({ AccessToken: tokens.AuthenticationResult?.AccessToken, DeviceKey: key, DeviceSecretVerifierConfig: secret.config, DeviceName: name }))
  return { key, group, password: secret.password, necessary: UserConfirmationNecessary }
}

/** DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER answered with the device's secret (the library's math). */
async function proveDevice (pool: ApiPool, asked: RespondToAuthChallengeCommandOutput, device: Device, secret = device.password) {
  const username = String(asked.ChallengeParameters?.USERNAME)
  const srp = srpExchange(device.group)
  const verifier = await pool.respond(asked, 'DEVICE_SRP_AUTH', username, { DEVICE_KEY: device.key, SRP_A: srp.A })
  const answer = srp.claim(device.key, secret, verifier.ChallengeParameters)
  return { verifier, answer, tokens: await pool.respond(verifier, 'DEVICE_PASSWORD_VERIFIER', username, { ...answer, DEVICE_KEY: device.key }) }
}

const remembered = (device: { DeviceAttributes?: Array<{ Name?: string, Value?: string }> } | undefined) =>
  device?.DeviceAttributes?.find((a) => a.Name === 'dev:device_remembered_status')?.Value

t.test('always remembered: the second sign-in of the same device proves the device instead of TOTP; a fresh one is asked', async (t) => {
  const pool = await trackingPool({ ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: false })
  const { email, totp } = await totpUser(pool)
  const first = await pool.srpSignIn(email, PASSWORD)
  t.equal(first.ChallengeName, 'SOFTWARE_TOKEN_MFA', 'a new device is asked for the second factor')
  const tokens = await answerTotp(pool, first, totp)
  t.match(tokens.AuthenticationResult?.NewDeviceMetadata, { DeviceKey: new RegExp(`^${pool.userPoolId.split('_')[0]}_[0-9a-f-]{36}$`), DeviceGroupKey: /^-\w{9}$/ })
  t.equal(claims(tokens.AuthenticationResult?.AccessToken).device_key, tokens.AuthenticationResult?.NewDeviceMetadata?.DeviceKey, 'the tokens name the device')
  const device = await confirm(pool, tokens)
  t.equal(device.necessary, false, 'remembered at once')
  const access = tokens.AuthenticationResult?.AccessToken
  const { Devices = [] } = await cognito.send(new ListDevicesCommand({ AccessToken: access }))
  t.equal(Devices.length, 1)
  t.equal(Devices[0]?.DeviceKey, device.key)
  t.equal(remembered(Devices[0]), 'remembered')
  t.match(Devices[0]?.DeviceAttributes, [{ Name: 'device_status', Value: 'valid' }, { Name: 'device_name', Value: 'Firefox on Linux' }])
  t.equal((await cognito.send(new GetDeviceCommand({ AccessToken: access, DeviceKey: device.key }))).Device?.DeviceKey, device.key)

  const asked = await pool.srpSignIn(email, PASSWORD, { DEVICE_KEY: device.key })
  t.equal(asked.ChallengeName, 'DEVICE_SRP_AUTH', 'the device is asked to prove itself, not the user for a code')
  t.same(asked.ChallengeParameters, { USERNAME: claims(access).username, DEVICE_KEY: device.key })
  const proved = await proveDevice(pool, asked, device)
  t.equal(proved.verifier.ChallengeName, 'DEVICE_PASSWORD_VERIFIER')
  t.ok(proved.tokens.AuthenticationResult?.AccessToken, 'tokens without TOTP')
  t.notOk(proved.tokens.AuthenticationResult?.NewDeviceMetadata, 'no new device')
  t.equal(claims(proved.tokens.AuthenticationResult?.RefreshToken).device_key, device.key)
  const username = String(asked.ChallengeParameters?.USERNAME)
  await t.rejects(pool.respond(proved.verifier, 'DEVICE_PASSWORD_VERIFIER', username, { ...proved.answer, DEVICE_KEY: device.key }), { name: 'NotAuthorizedException', message: /only be used once/ }, 'a replayed device proof')
  await t.rejects(proveDevice(pool, await pool.srpSignIn(email, PASSWORD, { DEVICE_KEY: device.key }), device, 'a copied key without the secret'), incorrect)

  t.equal((await pool.srpSignIn(email, PASSWORD)).ChallengeName, 'SOFTWARE_TOKEN_MFA', 'another browser (no device key) is asked')
  const viaPassword = await cognito.send(new InitiateAuthCommand({ ClientId: pool.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: email, PASSWORD, DEVICE_KEY: device.key } }))
  t.equal(viaPassword.ChallengeName, 'DEVICE_SRP_AUTH', 'USER_PASSWORD_AUTH with the device key too')
  await t.rejects(pool.srpSignIn(email, 'Wrong1horse', { DEVICE_KEY: device.key }), incorrect, 'the device key gives nothing without the password')
})

t.test('refresh tokens are bound to their device; forgetting the device ends them and its key', async (t) => {
  const pool = await trackingPool({ ChallengeRequiredOnNewDevice: true })
  const { email, totp } = await totpUser(pool)
  const device = await confirm(pool, await answerTotp(pool, await pool.passwordSignIn(email, PASSWORD), totp))
  const { tokens } = await proveDevice(pool, await pool.passwordSignIn(email, PASSWORD, { DEVICE_KEY: device.key }), device)
  const refresh = (extra: Record<string, string>) => cognito.send(new InitiateAuthCommand({ ClientId: pool.clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: tokens.AuthenticationResult?.RefreshToken ?? '', ...extra } }))
  await t.rejects(refresh({}), { name: 'NotAuthorizedException', message: 'Invalid Refresh Token' }, 'without the DEVICE_KEY')
  await t.rejects(refresh({ DEVICE_KEY: `${device.key.slice(0, -1)}0` }), { name: 'NotAuthorizedException', message: 'Invalid Refresh Token' }, 'with another one')
  const refreshed = await refresh({ DEVICE_KEY: device.key })
  t.equal(claims(refreshed.AuthenticationResult?.AccessToken).device_key, device.key, 'the new tokens stay bound')

  await cognito.send(new ForgetDeviceCommand({ AccessToken: tokens.AuthenticationResult?.AccessToken, DeviceKey: device.key }))
  await t.rejects(refresh({ DEVICE_KEY: device.key }), { name: 'NotAuthorizedException', message: 'Invalid Refresh Token' }, 'a forgotten device\'s refresh token')
  await t.rejects(pool.passwordSignIn(email, PASSWORD, { DEVICE_KEY: device.key }), notFound, 'its key, after the password, as AWS answers (clients then drop it)')
  t.equal((await pool.passwordSignIn(email, PASSWORD)).ChallengeName, 'SOFTWARE_TOKEN_MFA', 'the second factor is asked again')
  await t.rejects(cognito.send(new ForgetDeviceCommand({ AccessToken: tokens.AuthenticationResult?.AccessToken, DeviceKey: device.key })), notFound)
})

t.test('opt-in: a confirmed device is remembered only when the user says so (UpdateDeviceStatus)', async (t) => {
  const pool = await trackingPool({ ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true })
  const { email, totp } = await totpUser(pool)
  const tokens = await answerTotp(pool, await pool.passwordSignIn(email, PASSWORD), totp)
  const device = await confirm(pool, tokens)
  t.equal(device.necessary, true, 'UserConfirmationNecessary: the app asks the user')
  const AccessToken = tokens.AuthenticationResult?.AccessToken
  t.equal(remembered((await cognito.send(new GetDeviceCommand({ AccessToken, DeviceKey: device.key }))).Device), 'not_remembered')

  const asked = await pool.passwordSignIn(email, PASSWORD, { DEVICE_KEY: device.key })
  t.equal(asked.ChallengeName, 'SOFTWARE_TOKEN_MFA', 'a device not remembered does not stand in for the second factor')
  const afterTotp = await answerTotp(pool, asked, totp)
  t.equal(afterTotp.ChallengeName, 'DEVICE_SRP_AUTH', 'then it proves itself')
  t.ok((await proveDevice(pool, afterTotp, device)).tokens.AuthenticationResult?.AccessToken)

  await cognito.send(new UpdateDeviceStatusCommand({ AccessToken, DeviceKey: device.key, DeviceRememberedStatus: 'remembered' }))
  t.equal((await pool.passwordSignIn(email, PASSWORD, { DEVICE_KEY: device.key })).ChallengeName, 'DEVICE_SRP_AUTH', 'remembered: no TOTP')
  await cognito.send(new UpdateDeviceStatusCommand({ AccessToken, DeviceKey: device.key, DeviceRememberedStatus: 'not_remembered' }))
  t.equal((await pool.passwordSignIn(email, PASSWORD, { DEVICE_KEY: device.key })).ChallengeName, 'SOFTWARE_TOKEN_MFA', 'not remembered again')
  await t.rejects(cognito.send(new UpdateDeviceStatusCommand({ AccessToken, DeviceKey: device.key, DeviceRememberedStatus: 'forever' as never })), { name: 'InvalidParameterException' })
})

t.test('ChallengeRequiredOnNewDevice false: a remembered device is still asked for the second factor', async (t) => {
  const pool = await trackingPool({ ChallengeRequiredOnNewDevice: false, DeviceOnlyRememberedOnUserPrompt: false })
  const { email, totp } = await totpUser(pool)
  const device = await confirm(pool, await answerTotp(pool, await pool.passwordSignIn(email, PASSWORD), totp))
  const asked = await pool.passwordSignIn(email, PASSWORD, { DEVICE_KEY: device.key })
  t.equal(asked.ChallengeName, 'SOFTWARE_TOKEN_MFA')
  t.equal((await answerTotp(pool, asked, totp)).ChallengeName, 'DEVICE_SRP_AUTH')
})

t.test('ConfirmDevice and the device operations refuse what is not the user\'s; the admin operations', async (t) => {
  const pool = await trackingPool({ ChallengeRequiredOnNewDevice: true })
  const alice = await pool.user('alice')
  const bob = await pool.user('bob')
  const aliceTokens = await pool.passwordSignIn(alice, PASSWORD)
  const bobTokens = await pool.passwordSignIn(bob, PASSWORD)
  const key = aliceTokens.AuthenticationResult?.NewDeviceMetadata?.DeviceKey ?? ''
  const secret = newDeviceSecret(aliceTokens.AuthenticationResult?.NewDeviceMetadata?.DeviceGroupKey ?? '', key)
  const confirmAs = (AccessToken: string | undefined, DeviceSecretVerifierConfig = secret.config) => cognito.send(new ConfirmDeviceCommand({ AccessToken, DeviceKey: key, DeviceSecretVerifierConfig }))
  await t.rejects(confirmAs(bobTokens.AuthenticationResult?.AccessToken), notFound, 'another user\'s device key')
  await t.rejects(confirmAs(aliceTokens.AuthenticationResult?.AccessToken, { PasswordVerifier: '', Salt: '' }), { name: 'InvalidParameterException' }, 'no verifier')
  t.same((await confirmAs(aliceTokens.AuthenticationResult?.AccessToken)).UserConfirmationNecessary, false)
  await t.rejects(confirmAs(aliceTokens.AuthenticationResult?.AccessToken), { name: 'DeviceKeyExistsException' }, 'confirmed twice')
  await t.rejects(cognito.send(new GetDeviceCommand({ AccessToken: bobTokens.AuthenticationResult?.AccessToken, DeviceKey: key })), notFound)
  t.same((await cognito.send(new ListDevicesCommand({ AccessToken: bobTokens.AuthenticationResult?.AccessToken }))).Devices, [], 'Bob\'s device was only handed out, never confirmed')

  const listed = await cognito.send(new AdminListDevicesCommand({ UserPoolId: pool.userPoolId, Username: alice }))
  t.same(listed.Devices?.map((d) => d.DeviceKey), [key])
  t.equal((await cognito.send(new AdminGetDeviceCommand({ UserPoolId: pool.userPoolId, Username: alice, DeviceKey: key }))).Device?.DeviceKey, key)
  await cognito.send(new AdminUpdateDeviceStatusCommand({ UserPoolId: pool.userPoolId, Username: alice, DeviceKey: key, DeviceRememberedStatus: 'not_remembered' }))
  t.equal(remembered((await cognito.send(new AdminGetDeviceCommand({ UserPoolId: pool.userPoolId, Username: alice, DeviceKey: key }))).Device), 'not_remembered')
  await cognito.send(new AdminForgetDeviceCommand({ UserPoolId: pool.userPoolId, Username: alice, DeviceKey: key }))
  t.same((await cognito.send(new AdminListDevicesCommand({ UserPoolId: pool.userPoolId, Username: alice }))).Devices, [])
  await t.rejects(cognito.send(new AdminListDevicesCommand({ UserPoolId: pool.userPoolId, Username: 'nobody@example.com' })), { name: 'UserNotFoundException' })
  await t.rejects(cognito.send(new ListDevicesCommand({ AccessToken: aliceTokens.AuthenticationResult?.AccessToken, Limit: 61 })), { name: 'InvalidParameterException' })
})

t.test('a pool without device tracking hands out no device keys', async (t) => {
  const pool = await createApiPool(cognito, { client: { ExplicitAuthFlows: FLOWS } })
  const email = await pool.user()
  const tokens = await pool.passwordSignIn(email, PASSWORD, { DEVICE_KEY: 'eu-west-1_00000000-0000-4000-8000-000000000000' })
  t.ok(tokens.AuthenticationResult?.AccessToken, 'a device key is ignored')
  t.notOk(tokens.AuthenticationResult?.NewDeviceMetadata)
  t.notOk(claims(tokens.AuthenticationResult?.AccessToken).device_key)
})

t.test('AWS\'s own client library remembers its device end to end: TOTP once, then device SRP', async (t) => {
  const pool = await trackingPool({ ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: false })
  const { email, totp } = await totpUser(pool)
  const store = new Map<string, string>()
  const storage: ICognitoStorage = { setItem: (k, v) => { store.set(k, v) }, getItem: (k) => store.get(k) ?? null, removeItem: (k) => { store.delete(k) }, clear: () => { store.clear() } }
  const userPool = new CognitoUserPool({ UserPoolId: pool.userPoolId, ClientId: pool.clientId, endpoint: emulator.endpoint, Storage: storage })
  const signIn = () => new Promise<{ totpAsked: boolean }>((resolve, reject) => {
    let totpAsked = false
    const user = new CognitoUser({ Username: email, Pool: userPool, Storage: storage })
    user.authenticateUser(new AuthenticationDetails({ Username: email, Password: PASSWORD }), {
      onSuccess: () => resolve({ totpAsked }),
      onFailure: reject,
      totpRequired: () => { totpAsked = true; user.sendMFACode(totp(), { onSuccess: () => resolve({ totpAsked }), onFailure: reject }, 'SOFTWARE_TOKEN_MFA') }
    })
  })
  t.same(await signIn(), { totpAsked: true }, 'the first sign-in: TOTP; the library confirms its device')
  t.ok([...store.keys()].some((k) => k.endsWith('.deviceKey')), 'it keeps the device key')
  t.same(await signIn(), { totpAsked: false }, 'the second: the library answers DEVICE_SRP_AUTH, no TOTP')
  const { Devices = [] } = await cognito.send(new AdminListDevicesCommand({ UserPoolId: pool.userPoolId, Username: email }))
  t.equal(Devices.length, 1)
  t.equal(remembered(Devices[0]), 'remembered')
})

t.test('a sign-in without a password names its device too: an emailed code, then DEVICE_SRP_AUTH instead of a new device; a forgotten key is refused at the start, before a code is sent', async (t) => {
  const pool = await createApiPool(cognito, {
    pool: { DeviceConfiguration: { ChallengeRequiredOnNewDevice: true }, Policies: { PasswordPolicy: PASSWORD_POLICY, SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP'] } } },
    client: { ExplicitAuthFlows: ['ALLOW_USER_AUTH', ...FLOWS] }
  })
  const email = await pool.user()
  const device = await confirm(pool, await pool.passwordSignIn(email, PASSWORD))
  const userAuth = (extra: Record<string, string>) => cognito.send(new InitiateAuthCommand({ ClientId: pool.clientId, AuthFlow: 'USER_AUTH', AuthParameters: { USERNAME: email, PREFERRED_CHALLENGE: 'EMAIL_OTP', ...extra } }))
  const emailed = await userAuth({ DEVICE_KEY: device.key })
  t.equal(emailed.ChallengeName, 'EMAIL_OTP', 'the code is sent')
  const asked = await pool.respond(emailed, 'EMAIL_OTP', email, { EMAIL_OTP_CODE: emulator.mailbox.list(email)[0]?.code ?? '' })
  t.equal(asked.ChallengeName, 'DEVICE_SRP_AUTH', 'the right code: the device proves itself, no tokens yet')
  const { tokens } = await proveDevice(pool, asked, device)
  t.ok(tokens.AuthenticationResult?.AccessToken, 'then tokens')
  t.notOk(tokens.AuthenticationResult?.NewDeviceMetadata, 'and no new device')
  t.equal(claims(tokens.AuthenticationResult?.AccessToken).device_key, device.key, 'bound to the device')

  await cognito.send(new AdminForgetDeviceCommand({ UserPoolId: pool.userPoolId, Username: email, DeviceKey: device.key }))
  const mailed = emulator.mailbox.list(email).length
  await t.rejects(userAuth({ DEVICE_KEY: device.key }), notFound, 'a forgotten device key: refused at the start')
  t.equal(emulator.mailbox.list(email).length, mailed, 'before any code was sent')
  const nobody = await cognito.send(new InitiateAuthCommand({ ClientId: pool.clientId, AuthFlow: 'USER_AUTH', AuthParameters: { USERNAME: `nobody-${Date.now()}@example.com`, PREFERRED_CHALLENGE: 'EMAIL_OTP', DEVICE_KEY: device.key } }))
  t.equal(nobody.ChallengeName, 'EMAIL_OTP', 'an unknown username\'s key is not checked: the same challenge as a member\'s')
})
