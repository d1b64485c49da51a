// Attributes as the pool's schema and the app client say, in a pool made through Cognito's API:
// custom attributes (mutable or not, developer-only), unknown ones refused, constraints and
// formats, required attributes, the client's read and write permissions, and what tokens carry.
import t from 'tap'
import {
  AdminCreateUserCommand, AdminGetUserCommand, AdminUpdateUserAttributesCommand, CreateUserPoolClientCommand, GetUserCommand,
  InitiateAuthCommand, UpdateUserAttributesCommand
} from '@aws-sdk/client-cognito-identity-provider'
import { startTestEmulator } from './pool.ts'
import { claimsOf, createPool, PASSWORD } from './pools.ts'

const env = await startTestEmulator(t)
const { cognito } = env
const pool = await createPool(env, {
  pool: {
    UsernameAttributes: ['email'],
    AutoVerifiedAttributes: ['email'],
    Schema: [
      { Name: 'plan', AttributeDataType: 'String', Mutable: true, StringAttributeConstraints: { MinLength: '2', MaxLength: '10' } },
      { Name: 'tenant', AttributeDataType: 'String', Mutable: false },
      { Name: 'seats', AttributeDataType: 'Number', NumberAttributeConstraints: { MinValue: '1', MaxValue: '100' } },
      { Name: 'secret', AttributeDataType: 'String', DeveloperOnlyAttribute: true },
      { Name: 'given_name', AttributeDataType: 'String', Required: true }
    ]
  }
})
let n = 0
const email = () => `attr${++n}-${Date.now()}@example.com`
const attributesOf = (list: Array<{ Name?: string, Value?: string }> | undefined) => Object.fromEntries((list ?? []).map((a) => [a.Name, a.Value]))

async function member (extra: Record<string, string> = {}) {
  const address = email()
  await pool.signUp(address, { given_name: 'Ada', 'custom:plan': 'basic', 'custom:tenant': 'acme', ...extra })
  await pool.confirm(address)
  const tokens = (await pool.signIn(address)).AuthenticationResult
  return { address, access: tokens?.AccessToken ?? '', id: tokens?.IdToken ?? '' }
}

t.test('sign-up: custom attributes of the schema taken, anything else refused with AWS\'s message forms', async (t) => {
  const refused = async (attributes: Record<string, string>, error: { name: string, message?: string | RegExp }) =>
    await t.rejects(pool.signUp(email(), { given_name: 'Ada', ...attributes }), error)
  await refused({ 'custom:nope': 'x' }, { name: 'InvalidParameterException', message: 'Attributes did not conform to the schema: custom:nope: Attribute does not exist in the schema.' })
  await refused({ plan: 'basic' }, { name: 'InvalidParameterException', message: /plan: Attribute does not exist in the schema/ })
  await refused({ 'custom:secret': 'x' }, { name: 'InvalidParameterException' })
  await refused({ 'dev:custom:secret': 'x' }, { name: 'NotAuthorizedException', message: 'A client attempted to write unauthorized attribute' })
  await refused({ 'custom:plan': 'this-is-too-long' }, { name: 'InvalidParameterException', message: /custom:plan: String must be no longer than 10 characters/ })
  await refused({ 'custom:seats': '0' }, { name: 'InvalidParameterException', message: /custom:seats: Number must be no less than 1/ })
  await refused({ phone_number: '0151 1234' }, { name: 'InvalidParameterException', message: /phone_number: Invalid phone number format/ })
  await refused({ sub: 'mine' }, { name: 'InvalidParameterException' })
  await t.rejects(pool.signUp(email(), {}), { name: 'InvalidParameterException', message: 'Attributes did not conform to the schema: given_name: The attribute is required' })
  const { id } = await member({ 'custom:seats': '5' })
  t.match(claimsOf(id), { given_name: 'Ada', 'custom:plan': 'basic', 'custom:tenant': 'acme', 'custom:seats': '5' }, 'custom attributes in the id token, as strings')
})

