// The app's own API reads the verified access token's claims (`request.user.claims`,
// `ctx.user.claims`), those the pool's pre-token-generation trigger adds included: an app that
// registers authServer, configured for a pool made through Cognito's API in an emulator whose
// triggers module adds claims to the access token (the V2 event).
import t from 'tap'
import Fastify, { type FastifyInstance } from 'fastify'
import { authServer, type AccessTokenClaims } from '../src/index.ts'
import { Client, ME, signedIn, withAwsCredentials } from './helper.ts'
import { startTestEmulator } from './dev/pool.ts'
import { createApiPool } from './dev/pools.ts'

const TRIGGERS = `
export const preTokenGeneration = async (event) => {
  event.response.claimsAndScopeOverrideDetails = {
    accessTokenGeneration: { claimsToAddOrOverride: { tenant: 'acme', roles: ['reader', 'writer'] }, scopesToAdd: ['notes/read'] }
  }
  return event
}
`

const { emulator, cognito } = await startTestEmulator(t, { triggers: TRIGGERS })
withAwsCredentials(t, emulator.credentials)
const pool = await createApiPool(cognito, {
  client: { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'], PreventUserExistenceErrors: 'ENABLED', EnableTokenRevocation: true }
})

/** The app: authServer on the pool, a GraphQL field and routes of its own that read the caller's claims. */
async function appOnPool (): Promise<FastifyInstance> {
  const app = Fastify({ pluginTimeout: 60_000 })
  t.teardown(() => app.close())
  await app.register(authServer, {
    env: { NODE_ENV: 'test', EMULATOR_DATA_DIR: t.testdir(), COGNITO_USER_POOL_ID: pool.userPoolId, COGNITO_CLIENT_ID: pool.clientId, COGNITO_ENDPOINT: emulator.endpoint },
    schema: 'extend type Query { tenant: String @auth  roles: [String!] @auth  scope: String @auth }',
    resolvers: {
      Query: {
        tenant: (_root, _args, ctx) => ctx.user?.claims.tenant,
        roles: (_root, _args, ctx) => ctx.user?.claims.roles,
        scope: (_root, _args, ctx) => ctx.user?.claims.scope
      }
    }
  })
  app.get('/api/claims', { preHandler: app.requireUser }, async (request) => {
    const claims: AccessTokenClaims | undefined = request.user?.claims
    return { owner: request.user?.id, claims }
  })
  // An app that changes what it was given changes nothing behind the next request.
  app.get('/api/tamper', { preHandler: app.requireUser }, async (request) => {
    const claims = request.user?.claims as Record<string, unknown>
    claims.tenant = 'evil'
    ;(claims.roles as string[]).push('admin')
    return { tenant: claims.tenant }
  })
  await app.ready()
  return app
}

const app = await appOnPool()

t.test('an app route reads the trigger\'s claims from request.user.claims, with Cognito\'s own', async (t) => {
  const client = new Client(app, emulator.mailbox)
  const email = await signedIn(client)
  const me = await client.gql(ME)
  const id = me.data?.me?.id as string
  const res = await app.inject({ url: '/api/claims', headers: { cookie: client.cookieHeader() } })
  t.equal(res.statusCode, 200)
  const { owner, claims } = res.json() as { owner: string, claims: Record<string, unknown> }
  t.equal(owner, id)
  t.match(claims, { tenant: 'acme', roles: ['reader', 'writer'], sub: id, token_use: 'access', client_id: pool.clientId })
  t.same(String(claims.scope).split(' ').sort(), ['aws.cognito.signin.user.admin', 'notes/read'], 'the trigger\'s scope too')
  t.equal(typeof claims.username, 'string')
  t.not(claims.username, email, 'Cognito\'s username, not the email, in a pool with email as the username')

  const tampered = await app.inject({ url: '/api/tamper', headers: { cookie: client.cookieHeader() } })
  t.same(tampered.json(), { tenant: 'evil' })
  const again = (await app.inject({ url: '/api/claims', headers: { cookie: client.cookieHeader() } })).json() as { claims: Record<string, unknown> }
  t.match(again.claims, { tenant: 'acme', roles: ['reader', 'writer'] }, 'the next request reads the token as verified')

  const bearer = await app.inject({ url: '/api/claims', headers: { authorization: `Bearer ${client.jar.get('__Host-access') ?? ''}` } })
  t.match(bearer.json(), { owner: id, claims: { tenant: 'acme' } }, 'a Bearer caller\'s claims too')

  const session = await app.inject({ url: '/session', headers: { cookie: client.cookieHeader() } })
  t.equal(session.statusCode, 200)
  t.notOk('claims' in (session.json() as { user: object }).user, '/session answers its documented user, without the claims')
})

t.test('an app resolver reads them from ctx.user.claims; no session, no claims', async (t) => {
  const client = new Client(app, emulator.mailbox)
  await signedIn(client)
  const res = await client.gql('{ tenant roles scope }')
  t.same(res.errors, undefined)
  t.same(res.data, { tenant: 'acme', roles: ['reader', 'writer'], scope: res.data?.scope })
  t.match(res.data?.scope, /notes\/read/)

  const anonymous = await new Client(app).gql('{ tenant }')
  t.same(anonymous.codes, ['UNAUTHENTICATED'])
  t.equal((await app.inject({ url: '/api/claims' })).statusCode, 401)
})
