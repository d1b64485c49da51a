// Pools made through Cognito's API, in the emulator: CreateUserPool, UpdateUserPool and
// DescribeUserPool keep and read back every setting; SetUserPoolMfaConfig's factors and passkey
// settings take effect; the password policy and its history are AWS's; a temporary password
// expires; tokens of such a pool verify with aws-jwt-verify as AWS's would.
import t from 'tap'
import { CognitoJwtVerifier } from 'aws-jwt-verify'
import {
  AddCustomAttributesCommand, AdminCreateUserCommand, AdminSetUserPasswordCommand, ChangePasswordCommand, CompleteWebAuthnRegistrationCommand, ConfirmForgotPasswordCommand,
  CreateUserPoolCommand, DescribeUserPoolCommand, ForgotPasswordCommand, GetUserPoolMfaConfigCommand, SetUserMFAPreferenceCommand,
  SetUserPoolMfaConfigCommand, SignUpCommand, StartWebAuthnRegistrationCommand, UpdateUserPoolCommand
} from '@aws-sdk/client-cognito-identity-provider'
import { startTestEmulator, TestClock } from './pool.ts'
import { createPool, PASSWORD } from './pools.ts'
import { requestChallenge, SoftAuthenticator } from './soft-authenticator.ts'

const env = await startTestEmulator(t)
const { cognito, emulator } = env
let users = 0
const email = (label: string) => `${label}${++users}@example.com`

t.test('CreateUserPool: an id of AWS\'s form, every setting read back by DescribeUserPool, custom attributes in the schema', async (t) => {
  const { UserPool: made } = await cognito.send(new CreateUserPoolCommand({
    PoolName: 'shaped',
    AliasAttributes: ['email', 'preferred_username'],
    UsernameConfiguration: { CaseSensitive: false },
    AutoVerifiedAttributes: ['email'],
    Schema: [
      { Name: 'plan', AttributeDataType: 'String', Mutable: true, StringAttributeConstraints: { MaxLength: '10' } },
      { Name: 'tenant', AttributeDataType: 'String', Mutable: false },
      { Name: 'secret', AttributeDataType: 'String', DeveloperOnlyAttribute: true },
      { Name: 'name', AttributeDataType: 'String', Required: true }
    ],
    Policies: { PasswordPolicy: { MinimumLength: 10, RequireSymbols: true, PasswordHistorySize: 3 } },
    AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
    DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true },
    DeletionProtection: 'ACTIVE',
    UserPoolTier: 'PLUS',
    UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] }
  }))
  t.match(made?.Id, new RegExp(`^${emulator.region}_[A-Za-z0-9]{9}$`))
  t.equal(made?.Arn, `arn:aws:cognito-idp:${emulator.region}:000000000000:userpool/${made?.Id}`)
  const { UserPool: described } = await cognito.send(new DescribeUserPoolCommand({ UserPoolId: made?.Id }))
  t.match(described, {
    Name: 'shaped',
    AliasAttributes: ['email', 'preferred_username'],
    UsernameConfiguration: { CaseSensitive: false },
    AutoVerifiedAttributes: ['email'],
    Policies: { PasswordPolicy: { MinimumLength: 10, RequireSymbols: true, PasswordHistorySize: 3, TemporaryPasswordValidityDays: 7 } },
    AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
    DeviceConfiguration: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true },
    DeletionProtection: 'ACTIVE',
    UserPoolTier: 'PLUS',
    MfaConfiguration: 'OFF',
    EstimatedNumberOfUsers: 0,
    UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] }
  })
  t.equal(described?.UsernameAttributes, undefined, 'no username attributes: cognito-local\'s default of email is not added')
  const schema = new Map((described?.SchemaAttributes ?? []).map((a) => [a.Name, a]))
  t.match(schema.get('custom:plan'), { AttributeDataType: 'String', Mutable: true, StringAttributeConstraints: { MaxLength: '10' } })
  t.match(schema.get('custom:tenant'), { Mutable: false })
  t.match(schema.get('dev:custom:secret'), { DeveloperOnlyAttribute: true })
  t.match(schema.get('name'), { Required: true }, 'a standard attribute made required')
  t.ok(schema.has('email') && schema.has('phone_number'), 'the standard attributes are there')

  await cognito.send(new AddCustomAttributesCommand({ UserPoolId: made?.Id, CustomAttributes: [{ Name: 'level', AttributeDataType: 'Number', DeveloperOnlyAttribute: true }] }))
  const after = (await cognito.send(new DescribeUserPoolCommand({ UserPoolId: made?.Id }))).UserPool?.SchemaAttributes ?? []
  t.match(after.find((a) => a.Name === 'dev:custom:level'), { AttributeDataType: 'Number', DeveloperOnlyAttribute: true }, 'AddCustomAttributes names a developer-only attribute as CreateUserPool does')
  await t.rejects(cognito.send(new AddCustomAttributesCommand({ UserPoolId: made?.Id, CustomAttributes: [{ Name: 'plan', AttributeDataType: 'String' }] })),
    { name: 'InvalidParameterException', message: 'custom:plan: Existing attribute already has name custom:plan.' })
})

