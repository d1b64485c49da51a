// The pool's Lambda triggers in development (EMULATOR_TRIGGERS): a module the test writes runs as
// every pool's triggers, with AWS's event shapes, AWS's rules for their answers, and a throw
// answered as UserLambdaValidationException '<Trigger> failed with error <message>.'
import { join } from 'node:path'
import t from 'tap'
import Fastify from 'fastify'
import {
  AdminAddUserToGroupCommand, AdminGetUserCommand, ConfirmSignUpCommand, CreateGroupCommand, DescribeUserPoolCommand, ForgotPasswordCommand, InitiateAuthCommand,
  ListUsersCommand, SignUpCommand
} from '@aws-sdk/client-cognito-identity-provider'
import { startStandalone } from '../../scripts/emulator.ts'
import { startEmulator } from '../../src/dev/emulator.ts'
import { build, emulatorClient } from '../helper.ts'
import { CALLBACK, OAuthBrowser, PUBLIC_ORIGIN } from '../oauth-helpers.ts'
import { startTestEmulator, writeTriggers } from './pool.ts'
import { claimsOf, createPool, PASSWORD, srpExchange } from './pools.ts'

// The module records every event it gets where the test can read it: it runs in this process.
const TRIGGERS = `
const seen = (globalThis.triggerEvents ??= [])
const email = (event) => event.request.userAttributes.email ?? ''
export const preSignUp = async (event) => {
  seen.push(structuredClone(event))
  if (email(event).endsWith('@blocked.test')) throw new Error('Sign-ups from blocked.test are closed')
  if (email(event).endsWith('@trusted.test')) Object.assign(event.response, { autoConfirmUser: true, autoVerifyEmail: true })
  if (email(event).endsWith('@phoneless.test')) event.response.autoVerifyPhone = true
  return event
}
export const postConfirmation = async (event) => {
  seen.push(structuredClone(event))
  if (email(event).startsWith('crm-down')) throw new Error('CRM unavailable')
  if (email(event).startsWith('forgetful')) return undefined
  return event
}
export const preAuthentication = async (event) => {
  seen.push(structuredClone(event))
  if (event.request.validationData?.block === 'yes') throw new Error('Blocked by policy')
  return event
}
export function postAuthentication (event, context, callback) {
  seen.push(structuredClone(event))
  if (email(event).startsWith('audit-down')) callback(new Error('Audit log unavailable'))
  else callback(null, event)
}
export const preTokenGeneration = async (event) => {
  seen.push(structuredClone(event))
  if (event.version === '1') {
    event.response.claimsOverrideDetails = { claimsToAddOrOverride: { tenant: 'v1' } }
    return event
  }
  event.response.claimsAndScopeOverrideDetails = {
    idTokenGeneration: { claimsToAddOrOverride: { tenant: 'acme', sub: 'forged' }, claimsToSuppress: ['email'] },
    accessTokenGeneration: { claimsToAddOrOverride: { tenant: 'acme', roles: ['reader', 'writer'], token_use: 'id' }, scopesToAdd: ['notes/read'] },
    groupOverrideDetails: { groupsToOverride: ['from-trigger', ...event.request.groupConfiguration.groupsToOverride] }
  }
  return event
}
export const customMessage = async (event) => {
  seen.push(structuredClone(event))
  if (event.triggerSource === 'CustomMessage_SignUp') {
    event.response.emailSubject = 'Welcome aboard'
    event.response.emailMessage = 'Welcome! Your code is ' + event.request.codeParameter + '.'
  }
  if (event.triggerSource === 'CustomMessage_ForgotPassword') event.response.emailMessage = 'No placeholder here'
  return event
}
`
const SES = { EmailSendingAccount: 'DEVELOPER' as const, SourceArn: 'arn:aws:ses:eu-west-1:000000000000:identity/example.test' }

const env = await startTestEmulator(t, { triggers: TRIGGERS })
const { cognito, emulator } = env
const pool = await createPool(env, { pool: { UsernameAttributes: ['email'], AutoVerifiedAttributes: ['email'], EmailConfiguration: SES } })
const events = (): Array<Record<string, any>> => (globalThis as { triggerEvents?: Array<Record<string, any>> }).triggerEvents ?? []
const lastEvent = (source: string) => events().filter((e) => e.triggerSource === source).at(-1)
let n = 0
const address = (label: string, domain = 'example.com') => `${label}${++n}-${Date.now()}@${domain}`

