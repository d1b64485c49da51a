// User attributes (PROFILE_ATTRIBUTES, PROFILE_ATTRIBUTES_READONLY) on a pool made through
// Cognito's API with custom attributes: `User.attributes` shows only the configured ones,
// `updateProfile(attributes)` writes only the writable ones (null removes one), and a start whose
// lists the pool or its app client cannot honour is refused, naming the attribute.
import t from 'tap'
import {
  AdminConfirmSignUpCommand, AdminGetUserCommand, SignUpCommand, type CreateUserPoolClientCommandInput, type CreateUserPoolCommandInput
} from '@aws-sdk/client-cognito-identity-provider'
import { loadConfig } from '../src/config.ts'
import { build, Client, newEmail, PASSWORD, SIGN_IN, withAwsCredentials } from './helper.ts'
import { startTestEmulator } from './dev/pool.ts'
import { createApiPool } from './dev/pools.ts'

const { emulator, cognito } = await startTestEmulator(t)
withAwsCredentials(t, emulator.credentials)
const CLIENT: Partial<CreateUserPoolClientCommandInput> = { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'], PreventUserExistenceErrors: 'ENABLED', EnableTokenRevocation: true }
const SCHEMA: CreateUserPoolCommandInput['Schema'] = [
  { Name: 'plan', AttributeDataType: 'String', Mutable: true },
  { Name: 'team', AttributeDataType: 'String', Mutable: false },
  { Name: 'secret', AttributeDataType: 'String', Mutable: true }
]
const pool = await createApiPool(cognito, { pool: { Schema: SCHEMA }, client: { ...CLIENT } })
const poolEnv = { COGNITO_USER_POOL_ID: pool.userPoolId, COGNITO_CLIENT_ID: pool.clientId, COGNITO_ENDPOINT: emulator.endpoint }
const ATTRIBUTES = { PROFILE_ATTRIBUTES: 'custom:plan,locale', PROFILE_ATTRIBUTES_READONLY: 'custom:team' }
const app = await build(t, { env: { ...poolEnv, ...ATTRIBUTES } })

const USER = '{ me { attributes { name value } } }'
const UPDATE = 'mutation ($attributes: [UserAttributeInput!]) { updateProfile(input: { attributes: $attributes }) { attributes { name value } } }'

/** A user whose team was set at sign-up (it cannot change after), signed in through the server. */
async function signedInUser (): Promise<{ client: Client, email: string }> {
  const email = newEmail('attributes')
  await cognito.send(new SignUpCommand({ ClientId: pool.clientId, Username: email, Password: PASSWORD, UserAttributes: [{ Name: 'custom:team', Value: 'blue' }, { Name: 'custom:secret', Value: 's3' }] }))
  await cognito.send(new AdminConfirmSignUpCommand({ UserPoolId: pool.userPoolId, Username: email }))
  const client = new Client(app, emulator.mailbox)
  const res = await client.gql(SIGN_IN, { email, password: PASSWORD })
  if (res.data?.signIn?.__typename !== 'Session') throw new Error(`sign-in failed: ${JSON.stringify(res.errors)}`)
  return { client, email }
}

/** The user's attributes as Cognito keeps them. */
async function stored (email: string): Promise<Record<string, string | undefined>> {
  const out = await cognito.send(new AdminGetUserCommand({ UserPoolId: pool.userPoolId, Username: email }))
  return Object.fromEntries((out.UserAttributes ?? []).map((a) => [a.Name, a.Value]))
}

t.test('User.attributes: the configured ones only, in order, unset ones null', async (t) => {
  const { client } = await signedInUser()
  const res = await client.gql(USER)
  t.same(res.errors, undefined)
  t.same(res.data?.me.attributes, [{ name: 'custom:plan', value: null }, { name: 'locale', value: null }, { name: 'custom:team', value: 'blue' }], 'custom:secret is not shown')
  const bearer = await new Client(app).gql(USER, undefined, { authorization: `Bearer ${client.jar.get('__Host-access') ?? ''}` })
  t.same(bearer.data?.me.attributes, res.data?.me.attributes, 'the same for a Bearer token')
})

t.test('updateProfile writes the writable ones, and me shows them at once; null removes one', async (t) => {
  const { client, email } = await signedInUser()
  const set = await client.gql(UPDATE, { attributes: [{ name: 'custom:plan', value: 'pro' }, { name: 'locale', value: 'de-DE' }] })
  t.same(set.errors, undefined)
  t.same(set.data?.updateProfile.attributes, [{ name: 'custom:plan', value: 'pro' }, { name: 'locale', value: 'de-DE' }, { name: 'custom:team', value: 'blue' }])
  t.same((await client.gql(USER)).data?.me.attributes, set.data?.updateProfile.attributes, 'me, on the next request')
  t.match(await stored(email), { 'custom:plan': 'pro', locale: 'de-DE' }, 'Cognito has them')

  const removed = await client.gql(UPDATE, { attributes: [{ name: 'custom:plan', value: null }] })
  t.same(removed.errors, undefined)
  t.same(removed.data?.updateProfile.attributes[0], { name: 'custom:plan', value: null })
  const after = await stored(email)
  t.notOk('custom:plan' in after, 'removed at Cognito')
  t.equal(after.locale, 'de-DE', 'the others stay')
})

t.test('updateProfile refuses an attribute outside PROFILE_ATTRIBUTES, naming it, and changes nothing', async (t) => {
  const { client, email } = await signedInUser()
  const cases: Array<[Array<{ name: string, value: string | null }>, RegExp]> = [
    [[{ name: 'custom:plan', value: 'pro' }, { name: 'custom:team', value: 'red' }], /custom:team cannot be changed here \(only custom:plan, locale\)/],
    [[{ name: 'custom:secret', value: 'mine' }], /custom:secret cannot be changed/],
    [[{ name: 'email', value: 'other@example.com' }], /email cannot be changed/],
    [[{ name: 'custom:plan', value: 'a' }, { name: 'custom:plan', value: 'b' }], /custom:plan is given twice/],
    [[{ name: 'custom:plan', value: 'x'.repeat(2049) }], /too long/]
  ]
  for (const [attributes, message] of cases) {
    const res = await client.gql(UPDATE, { attributes })
    t.same(res.codes, ['BAD_USER_INPUT'], JSON.stringify(attributes).slice(0, 80))
    t.match(res.errors?.[0]?.message, message)
  }
  t.match(await stored(email), { 'custom:team': 'blue', 'custom:secret': 's3' })
  t.notOk('custom:plan' in await stored(email), 'the refused request\'s writable attribute did not change either')
  t.same((await client.gql('mutation { updateProfile(input: {}) { id } }')).codes, ['BAD_USER_INPUT'], 'nothing to change')
})

t.test('a start whose attributes the pool or its app client cannot honour is refused, naming the attribute', async (t) => {
  await t.rejects(build(t, { env: { ...poolEnv, PROFILE_ATTRIBUTES: 'custom:plan,custom:nope' } }), { message: /PROFILE_ATTRIBUTES names custom:nope, which the pool's schema does not have/ })
  await t.rejects(build(t, { env: { ...poolEnv, PROFILE_ATTRIBUTES: 'custom:team' } }), { message: /custom:team cannot change once set/ })
  const strict = await createApiPool(cognito, { pool: { Schema: SCHEMA }, client: { ...CLIENT, ReadAttributes: ['email', 'custom:plan'], WriteAttributes: ['email'] } })
  const strictEnv = { COGNITO_USER_POOL_ID: strict.userPoolId, COGNITO_CLIENT_ID: strict.clientId, COGNITO_ENDPOINT: emulator.endpoint }
  await t.rejects(build(t, { env: { ...strictEnv, PROFILE_ATTRIBUTES: 'custom:plan' } }), { message: /the app client does not let users write custom:plan/ })
  await t.rejects(build(t, { env: { ...strictEnv, PROFILE_ATTRIBUTES_READONLY: 'custom:team' } }), { message: /the app client does not let users read custom:team/ })
  await t.resolves(build(t, { env: { ...strictEnv, PROFILE_ATTRIBUTES_READONLY: 'custom:plan' } }), 'what the client lets users read')
})

t.test('the lists themselves: reserved, repeated or malformed names are refused before any pool is read', async (t) => {
  t.throws(() => loadConfig({ NODE_ENV: 'test', PROFILE_ATTRIBUTES: 'email' }), { message: /PROFILE_ATTRIBUTES: email has its own field and flow/ })
  t.throws(() => loadConfig({ NODE_ENV: 'test', PROFILE_ATTRIBUTES: 'locale', PROFILE_ATTRIBUTES_READONLY: 'locale' }), { message: /locale in both/ })
  t.throws(() => loadConfig({ NODE_ENV: 'test', PROFILE_ATTRIBUTES_READONLY: 'custom:a-name-far-too-long-for-cognito' }), { message: /is not an attribute name/ })
  t.throws(() => loadConfig({ NODE_ENV: 'test', PROFILE_ATTRIBUTES: 'locale,locale' }), { message: /PROFILE_ATTRIBUTES names locale twice/ })
})

t.test('without admin credentials that may read the pool, the start goes on unchecked and says so', async (t) => {
  withAwsCredentials(t, { accessKeyId: 'AKIDNOTTHEEMULATOR', secretAccessKey: 'wrong' })
  const logs: string[] = []
  await build(t, { env: { ...poolEnv, PROFILE_ATTRIBUTES: 'custom:nope' }, logs })
  t.match(logs.join(''), /PROFILE_ATTRIBUTES and PROFILE_ATTRIBUTES_READONLY not checked against the pool: DescribeUserPool failed/)
})

t.test('the pool and its app client are read once at start, shared by the sign-in names, the password flow, device tracking and the attributes', async (t) => {
  await app.cognitoDiscovered
  const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body
  const attempts = (operation: string): number => [...metrics.matchAll(new RegExp(`^cognito_request_duration_seconds_count\\{[^}]*operation="${operation}"[^}]*\\} (\\d+)$`, 'gm'))]
    .reduce((sum, match) => sum + Number(match[1]), 0)
  t.equal(attempts('DescribeUserPool'), 1, 'one DescribeUserPool')
  t.equal(attempts('DescribeUserPoolClient'), 1, 'one DescribeUserPoolClient')
})
