import { existsSync, statSync } from 'node:fs'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import {
  AdminGetUserCommand, AdminListGroupsForUserCommand, DescribeUserPoolClientCommand, DescribeUserPoolCommand, GetGroupCommand,
  GetUserPoolMfaConfigCommand, InitiateAuthCommand, ListUserPoolsCommand, RespondToAuthChallengeCommand
} from '@aws-sdk/client-cognito-identity-provider'
import {
  addToGroup, cognitoClient, createUser, disableUser, enableUser, poolAdmin, removeFromGroup, runAdmin, signOutEverywhere, targetFromEnv
} from '../scripts/admin.ts'
import { environmentLines, provision, runProvision, type ProvisionOptions } from '../scripts/provision.ts'
import type { Emulator } from '../src/dev/emulator.ts'
import { build, Client, runScript, emulatorInTempDir } from './helper.ts'
import { RELAXED_LIMITS, RESPOND, SIGN_IN_STEP_DOC, totp } from './challenge-helpers.ts'

/** An emulator of its own, and its data directory (where the scripts find its admin credentials). */
async function emulatorFor (t: Pick<Test, 'teardown'>): Promise<Emulator & { dataDir: string }> {
  const { emulator, dataDir } = await emulatorInTempDir(t)
  return { ...emulator, dataDir }
}

const OPTIONS: ProvisionOptions = { name: 'auth-test', refreshTokenDays: 30, clientSecret: false, mfa: 'OPTIONAL', adminGroup: 'operators', relyingPartyId: 'auth.example.com' }