t.test('pre sign-up: AWS\'s event; a throw is UserLambdaValidationException and no account', async (t) => {
  const blocked = address('mallory', 'blocked.test')
  await t.rejects(cognito.send(new SignUpCommand({ ClientId: pool.clientId, Username: blocked, Password: PASSWORD })),
    { name: 'UserLambdaValidationException', message: 'PreSignUp failed with error Sign-ups from blocked.test are closed.' })
  t.same((await cognito.send(new ListUsersCommand({ UserPoolId: pool.poolId, Filter: `email = "${blocked}"` }))).Users, [], 'no account')
  const email = address('ada')
  const { UserSub } = await cognito.send(new SignUpCommand({
    ClientId: pool.clientId, Username: email, Password: PASSWORD, ValidationData: [{ Name: 'captcha', Value: 'ok' }], ClientMetadata: { origin: 'web' }
  }))
  t.match(lastEvent('PreSignUp_SignUp'), {
    version: '1',
    region: emulator.region,
    userPoolId: pool.poolId,
    userName: UserSub,
    callerContext: { clientId: pool.clientId, awsSdkVersion: String },
    request: { userAttributes: { email }, validationData: { captcha: 'ok' }, clientMetadata: { origin: 'web' } },
    response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false }
  })
})

t.test('pre sign-up confirms and verifies; post confirmation follows; auto-verifying what is not there is refused', async (t) => {
  const email = address('grace', 'trusted.test')
  const out = await cognito.send(new SignUpCommand({ ClientId: pool.clientId, Username: email, Password: PASSWORD }))
  t.equal(out.UserConfirmed, true)
  t.equal(out.CodeDeliveryDetails, undefined, 'no code for a confirmed user')
  t.equal(env.lastMessage(email), undefined)
  const user = await cognito.send(new AdminGetUserCommand({ UserPoolId: pool.poolId, Username: email }))
  t.equal(user.UserStatus, 'CONFIRMED')
  t.equal(user.UserAttributes?.find((a) => a.Name === 'email_verified')?.Value, 'true')
  t.match(lastEvent('PostConfirmation_ConfirmSignUp'), { userName: out.UserSub, request: { userAttributes: { email, 'cognito:user_status': 'CONFIRMED', email_verified: 'true' } } })
  t.ok((await pool.signIn(email)).AuthenticationResult, 'and signs in at once')
  await t.rejects(cognito.send(new SignUpCommand({ ClientId: pool.clientId, Username: address('x', 'phoneless.test'), Password: PASSWORD })), { name: 'InvalidLambdaResponseException' })
})

t.test('custom message: the trigger\'s text and subject around the code; a text without the code is not used; email text needs SES', async (t) => {
  const email = address('lin')
  await pool.signUp(email)
  const sent = env.lastMessage(email)
  t.match(sent, { source: 'SignUp', subject: 'Welcome aboard' })
  t.equal(sent?.message, `Welcome! Your code is ${sent?.code}.`)
  t.match(lastEvent('CustomMessage_SignUp'), { request: { codeParameter: '{####}', usernameParameter: null, userAttributes: { email } }, callerContext: { clientId: pool.clientId } })
  await pool.confirm(email)
  t.match(lastEvent('PostConfirmation_ConfirmSignUp'), { request: { userAttributes: { email, email_verified: 'true' } } })
  await cognito.send(new ForgotPasswordCommand({ ClientId: pool.clientId, Username: email }))
  t.equal(env.lastMessage(email)?.message, undefined, 'without the code placeholder in it, the default message goes out')
  const plain = await createPool(env, { pool: { UsernameAttributes: ['email'], AutoVerifiedAttributes: ['email'] } })
  await t.rejects(plain.signUp(address('kim')), { name: 'InvalidLambdaResponseException' }, 'an email text in a pool that sends with Cognito\'s own email')
})

t.test('post confirmation: a throw fails the confirmation, the user stays confirmed; an answer without the event is unreadable', async (t) => {
  const email = address('crm-down')
  await pool.signUp(email)
  await t.rejects(pool.confirm(email), { name: 'UserLambdaValidationException', message: 'PostConfirmation failed with error CRM unavailable.' })
  t.equal((await cognito.send(new AdminGetUserCommand({ UserPoolId: pool.poolId, Username: email }))).UserStatus, 'CONFIRMED')
  const other = address('forgetful')
  await pool.signUp(other)
  await t.rejects(cognito.send(new ConfirmSignUpCommand({ ClientId: pool.clientId, Username: other, ConfirmationCode: env.lastMessage(other)?.code })),
    { name: 'InvalidLambdaResponseException', message: 'Unrecognizable lambda output' })
})

