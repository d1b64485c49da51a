// FEDERATION=true: the API as a subgraph behind @mercuriusjs/gateway, next to a second subgraph
// that extends the user, all on real loopback ports; and nothing of federation without it.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { addToGroup } from '../scripts/admin.ts'
import { adminOf, RELAXED_LIMITS } from './challenge-helpers.ts'
import { gatewayOf, notesService } from './federation-helpers.ts'
import { build, Client, ME, PASSWORD, registerUser, SIGN_IN, SIGN_OUT, signedIn } from './helper.ts'

const ENTITIES = 'query ($representations: [_Any!]!) { _entities(representations: $representations) { ... on User { id email } } }'

t.test('behind a gateway: the session through the cookie header, the user extended by another subgraph, _entities only for the caller', async (t) => {
  const app = await build(t, { env: { ...RELAXED_LIMITS, FEDERATION: 'true', TRUST_PROXY: '1' } })
  const authUrl = `${await app.listen({ port: 0, host: '127.0.0.1' })}/graphql`
  const gateway = await gatewayOf(t, authUrl, await notesService(t))
  const gatewayUrl = `${await gateway.listen({ port: 0, host: '127.0.0.1' })}/graphql`

  const email = await registerUser(new Client(app))
  const other = new Client(app)
  await signedIn(other)
  const otherId = ((await other.gql(ME)).data as { me: { id: string } }).me.id

  const browser = Client.http(gatewayUrl)
  t.same((await browser.gql('{ me { email notes } }')).data, { me: null }, 'signed out: me is null through the gateway')

  const signIn = await browser.gql(SIGN_IN, { email, password: PASSWORD })
  t.equal(signIn.data?.signIn?.__typename, 'Session', 'signIn through the gateway')
  t.ok(browser.jar.size > 0, "the gateway passes the auth subgraph's Set-Cookie back")
  const id = signIn.data?.signIn.user.id as string

  const me = await browser.gql('{ me { email notes } }')
  t.same({ status: me.status, data: me.data, codes: me.codes }, { status: 200, data: { me: { email, notes: [`first note of ${id}`, `second note of ${id}`] } }, codes: [] }, "the notes subgraph extends the caller's user")

  // Straight at the subgraph, as anything that reaches it could.
  const direct = Client.http(authUrl)
  for (const [name, value] of browser.jar) direct.jar.set(name, value)
  const own = await direct.gql(ENTITIES, { representations: [{ __typename: 'User', id }] })
  t.same(own.data, { _entities: [{ id, email }] }, "the caller's own user")
  const others = await direct.gql(ENTITIES, { representations: [{ __typename: 'User', id: otherId }, { __typename: 'User', id }] })
  t.same(others.data, { _entities: [null, { id, email }] }, "another user's representation is null")
  const anonymous = await Client.http(authUrl).gql(ENTITIES, { representations: [{ __typename: 'User', id }] })
  t.same(anonymous.data, { _entities: [null] }, 'without a session, null')

  // An administrator reads no other user either: the adapter has no admin read of a profile by id.
  await addToGroup(adminOf(t, app), email, app.config.adminGroup)
  const admin = Client.http(authUrl)
  t.equal((await admin.gql(SIGN_IN, { email, password: PASSWORD })).data?.signIn?.user?.groups?.includes(app.config.adminGroup), true, 'signed in as an admin')
  t.same((await admin.gql(ENTITIES, { representations: [{ __typename: 'User', id: otherId }] })).data, { _entities: [null] }, "an admin gets null for another user's representation")

  const signOut = await browser.gql(SIGN_OUT)
  t.equal(signOut.data?.signOut, true)
  t.same((await browser.gql('{ me { email notes } }')).data, { me: null }, 'signed out through the gateway: me is null')
})

t.test('the subgraph keeps the API rules: CSRF prevention, limits and the error formatter', async (t) => {
  const app = await build(t, { env: { FEDERATION: 'true', GRAPHQL_MAX_DEPTH: '2' } })
  const simple = await app.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'text/plain' }, payload: JSON.stringify({ query: '{ _service { sdl } }' }) })
  t.equal(simple.statusCode, 400, 'a simple POST is refused')
  const client = new Client(app)
  t.same((await client.gql('{ _entities(representations: [{ __typename: "User", id: "x" }]) { ... on User { id } } }')).data, { _entities: [null] }, 'depth 2 is fine')
  const deep = await client.gql('{ _entities(representations: [{ __typename: "User", id: "x" }]) { ... on User { mfa } ...U } } fragment U on User { id }')
  t.same(deep.data, { _entities: [null] }, 'depth 2 through a fragment is fine')
  const tooDeep = await client.gql('mutation { refreshSession { user { id } } }')
  t.same(tooDeep.codes, ['BAD_USER_INPUT'], 'depth 3 is refused, by our error formatter')
  t.match(tooDeep.errors?.[0]?.message, /depth/i)
  const sdl = ((await client.gql('{ _service { sdl } }')).data as { _service: { sdl: string } })._service.sdl
  t.match(sdl, /type User @key\(fields: "id"\)/, '_service names User an entity keyed by id')
})

t.test('FEDERATION=false (the default): no _service, no _entities, no @key', async (t) => {
  const app = await build(t)
  t.equal(app.config.federation, false)
  const client = new Client(app)
  const service = await client.gql('{ _service { sdl } }')
  t.same(service.codes, ['BAD_USER_INPUT'], '_service is no field')
  const entities = await client.gql(ENTITIES, { representations: [] })
  t.match(entities.errors?.map((e) => e.message), [/_Any/, /_entities/], 'neither _Any nor _entities is known')
  const fields = (await client.gql('{ __schema { queryType { fields { name } } directives { name } } }')).data as { __schema: { queryType: { fields: Array<{ name: string }> }, directives: Array<{ name: string }> } }
  t.notOk(fields.__schema.queryType.fields.some((f) => f.name.startsWith('_')), 'Query has no federation field')
  t.notOk(fields.__schema.directives.some((d) => ['key', 'external', 'extends'].includes(d.name)), 'no federation directive')
  t.notMatch(readFileSync(join(import.meta.dirname, '..', 'schema.graphql'), 'utf8'), /@key|_entities|_service/, 'schema.graphql stays the plain API')
})