t.test('CreateUserPool refuses what AWS refuses', async (t) => {
  const refused = async (input: object, name = 'InvalidParameterException') =>
    await t.rejects(cognito.send(new CreateUserPoolCommand({ PoolName: 'bad', ...input })), { name })
  await refused({ UsernameAttributes: ['email'], AliasAttributes: ['phone_number'] })
  await refused({ UsernameAttributes: ['preferred_username'] })
  await refused({ Schema: [{ Name: 'plan', AttributeDataType: 'String', Required: true }] })
  await refused({ Schema: [{ Name: 'a-name-of-twenty-one!', AttributeDataType: 'String' }] })
  await refused({ Policies: { PasswordPolicy: { MinimumLength: 5 } } })
  await refused({ Policies: { PasswordPolicy: { PasswordHistorySize: 25 } } })
  await refused({ AutoVerifiedAttributes: ['email'], UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['phone_number'] } })
  await refused({ EmailConfiguration: { EmailSendingAccount: 'DEVELOPER' } })
  await refused({ Schema: Array.from({ length: 51 }, (_, i) => ({ Name: `c${i}`, AttributeDataType: 'String' as const })) }, 'LimitExceededException')
})

t.test('UpdateUserPool: what it names changes, what it leaves out goes back to AWS\'s default, sign-in names stay', async (t) => {
  const pool = await createPool(env, { pool: { UsernameAttributes: ['email'], Policies: { PasswordPolicy: { MinimumLength: 12, PasswordHistorySize: 0 } }, DeletionProtection: 'ACTIVE' } })
  const before = (await cognito.send(new DescribeUserPoolCommand({ UserPoolId: pool.poolId }))).UserPool?.Policies?.PasswordPolicy
  t.match(before, { MinimumLength: 12 })
  t.notOk(before !== undefined && 'PasswordHistorySize' in before, 'a history of 0 is not shown, as AWS documents')
  await cognito.send(new UpdateUserPoolCommand({ UserPoolId: pool.poolId, AutoVerifiedAttributes: ['email'], MfaConfiguration: 'OFF' }))
  const { UserPool } = await cognito.send(new DescribeUserPoolCommand({ UserPoolId: pool.poolId }))
  t.match(UserPool, { UsernameAttributes: ['email'], AutoVerifiedAttributes: ['email'], DeletionProtection: 'INACTIVE' })
  t.match(UserPool?.Policies?.PasswordPolicy, { MinimumLength: 8, RequireSymbols: true }, 'the default policy again')
  await t.rejects(pool.signUp(email('weak'), {}, 'Nosymbols12'), { name: 'InvalidPasswordException', message: 'Password did not conform with policy: Password must have symbol characters' })
})

t.test('the password policy with AWS\'s messages, and its history: PasswordHistoryPolicyViolationException', async (t) => {
  const pool = await createPool(env, {
    pool: { UsernameAttributes: ['email'], AutoVerifiedAttributes: ['email'], Policies: { PasswordPolicy: { MinimumLength: 10, RequireNumbers: true, PasswordHistorySize: 2 } } }
  })
  const address = email('history')
  await t.rejects(pool.signUp(address, {}, 'short1'), { name: 'InvalidPasswordException', message: 'Password did not conform with policy: Password not long enough' })
  await t.rejects(pool.signUp(address, {}, 'longenough'), { name: 'InvalidPasswordException', message: 'Password did not conform with policy: Password must have numeric characters' })
  await pool.signUp(address, {}, 'first-one-1')
  await pool.confirm(address)
  const access = (await pool.signIn(address, 'first-one-1')).AuthenticationResult?.AccessToken
  const change = (previous: string, proposed: string) => cognito.send(new ChangePasswordCommand({ AccessToken: access, PreviousPassword: previous, ProposedPassword: proposed }))
  await t.rejects(change('first-one-1', 'first-one-1'), { name: 'PasswordHistoryPolicyViolationException' }, 'the current password is in the history')
  await change('first-one-1', 'second-one-2')
  await t.rejects(change('second-one-2', 'first-one-1'), { name: 'PasswordHistoryPolicyViolationException' }, 'one of the last two')
  await t.rejects(change('wrong-password-9', 'first-one-1'), { name: 'NotAuthorizedException' }, 'a wrong previous password first')
  await change('second-one-2', 'third-one-3')
  await cognito.send(new ForgotPasswordCommand({ ClientId: pool.clientId, Username: address }))
  const code = env.lastMessage(address)?.code
  await t.rejects(cognito.send(new ConfirmForgotPasswordCommand({ ClientId: pool.clientId, Username: address, ConfirmationCode: code, Password: 'second-one-2' })), { name: 'PasswordHistoryPolicyViolationException' })
  await cognito.send(new ConfirmForgotPasswordCommand({ ClientId: pool.clientId, Username: address, ConfirmationCode: code, Password: 'first-one-1' }))
  t.ok((await pool.signIn(address, 'first-one-1')).AuthenticationResult, 'a password older than the history is taken again')
  await t.rejects(cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: pool.poolId, Username: address, Password: 'third-one-3', Permanent: true })), { name: 'PasswordHistoryPolicyViolationException' })
})