t.test('pre and post authentication around a sign-in: validation data, unknown users, a throw takes the tokens back', async (t) => {
  const email = address('alan')
  await pool.signUp(email)
  await pool.confirm(email)
  await t.rejects(pool.initiate('USER_PASSWORD_AUTH', { USERNAME: email, PASSWORD }, { block: 'yes' }),
    { name: 'UserLambdaValidationException', message: 'PreAuthentication failed with error Blocked by policy.' })
  t.match(lastEvent('PreAuthentication_Authentication'), { request: { validationData: { block: 'yes' }, userNotFound: false, userAttributes: { email } } })
  await t.rejects(pool.signIn('nobody@example.com'), { name: 'NotAuthorizedException' })
  t.match(lastEvent('PreAuthentication_Authentication'), { userName: 'nobody@example.com', request: { userNotFound: true, userAttributes: {} } })
  t.ok((await pool.signIn(email)).AuthenticationResult)
  t.match(lastEvent('PostAuthentication_Authentication'), { request: { newDeviceUsed: false, userAttributes: { email } } })
  const audited = address('audit-down')
  await pool.signUp(audited)
  await pool.confirm(audited)
  await t.rejects(pool.signIn(audited), { name: 'UserLambdaValidationException', message: 'PostAuthentication failed with error Audit log unavailable.' })
})

t.test('SRP in a pool that tracks devices passes the same triggers: pre authentication first, then the proof, then post authentication with the new device', async (t) => {
  const tracking = await createPool(env, {
    pool: { UsernameAttributes: ['email'], AutoVerifiedAttributes: ['email'], EmailConfiguration: SES, DeviceConfiguration: { ChallengeRequiredOnNewDevice: false, DeviceOnlyRememberedOnUserPrompt: false } },
    client: { ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }
  })
  const email = address('grace')
  await tracking.signUp(email)
  await tracking.confirm(email)
  const srp = srpExchange(tracking.poolId.slice(tracking.poolId.indexOf('_') + 1))
  await t.rejects(tracking.initiate('USER_SRP_AUTH', { USERNAME: email, SRP_A: srp.A }, { block: 'yes' }),
    { name: 'UserLambdaValidationException', message: 'PreAuthentication failed with error Blocked by policy.' }, 'refused before any proof')
  const started = await tracking.initiate('USER_SRP_AUTH', { USERNAME: email, SRP_A: srp.A })
  const id = String(started.ChallengeParameters?.USER_ID_FOR_SRP)
  const done = await tracking.respond(started, 'PASSWORD_VERIFIER', { USERNAME: id, ...srp.claim(id, PASSWORD, started.ChallengeParameters) })
  t.ok(done.AuthenticationResult?.NewDeviceMetadata?.DeviceKey, 'device tracking handed out a device')
  t.equal(claimsOf(done.AuthenticationResult?.AccessToken).tenant, 'acme', 'pre token generation shaped the SRP sign-in\'s tokens')
  t.match(lastEvent('PostAuthentication_Authentication'), { userName: id, request: { newDeviceUsed: true, userAttributes: { email } } })
})

t.test('pre token generation V2: claims in both tokens, reserved ones kept, groups and scopes overridden, on refresh too', async (t) => {
  await cognito.send(new CreateGroupCommand({ UserPoolId: pool.poolId, GroupName: 'staff' }))
  const email = address('barbara')
  await pool.signUp(email)
  await pool.confirm(email)
  await cognito.send(new AdminAddUserToGroupCommand({ UserPoolId: pool.poolId, Username: email, GroupName: 'staff' }))
  const result = (await pool.signIn(email)).AuthenticationResult
  const id = claimsOf(result?.IdToken)
  const access = claimsOf(result?.AccessToken)
  t.match(id, { tenant: 'acme', 'cognito:groups': ['from-trigger', 'staff'], token_use: 'id' })
  t.not(id.sub, 'forged', 'sub is Cognito\'s')
  t.equal(id.email, undefined, 'email suppressed')
  t.match(access, { tenant: 'acme', roles: ['reader', 'writer'], token_use: 'access', 'cognito:groups': ['from-trigger', 'staff'] })
  t.same(access.scope.split(' ').sort(), ['aws.cognito.signin.user.admin', 'notes/read'])
  t.match(lastEvent('TokenGeneration_Authentication'), { version: '2', request: { scopes: ['aws.cognito.signin.user.admin'], groupConfiguration: { groupsToOverride: ['staff'] }, userAttributes: { email } } })
  const refreshed = await cognito.send(new InitiateAuthCommand({ ClientId: pool.clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: result?.RefreshToken ?? '' } }))
  t.equal(claimsOf(refreshed.AuthenticationResult?.AccessToken).tenant, 'acme')
  t.ok(lastEvent('TokenGeneration_RefreshTokens'), 'the refresh ran the trigger with its own source')

  const v1 = await createPool(env, {
    pool: { UsernameAttributes: ['email'], AutoVerifiedAttributes: ['email'], EmailConfiguration: SES, LambdaConfig: { PreTokenGenerationConfig: { LambdaVersion: 'V1_0', LambdaArn: 'arn:aws:lambda:eu-west-1:000000000000:function:pre-token' } } }
  })
  const other = address('v1')
  await v1.signUp(other)
  await v1.confirm(other)
  const v1Result = (await v1.signIn(other)).AuthenticationResult
  t.equal(claimsOf(v1Result?.IdToken).tenant, 'v1', 'a V1_0 pool gets the V1 event: the id token')
  t.equal(claimsOf(v1Result?.AccessToken).tenant, undefined, 'and not the access token')
})