t.test('changes: mutable ones by the user, immutable ones by nobody, developer-only ones by administrators alone and never shown to users', async (t) => {
  const { address, access } = await member()
  await cognito.send(new UpdateUserAttributesCommand({ AccessToken: access, UserAttributes: [{ Name: 'custom:plan', Value: 'pro' }] }))
  await t.rejects(cognito.send(new UpdateUserAttributesCommand({ AccessToken: access, UserAttributes: [{ Name: 'custom:tenant', Value: 'other' }] })),
    { name: 'InvalidParameterException', message: 'Invalid user attributes: user.custom:tenant: Attribute cannot be updated. (changing an immutable attribute)' })
  await t.rejects(cognito.send(new UpdateUserAttributesCommand({ AccessToken: access, UserAttributes: [{ Name: 'custom:unknown', Value: 'x' }] })),
    { name: 'InvalidParameterException', message: 'Invalid user attributes: user.custom:unknown: Attribute does not exist in the schema.' })
  await t.rejects(cognito.send(new UpdateUserAttributesCommand({ AccessToken: access, UserAttributes: [{ Name: 'dev:custom:secret', Value: 'x' }] })), { name: 'NotAuthorizedException' })
  await t.rejects(cognito.send(new AdminUpdateUserAttributesCommand({ UserPoolId: pool.poolId, Username: address, UserAttributes: [{ Name: 'custom:tenant', Value: 'other' }] })),
    { name: 'InvalidParameterException' }, 'immutable for administrators too')
  await cognito.send(new AdminUpdateUserAttributesCommand({ UserPoolId: pool.poolId, Username: address, UserAttributes: [{ Name: 'dev:custom:secret', Value: 's3cret' }] }))
  t.match(attributesOf((await cognito.send(new AdminGetUserCommand({ UserPoolId: pool.poolId, Username: address }))).UserAttributes), { 'custom:plan': 'pro', 'dev:custom:secret': 's3cret' })
  const own = attributesOf((await cognito.send(new GetUserCommand({ AccessToken: access }))).UserAttributes)
  t.equal(own['custom:plan'], 'pro')
  t.equal(own['dev:custom:secret'], undefined, 'the user does not read a developer-only attribute')
  t.equal(claimsOf((await pool.signIn(address)).AuthenticationResult?.IdToken)['dev:custom:secret'], undefined, 'nor does their id token carry it')
  await t.rejects(cognito.send(new AdminUpdateUserAttributesCommand({ UserPoolId: pool.poolId, Username: 'nobody@example.com', UserAttributes: [{ Name: 'custom:plan', Value: 'x' }] })), { name: 'UserNotFoundException' })
  await cognito.send(new AdminCreateUserCommand({
    UserPoolId: pool.poolId, Username: email(), MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'custom:tenant', Value: 'acme' }, { Name: 'dev:custom:secret', Value: 'x' }]
  }))
  t.pass('an administrator makes a user with an immutable and a developer-only attribute, and no required one')
})

t.test('an app client\'s ReadAttributes and WriteAttributes', async (t) => {
  const { UserPoolClient } = await cognito.send(new CreateUserPoolClientCommand({
    UserPoolId: pool.poolId,
    ClientName: 'narrow',
    ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    ReadAttributes: ['email', 'email_verified', 'given_name'],
    WriteAttributes: ['given_name']
  }))
  const { address } = await member()
  const signedIn = await cognito.send(new InitiateAuthCommand({ ClientId: UserPoolClient?.ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: address, PASSWORD } }))
  const access = signedIn.AuthenticationResult?.AccessToken
  const id = claimsOf(signedIn.AuthenticationResult?.IdToken)
  t.equal(id.given_name, 'Ada')
  t.equal(id['custom:plan'], undefined, 'the id token holds only what the client reads')
  t.same(Object.keys(attributesOf((await cognito.send(new GetUserCommand({ AccessToken: access }))).UserAttributes)).sort(), ['email', 'email_verified', 'given_name', 'sub'])
  await cognito.send(new UpdateUserAttributesCommand({ AccessToken: access, UserAttributes: [{ Name: 'given_name', Value: 'Augusta' }] }))
  await t.rejects(cognito.send(new UpdateUserAttributesCommand({ AccessToken: access, UserAttributes: [{ Name: 'custom:plan', Value: 'pro' }] })),
    { name: 'NotAuthorizedException', message: 'A client attempted to write unauthorized attribute' })
})