t.test('a temporary password expires after TemporaryPasswordValidityDays', async (t) => {
  const clock = new TestClock()
  const timed = await startTestEmulator(t, { clock })
  const pool = await createPool(timed, { pool: { UsernameAttributes: ['email'], Policies: { PasswordPolicy: { MinimumLength: 8, TemporaryPasswordValidityDays: 1 } } } })
  const address = email('invited')
  await timed.cognito.send(new AdminCreateUserCommand({ UserPoolId: pool.poolId, Username: address, TemporaryPassword: 'Temp-pass-1', MessageAction: 'SUPPRESS' }))
  t.equal((await pool.signIn(address, 'Temp-pass-1')).ChallengeName, 'NEW_PASSWORD_REQUIRED', 'within the day')
  clock.offsetMs = 25 * 3600_000
  await t.rejects(pool.signIn(address, 'Temp-pass-1'), { name: 'NotAuthorizedException', message: 'Temporary password has expired and must be reset by an administrator.' })
  await timed.cognito.send(new AdminCreateUserCommand({ UserPoolId: pool.poolId, Username: address, TemporaryPassword: 'Temp-pass-2', MessageAction: 'RESEND', DesiredDeliveryMediums: ['EMAIL'] }))
  t.equal((await pool.signIn(address, 'Temp-pass-2')).ChallengeName, 'NEW_PASSWORD_REQUIRED', 'RESEND gives a new one')
})

t.test('SetUserPoolMfaConfig: the factors and passkey settings read back and take effect', async (t) => {
  const pool = await createPool(env, { pool: { UsernameAttributes: ['email'], AutoVerifiedAttributes: ['email'] } })
  await t.rejects(cognito.send(new SetUserPoolMfaConfigCommand({ UserPoolId: pool.poolId, MfaConfiguration: 'ON' })), { name: 'InvalidParameterException' }, 'MFA on with no factor')
  await cognito.send(new SetUserPoolMfaConfigCommand({
    UserPoolId: pool.poolId,
    MfaConfiguration: 'OPTIONAL',
    SoftwareTokenMfaConfiguration: { Enabled: true },
    WebAuthnConfiguration: { RelyingPartyId: 'app.example.test', UserVerification: 'required' }
  }))
  t.match(await cognito.send(new GetUserPoolMfaConfigCommand({ UserPoolId: pool.poolId })), {
    MfaConfiguration: 'OPTIONAL',
    SoftwareTokenMfaConfiguration: { Enabled: true },
    WebAuthnConfiguration: { RelyingPartyId: 'app.example.test', UserVerification: 'required' }
  })
  t.equal((await cognito.send(new GetUserPoolMfaConfigCommand({ UserPoolId: pool.poolId }))).EmailMfaConfiguration, undefined)
  const address = email('mfa')
  await pool.signUp(address)
  await pool.confirm(address)
  const access = (await pool.signIn(address)).AuthenticationResult?.AccessToken
  await t.rejects(cognito.send(new SetUserMFAPreferenceCommand({ AccessToken: access, EmailMfaSettings: { Enabled: true } })), { name: 'InvalidParameterException' }, 'email codes are not offered by this pool')
  await cognito.send(new SetUserPoolMfaConfigCommand({ UserPoolId: pool.poolId, EmailMfaConfiguration: { Subject: 'Your code' } }))
  await cognito.send(new SetUserMFAPreferenceCommand({ AccessToken: access, EmailMfaSettings: { Enabled: true } }))
  t.equal((await pool.signIn(address)).ChallengeName, 'EMAIL_OTP', 'now they are')
})