t.test('provision creates a pool and app client with the settings the server needs, and prints the environment', async (t) => {
  const emulator = await emulatorFor(t)
  const cognito = cognitoClient({ region: emulator.region, endpoint: emulator.endpoint, credentials: emulator.credentials })
  t.teardown(() => cognito.destroy())

  const result = await provision(cognito, OPTIONS)
  t.match(result, { userPoolId: /_/, clientId: String, clientSecret: undefined })
  const UserPoolId = result.userPoolId

  const { UserPool } = await cognito.send(new DescribeUserPoolCommand({ UserPoolId }))
  t.same(UserPool?.UsernameAttributes, ['email'], 'email is the username')
  t.same(UserPool?.UsernameConfiguration, { CaseSensitive: false })
  t.same(UserPool?.AutoVerifiedAttributes, ['email'], 'email is verified by a code')
  t.same(UserPool?.UserAttributeUpdateSettings, { AttributesRequireVerificationBeforeUpdate: ['email'] }, 'a new email waits for its code')
  t.match(UserPool?.Policies?.PasswordPolicy, { MinimumLength: 8, RequireUppercase: true, RequireLowercase: true, RequireNumbers: true })
  t.same(UserPool?.Policies?.SignInPolicy?.AllowedFirstAuthFactors, ['PASSWORD', 'WEB_AUTHN'], 'passkeys as a first factor; codes only where they can be sent')

  const mfa = await cognito.send(new GetUserPoolMfaConfigCommand({ UserPoolId }))
  t.equal(mfa.MfaConfiguration, 'OPTIONAL')
  t.equal(mfa.SoftwareTokenMfaConfiguration?.Enabled, true, 'TOTP')

  const { UserPoolClient } = await cognito.send(new DescribeUserPoolClientCommand({ UserPoolId, ClientId: result.clientId }))
  t.same(UserPoolClient?.ExplicitAuthFlows, ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'])
  t.equal(UserPoolClient?.EnableTokenRevocation, true)
  t.equal(UserPoolClient?.PreventUserExistenceErrors, 'ENABLED')
  t.equal(UserPoolClient?.RefreshTokenValidity, 30)
  t.same(UserPoolClient?.TokenValidityUnits, { AccessToken: 'minutes', IdToken: 'minutes', RefreshToken: 'days' })
  t.same(UserPoolClient?.WriteAttributes, ['email', 'name'])
  t.equal(UserPoolClient?.ClientSecret, undefined)
  t.equal((await cognito.send(new GetGroupCommand({ UserPoolId, GroupName: 'operators' }))).Group?.GroupName, 'operators')

  t.same(environmentLines(result, { ...OPTIONS, region: 'eu-west-1', endpoint: emulator.endpoint }), [
    'COGNITO_REGION=eu-west-1',
    `COGNITO_USER_POOL_ID=${UserPoolId}`,
    `COGNITO_CLIENT_ID=${result.clientId}`,
    `COGNITO_ENDPOINT=${emulator.endpoint}`,
    'REFRESH_TOKEN_TTL=30d',
    'ADMIN_GROUP=operators'
  ])

  // The CLI: options, a client secret, MFA required, and the lines on stdout.
  const out: string[] = []
  const code = await runProvision(['--name', 'cli', '--client-secret', '--mfa', 'on', '--refresh-days', '7', '--ses-source-arn', 'arn:aws:ses:eu-west-1:123456789012:identity/auth@example.com'], { COGNITO_ENDPOINT: emulator.endpoint, COGNITO_REGION: 'eu-west-1', EMULATOR_DATA_DIR: emulator.dataDir }, (line) => out.push(line))
  t.equal(code, 0)
  const lines = Object.fromEntries(out.filter((l) => !l.startsWith('#')).map((l) => l.split('=', 2) as [string, string]))
  t.match(lines, { COGNITO_REGION: 'eu-west-1', COGNITO_USER_POOL_ID: /_/, COGNITO_CLIENT_ID: String, COGNITO_CLIENT_SECRET: String, COGNITO_ENDPOINT: emulator.endpoint, REFRESH_TOKEN_TTL: '7d', ADMIN_GROUP: 'admin' })
  t.equal((await cognito.send(new GetUserPoolMfaConfigCommand({ UserPoolId: lines.COGNITO_USER_POOL_ID }))).MfaConfiguration, 'ON')
  t.match(out.join('\n'), /Essentials feature plan; choice-based sign-in \(ALLOW_USER_AUTH\) with PASSWORD, WEB_AUTHN, EMAIL_OTP; passkeys for localhost\./, 'says what it configured')
  const cliPool = (await cognito.send(new DescribeUserPoolCommand({ UserPoolId: lines.COGNITO_USER_POOL_ID }))).UserPool
  t.same(cliPool?.Policies?.SignInPolicy?.AllowedFirstAuthFactors, ['PASSWORD', 'WEB_AUTHN', 'EMAIL_OTP'], 'emailed codes with an SES identity')

  const errors: string[] = []
  t.equal(await runProvision(['--mfa', 'sometimes'], { COGNITO_REGION: 'eu-west-1' }, () => {}, (line) => errors.push(line)), 2)
  t.equal(await runProvision([], {}, () => {}, (line) => errors.push(line)), 2)
  t.match(errors.join('\n'), /invalid --refresh-days or --mfa[\s\S]*a region is needed/)
})

t.test('provision --dry-run prints every call it would make, with its input, and creates nothing', async (t) => {
  const emulator = await emulatorFor(t)
  const cognito = cognitoClient({ region: emulator.region, endpoint: emulator.endpoint, credentials: emulator.credentials })
  t.teardown(() => cognito.destroy())
  const pools = async () => (await cognito.send(new ListUserPoolsCommand({ MaxResults: 60 }))).UserPools?.map((pool) => pool.Id)
  const before = await pools()
  const out: string[] = []
  const code = await runProvision(['--dry-run', '--name', 'dry', '--public-origin', 'https://app.example.com', '--domain-prefix', 'dry-login'], { COGNITO_ENDPOINT: emulator.endpoint, COGNITO_REGION: 'eu-west-1', EMULATOR_DATA_DIR: emulator.dataDir }, (line) => out.push(line))
  t.equal(code, 0)
  const text = out.join('\n')
  t.match(out[0], /^# Dry run: nothing is created or changed/)
  for (const call of ['CreateUserPool', 'SetUserPoolMfaConfig', 'CreateUserPoolClient', 'CreateGroup', 'CreateUserPoolDomain', 'UpdateUserPoolClient']) t.match(text, `# would call ${call}:`, call)
  t.match(text, /#\s+"PoolName": "dry"/, 'with its input')
  t.match(text, /#\s+"UserPoolTier": "ESSENTIALS"/, 'the billed plan is visible before anything is created')
  t.match(text, /^COGNITO_USER_POOL_ID=<new user pool id>$/m, 'the environment it would print')
  t.same(await pools(), before, 'no pool was created')
})

t.test('admin: create a user with a temporary password, groups, disable and enable, sign out everywhere, reset MFA', async (t) => {
  const emulator = await emulatorFor(t)
  const admin = poolAdmin({ region: emulator.region, userPoolId: emulator.userPoolId, endpoint: emulator.endpoint, credentials: emulator.credentials })
  t.teardown(() => admin.cognito.destroy())
  const ClientId = emulator.clientId
  const signIn = (email: string, password: string) => admin.cognito.send(new InitiateAuthCommand({ ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: email, PASSWORD: password } }))

  const email = `ops-${Date.now()}@example.com`
  const created = await createUser(admin, { email: ` ${email.toUpperCase()} `, name: 'Ops' })
  t.equal(created.status, 'FORCE_CHANGE_PASSWORD')
  const [invitation] = emulator.mailbox.list(email)
  t.match(invitation, { to: email, medium: 'EMAIL', source: 'AdminCreateUser' }, 'the temporary password went to the user by email')
  const temporary = invitation?.code ?? ''
  const challenge = await signIn(email, temporary)
  t.equal(challenge.ChallengeName, 'NEW_PASSWORD_REQUIRED')
  const user = await admin.cognito.send(new AdminGetUserCommand({ UserPoolId: admin.userPoolId, Username: email }))
  t.same(Object.fromEntries((user.UserAttributes ?? []).filter((a) => a.Name !== 'sub').map((a) => [a.Name, a.Value])), { email, email_verified: 'true', name: 'Ops' })
  const done = await admin.cognito.send(new RespondToAuthChallengeCommand({
    ClientId, ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: challenge.Session, ChallengeResponses: { USERNAME: challenge.ChallengeParameters?.USER_ID_FOR_SRP ?? '', NEW_PASSWORD: 'Chosen-Pass-1' }
  }))
  const refreshToken = done.AuthenticationResult?.RefreshToken ?? ''

  const groups = async () => (await admin.cognito.send(new AdminListGroupsForUserCommand({ UserPoolId: admin.userPoolId, Username: email }))).Groups?.map((g) => g.GroupName)
  await addToGroup(admin, email, 'admin')
  t.same(await groups(), ['admin'])
  await removeFromGroup(admin, email, 'admin')
  t.same(await groups(), [])

  const refresh = (token: string) => admin.cognito.send(new InitiateAuthCommand({ ClientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: token } }))
  await disableUser(admin, email)
  await t.rejects(signIn(email, 'Chosen-Pass-1'), { name: 'NotAuthorizedException' }, 'a disabled user cannot sign in')
  await enableUser(admin, email)
  await t.rejects(refresh(refreshToken), { name: 'NotAuthorizedException' }, 'disabling ended the sessions: enabled again, the old one stays ended')
  const enabled = await signIn(email, 'Chosen-Pass-1')
  t.ok(enabled.AuthenticationResult?.AccessToken, 'enabled again')

  const newToken = enabled.AuthenticationResult?.RefreshToken ?? ''
  t.ok((await refresh(newToken)).AuthenticationResult?.AccessToken)
  await signOutEverywhere(admin, email)
  await t.rejects(refresh(newToken), { name: 'NotAuthorizedException' }, 'signed out everywhere: no refresh')

  await t.rejects(createUser(admin, { email }), { name: 'UsernameExistsException' })
  await t.rejects(disableUser(admin, 'nobody@example.com'), { name: 'UserNotFoundException' })
})

t.test('admin reset-mfa: a user who lost their authenticator signs in with the password again', async (t) => {
  const app = await build(t, { env: RELAXED_LIMITS })
  const pool = app.emulator?.pool
  if (pool === undefined) throw new Error('no embedded emulator')
  // The emulator's data directory holds the admin credentials npm run admin signs with.
  const env = { COGNITO_USER_POOL_ID: pool.userPoolId, COGNITO_REGION: pool.region, COGNITO_ENDPOINT: pool.endpoint, EMULATOR_DATA_DIR: app.config.emulator.dataDir }
  const client = new Client(app)
  const email = `lost-${Date.now()}@example.com`
  t.equal(await runAdmin(['create-user', email, '--temporary-password', 'Temporary-1x'], env, () => {}), 0)
  await client.gql(SIGN_IN_STEP_DOC, { email, password: 'Temporary-1x' })
  await client.gql(RESPOND, { input: { name: 'NEW_PASSWORD_REQUIRED', newPassword: 'Chosen-Pass-1' } })
  const secret = (await client.gql('mutation { setupTotp(input: { currentPassword: "Chosen-Pass-1" }) { secret } }')).data?.setupTotp.secret as string
  await client.gql('mutation ($c: String!) { verifyTotp(input: { code: $c }) { id } }', { c: totp(secret) })
  t.equal((await new Client(app).gql(SIGN_IN_STEP_DOC, { email, password: 'Chosen-Pass-1' })).data?.signIn.name, 'SOFTWARE_TOKEN_MFA')

  const out: string[] = []
  t.equal(await runAdmin(['reset-mfa', email], env, (line) => out.push(line)), 0)
  t.match(out, [/turned off the second factors/])
  const after = await new Client(app).gql(SIGN_IN_STEP_DOC, { email, password: 'Chosen-Pass-1' })
  t.match(after.data?.signIn, { __typename: 'Session', user: { mfa: [], preferredMfa: null } })
})

t.test('admin CLI: usage, failures, and the pool from the environment', async (t) => {
  const errors: string[] = []
  const err = (line: string) => errors.push(line)
  t.equal(await runAdmin([], {}, () => {}, err), 2)
  t.equal(await runAdmin(['promote', 'a@example.com'], {}, () => {}, err), 2)
  t.match(errors.join('\n'), /usage: npm run admin[\s\S]*unknown command: promote/)
  const help: string[] = []
  t.equal(await runAdmin(['help'], {}, (line) => help.push(line)), 0)
  t.match(help.join('\n'), /create-user[\s\S]*reset-mfa/)

  t.same(targetFromEnv({ COGNITO_USER_POOL_ID: 'eu-central-1_Abc', COGNITO_ENDPOINT: '' }), { region: 'eu-central-1', userPoolId: 'eu-central-1_Abc', endpoint: undefined })
  t.throws(() => targetFromEnv({ EMULATOR_DATA_DIR: t.testdir() }), /no user pool/)

  const emulator = await emulatorFor(t)
  const failed: string[] = []
  const env = { COGNITO_USER_POOL_ID: emulator.userPoolId, COGNITO_REGION: emulator.region, COGNITO_ENDPOINT: emulator.endpoint, EMULATOR_DATA_DIR: emulator.dataDir }
  t.equal(await runAdmin(['disable', 'nobody@example.com'], env, () => {}, (line) => failed.push(line)), 1)
  t.match(failed, [/^disable failed: UserNotFoundException: /])
  t.match(targetFromEnv(env).credentials, { accessKeyId: emulator.credentials.accessKeyId, secretAccessKey: emulator.credentials.secretAccessKey }, 'a loopback COGNITO_ENDPOINT is signed for with the admin credentials of EMULATOR_DATA_DIR')

  // Without them (another data directory), the emulator refuses the admin operation.
  const refused: string[] = []
  t.equal(await runAdmin(['disable', 'nobody@example.com'], { ...env, EMULATOR_DATA_DIR: t.testdir() }, () => {}, (line) => refused.push(line)), 1)
  t.match(refused, [/^disable failed: UnrecognizedClientException: /])
})

t.test('npm run admin finds the embedded emulator of a running server: create a user, who then signs in', async (t) => {
  const dataDir = t.testdir()
  const app = await build(t, { env: { ...RELAXED_LIMITS, EMULATOR_DATA_DIR: dataDir } })
  t.ok(existsSync(join(dataDir, 'emulator.json')), 'the running emulator says where it listens')
  t.equal(statSync(join(dataDir, 'admin-credentials.json')).mode & 0o777, 0o600, 'and keeps its admin credentials for the owner only')
  const email = `spawned-${Date.now()}@example.com`

  const { code, stdout, stderr } = await runScript(t, 'scripts/admin.ts', ['create-user', email, '--name', 'Spawned'], { EMULATOR_DATA_DIR: dataDir, NODE_ENV: 'test' })
  t.equal(code, 0, stderr)
  t.match(stdout, new RegExp(`created ${email.replace(/[.]/g, '\\.')} \\(FORCE_CHANGE_PASSWORD\\)`))

  const temporary = await new Client(app).code(email)
  t.notMatch(stdout + stderr, temporary, 'the temporary password is not printed')
  const client = new Client(app)
  t.equal((await client.gql(SIGN_IN_STEP_DOC, { email, password: temporary })).data?.signIn.name, 'NEW_PASSWORD_REQUIRED')
  const done = await client.gql(RESPOND, { input: { name: 'NEW_PASSWORD_REQUIRED', newPassword: 'Chosen-Pass-1' } })
  t.match(done.data?.respondToChallenge, { __typename: 'Session', user: { email } })

  await app.close()
  t.notOk(existsSync(join(dataDir, 'emulator.json')), 'and the file goes when it stops')
})
