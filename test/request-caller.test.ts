// One caller per request: the rate limits, GraphQL's context, the app's fields, requireUser,
// currentUser and GET /session share one read of the session, so a request asks revocation once,
// counted as the review counted it (a counter around the session's revocation look-up).
import Fastify, { type FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import t from 'tap'
import app from '../src/app.ts'
import type { CurrentUser } from '../src/plugins/app/current-user.ts'
import { RELAXED_LIMITS } from './challenge-helpers.ts'
import { Client, ME, signedIn, SIGN_OUT } from './helper.ts'

/** The server with an app's own fields and routes beside ours, and a count of revocation look-ups. */
async function appWithCounter (): Promise<{ server: FastifyInstance, lookups: () => number, users: CurrentUser[] }> {
  const users: CurrentUser[] = []
  const server = Fastify({ pluginTimeout: 60_000 })
  t.teardown(() => server.close())
  await server.register(fp(app), {
    env: { NODE_ENV: 'test', EMULATOR_DATA_DIR: t.testdir(), ...RELAXED_LIMITS },
    schema: 'extend type Query { owner: String @auth  tenant: String @auth }',
    resolvers: {
      Query: {
        owner: (_root, _args, ctx) => { users.push(ctx.user as CurrentUser); return ctx.user?.id },
        tenant: (_root, _args, ctx) => { users.push(ctx.user as CurrentUser); return ctx.user?.email }
      }
    }
  })
  server.get('/api/twice', { preHandler: server.requireUser }, async (request, reply) => {
    const again = await server.currentUser(request, reply)
    return { same: again === request.user }
  })
  await server.ready()
  let count = 0
  const isDenied = server.revocation.isDenied
  server.revocation.isDenied = async (token) => { count++; return await isDenied(token) }
  return { server, lookups: () => count, users }
}

type Answer = Awaited<ReturnType<Client['gql']>>

const { server, lookups, users } = await appWithCounter()
const client = new Client(server)
await signedIn(client)

/** The revocation look-ups one request makes. */
async function lookupsOf (request: () => Promise<unknown>): Promise<number> {
  const before = lookups()
  await request()
  return lookups() - before
}

t.test('a field of the table reads the caller once, whatever its buckets need', async (t) => {
  const documents: Record<string, string> = {
    'me (no bucket)': ME,
    'sessions and securityEvents (no bucket) beside me': '{ me { id } sessions { id } securityEvents(first: 1) { type } }',
    'devices (a user-keyed bucket)': '{ devices { id } }',
    'revokeOtherSessions (a user-keyed bucket, an audit event)': 'mutation { revokeOtherSessions }'
  }
  for (const [name, document] of Object.entries(documents)) {
    let res: Answer | undefined
    t.equal(await lookupsOf(async () => { res = await client.gql(document) }), 1, `${name}: one revocation look-up`)
    t.same(res?.errors, undefined, `${name}: answered`)
  }
})

t.test('the app\'s fields share one caller: one look-up, one CurrentUser for both', async (t) => {
  users.length = 0
  let res: Answer | undefined
  t.equal(await lookupsOf(async () => { res = await client.gql('{ owner tenant me { id email } }') }), 1, 'one revocation look-up for two app fields and me')
  t.equal((res?.data as Record<string, any> | undefined)?.owner, (res?.data as Record<string, any> | undefined)?.me.id, 'the app field sees the caller')
  t.equal((res?.data as Record<string, any> | undefined)?.tenant, (res?.data as Record<string, any> | undefined)?.me.email)
  t.equal(users.length, 2, 'both app fields ran')
  t.equal(users[0], users[1], 'with the same CurrentUser, made once')
})

t.test('a Bearer token is read once too', async (t) => {
  const headers = { authorization: `Bearer ${client.jar.get('__Host-access') ?? ''}` }
  let res: Answer | undefined
  t.equal(await lookupsOf(async () => { res = await new Client(server).gql('{ me { id } devices { id } }', undefined, headers) }), 1, 'one revocation look-up')
  t.type((res?.data as Record<string, any> | undefined)?.me.id, 'string', 'the Bearer caller is signed in')
})

t.test('requireUser, currentUser and GET /session read the caller once per request', async (t) => {
  const cookie = client.cookieHeader()
  let twice: { same?: boolean } = {}
  t.equal(await lookupsOf(async () => { twice = (await server.inject({ url: '/api/twice', headers: { cookie } })).json() }), 1, 'requireUser then currentUser: one look-up')
  t.same(twice, { same: true }, 'currentUser answers the user requireUser read')
  let status = 0
  t.equal(await lookupsOf(async () => { status = (await server.inject({ url: '/session', headers: { cookie } })).statusCode }), 1, 'GET /session: one look-up')
  t.equal(status, 200)
})

t.test('a sign-out reads the caller once, and the fields after it see none', async (t) => {
  const other = new Client(server)
  await signedIn(other)
  let res: Answer | undefined
  t.equal(await lookupsOf(async () => { res = await other.gql('mutation { signOut }') }), 1, 'signOut (a user-keyed bucket): one look-up')
  t.equal((res?.data as Record<string, any> | undefined)?.signOut, true)
  t.same((await other.gql(ME)).data, { me: null }, 'the session is over')
  t.same((await other.gql(SIGN_OUT)).codes, [], 'signing out again without a session is no error')
})