t.test('WebAuthnConfiguration: the pool\'s relying party, and user verification required at registration and sign-in', async (t) => {
  const pool = await createPool(env, {
    pool: { UsernameAttributes: ['email'], AutoVerifiedAttributes: ['email'], Policies: { SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'WEB_AUTHN'] } } },
    mfa: { WebAuthnConfiguration: { RelyingPartyId: 'app.example.test', UserVerification: 'required' } }
  })
  const address = email('passkey')
  await pool.signUp(address)
  await pool.confirm(address)
  const access = (await pool.signIn(address)).AuthenticationResult?.AccessToken
  const start = async () => (await cognito.send(new StartWebAuthnRegistrationCommand({ AccessToken: access }))).CredentialCreationOptions as any
  const options = await start()
  t.match(options, { rp: { id: 'app.example.test' }, authenticatorSelection: { userVerification: 'required' } })
  const origin = 'https://app.example.test'
  const careless = new SoftAuthenticator()
  await t.rejects(cognito.send(new CompleteWebAuthnRegistrationCommand({ AccessToken: access, Credential: careless.register(options, { origin, userVerified: false }) as never })),
    { name: 'WebAuthnCredentialNotSupportedException' }, 'an authenticator that did not verify the user')
  await t.rejects(cognito.send(new CompleteWebAuthnRegistrationCommand({ AccessToken: access, Credential: new SoftAuthenticator().register(await start(), { origin: 'http://localhost:3000' }) as never })),
    { name: 'WebAuthnOriginNotAllowedException' }, 'localhost is not this relying party\'s origin')
  for (const [other, why] of [['http://app.example.test', 'http on the relying party\'s host'], ['https://notapp.example.test', 'a host that only ends like it']] as const) {
    await t.rejects(cognito.send(new CompleteWebAuthnRegistrationCommand({ AccessToken: access, Credential: new SoftAuthenticator().register(await start(), { origin: other }) as never })),
      { name: 'WebAuthnOriginNotAllowedException' }, why)
  }
  const key = new SoftAuthenticator()
  await cognito.send(new CompleteWebAuthnRegistrationCommand({ AccessToken: access, Credential: key.register(await start(), { origin: 'https://login.app.example.test:8443' }) as never }))
  const signIn = async () => await pool.initiate('USER_AUTH', { USERNAME: address, PREFERRED_CHALLENGE: 'WEB_AUTHN' })
  const asked = await signIn()
  const requested = JSON.parse(asked.ChallengeParameters?.CREDENTIAL_REQUEST_OPTIONS ?? '{}')
  t.match(requested, { rpId: 'app.example.test', userVerification: 'required' })
  await t.rejects(pool.respond(asked, 'WEB_AUTHN', { USERNAME: address, CREDENTIAL: JSON.stringify(key.sign(requested.challenge, { origin, rpId: 'app.example.test', userVerified: false })) }),
    { name: 'NotAuthorizedException' }, 'an assertion without user verification')
  const again = await signIn()
  const challenge = requestChallenge(again.ChallengeParameters?.CREDENTIAL_REQUEST_OPTIONS)
  const done = await pool.respond(again, 'WEB_AUTHN', { USERNAME: address, CREDENTIAL: JSON.stringify(key.sign(challenge, { origin, rpId: 'app.example.test' })) })
  t.ok(done.AuthenticationResult?.AccessToken, 'a verified user signs in')
})

t.test('tokens of a pool made through the API verify with aws-jwt-verify, as AWS\'s', async (t) => {
  const pool = await createPool(env, { pool: { UsernameAttributes: ['email'], AutoVerifiedAttributes: ['email'] } })
  const address = email('jwt')
  await pool.signUp(address)
  await pool.confirm(address)
  const result = (await pool.signIn(address)).AuthenticationResult
  const verifier = CognitoJwtVerifier.create({ userPoolId: pool.poolId, tokenUse: 'access', clientId: pool.clientId })
  verifier.cacheJwks(emulator.jwks as never)
  t.match(await verifier.verify(result?.AccessToken ?? ''), { iss: `https://cognito-idp.${emulator.region}.amazonaws.com/${pool.poolId}`, client_id: pool.clientId })
  await t.rejects(cognito.send(new SignUpCommand({ ClientId: pool.clientId, Username: address, Password: PASSWORD })), { name: 'UsernameExistsException', message: 'An account with the given email already exists.' })
})