t.test('DescribeUserPool lists the module\'s triggers in LambdaConfig', async (t) => {
  const { UserPool } = await cognito.send(new DescribeUserPoolCommand({ UserPoolId: pool.poolId }))
  t.match(UserPool?.LambdaConfig, {
    PreSignUp: `arn:aws:lambda:${emulator.region}:000000000000:function:emulator-preSignUp`,
    PostConfirmation: String,
    PreAuthentication: String,
    PostAuthentication: String,
    PreTokenGeneration: String,
    CustomMessage: String
  })
  t.equal(UserPool?.LambdaConfig?.DefineAuthChallenge, undefined, 'not exported, not listed')
})

t.test('a module that does not load, or exports a trigger that is no function, stops the emulator from starting', async (t) => {
  const logger = Fastify({ logger: { level: 'silent' } }).log
  await t.rejects(startEmulator({ dataDir: join(env.dir, 'missing'), logger, triggers: join(env.dir, 'no-such-module.mjs') }), { message: /^EMULATOR_TRIGGERS=.*no-such-module\.mjs: the module did not load/ })
  const bad = await writeTriggers(env.dir, 'export const preSignUp = "yes"\n', 'bad.mjs')
  await t.rejects(startEmulator({ dataDir: join(env.dir, 'bad'), logger, triggers: bad }), { message: `EMULATOR_TRIGGERS=${bad}: the export preSignUp is not a function` })
})

t.test('a federated first sign-in runs pre sign-up (PreSignUp_ExternalProvider); its refusal goes back to the app in the query', async (t) => {
  await emulator.setRedirectUrls({ callbackUrls: [CALLBACK], logoutUrls: [`${PUBLIC_ORIGIN}/`] })
  const authorize = new URL('/oauth2/authorize', emulator.managedLoginDomain)
  for (const [name, value] of Object.entries({ response_type: 'code', client_id: emulator.clientId, redirect_uri: CALLBACK, scope: 'openid email', identity_provider: 'DevIdP', state: 's1' })) authorize.searchParams.set(name, value)
  // Only the managed login and DevIdP are visited: no app is needed to answer PUBLIC_ORIGIN.
  const browser = new OAuthBrowser()
  const refused = await browser.signInAtDevIdp(address('fed', 'blocked.test'), 'Fed', authorize.href)
  t.match(Object.fromEntries(new URL(refused.location ?? '').searchParams), {
    error: 'invalid_request', error_description: 'PreSignUp failed with error Sign-ups from blocked.test are closed.', state: 's1'
  })
  const email = address('fed')
  const welcomed = await new OAuthBrowser().signInAtDevIdp(email, 'Fed', authorize.href)
  t.ok(new URL(welcomed.location ?? '').searchParams.get('code'), 'another email gets its code')
  t.match(lastEvent('PreSignUp_ExternalProvider'), { userName: String, request: { userAttributes: { email } } })
})

t.test('the server\'s embedded emulator runs the module of EMULATOR_TRIGGERS', async (t) => {
  const module = await writeTriggers(env.dir, 'export const preSignUp = async () => { throw new Error("closed for the day") }\n', 'server-triggers.mjs')
  const app = await build(t, { env: { EMULATOR_TRIGGERS: module } })
  const embedded = app.emulator
  if (embedded === undefined) throw new Error('no embedded emulator')
  const client = emulatorClient(t, { ...embedded.pool, credentials: embedded.credentials })
  await t.rejects(client.send(new SignUpCommand({ ClientId: embedded.pool.clientId, Username: address('server'), Password: PASSWORD })),
    { name: 'UserLambdaValidationException', message: 'PreSignUp failed with error closed for the day.' })
})

t.test('npm run emulator runs the module of EMULATOR_TRIGGERS too', async (t) => {
  const module = await writeTriggers(env.dir, 'export const preSignUp = async () => { throw new Error("standalone says no") }\n', 'standalone-triggers.mjs')
  const standalone = await startStandalone({ EMULATOR_DATA_DIR: join(env.dir, 'standalone'), EMULATOR_TRIGGERS: module, LOG_LEVEL: 'silent' }, 0, () => {})
  t.teardown(() => standalone.close())
  t.same(standalone.emulator.triggers, ['preSignUp'])
  const client = emulatorClient(t, standalone.emulator)
  await t.rejects(client.send(new SignUpCommand({ ClientId: standalone.emulator.clientId, Username: address('standalone'), Password: PASSWORD })),
    { name: 'UserLambdaValidationException', message: 'PreSignUp failed with error standalone says no.' })
})
