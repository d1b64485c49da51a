// A real three-node Redis Cluster (redis-server --cluster-enabled yes ×3, redis-cli --cluster
// create) under two instances of the server: sessions, sign-outs and limits shared, every command
// on the node of its key's slot, and a node stopped and started again survived.
import { Cluster } from 'ioredis'
import t from 'tap'
import { loadConfig } from '../src/config.ts'
import { ME, PASSWORD, SIGN_IN, SIGN_OUT, build, signedIn } from './helper.ts'
import { clusterOk, hasRedis, readyAgain, startRedisCluster, twoInstances } from './redis-server.ts'

const SESSIONS = '{ sessions { id current } }'
const REVOKE = 'mutation ($id: ID!) { revokeSession(input: { id: $id }) }'

t.test('REDIS_URL with several nodes needs REDIS_CLUSTER, and REDIS_CLUSTER needs REDIS_URL', async (t) => {
  t.throws(() => loadConfig({ REDIS_URL: 'redis://127.0.0.1:7000,redis://127.0.0.1:7001' }), /REDIS_CLUSTER=true/)
  t.throws(() => loadConfig({ REDIS_CLUSTER: 'true' }), /REDIS_CLUSTER=true needs REDIS_URL/)
  t.equal(loadConfig({ REDIS_URL: 'redis://127.0.0.1:7000,redis://127.0.0.1:7001', REDIS_CLUSTER: 'true' }).redisCluster, true)
})

t.test('two instances on a three-node Redis Cluster share sessions, sign-outs and limits, and survive a node\'s restart', { skip: !hasRedis && 'redis-server is not installed' }, async (t) => {
  const cluster = await startRedisCluster(t)
  const env = { REDIS_URL: cluster.url, REDIS_CLUSTER: 'true', RATE_LIMITS: JSON.stringify({ 'signUp.address': { max: 100 }, 'signIn.email': { max: 3 } }) }
  const { a, b, client, emulator } = await twoInstances(t, env)
  t.equal((await a.inject('/ready')).json().redis, true, '/ready: the cluster answers')

  const onA = client(a)
  const email = await signedIn(onA)
  const onB = client(b)
  t.equal((await onB.gql(SIGN_IN, { email, password: PASSWORD })).data?.signIn.__typename, 'Session', 'the same user signs in on B')
  const listed = (await onA.gql(SESSIONS)).data?.sessions as Array<{ id: string, current: boolean }>
  t.equal(listed.length, 2, 'A lists both sessions, the one started on B included')
  const fromB = listed.find((s) => !s.current)?.id
  t.same((await onA.gql(REVOKE, { id: fromB })).data, { revokeSession: true }, 'A ends the session held on B')
  t.same((await onB.clone().gql(ME)).data, { me: null }, 'B has no session at once')

  const copy = onA.clone()
  t.same((await onA.gql(SIGN_OUT)).data, { signOut: true }, 'signed out on A')
  t.same((await client(b).gql(ME, undefined, { cookie: copy.cookieHeader() })).data, { me: null }, 'B denies the signed-out session at once')

  // The node that holds the revocation journal goes away: every sign-out needs it, so each one
  // fails fast and whole (cookies kept) until the node is back.
  const admin = new Cluster([{ host: '127.0.0.1', port: cluster.nodes[0]?.port as number }], { lazyConnect: true })
  admin.on('error', () => {})
  t.teardown(() => admin.disconnect())
  await admin.connect()
  const holding = await Promise.all(admin.nodes('master').map(async (n) => await n.exists('auth-revocation:journal').catch(() => 0)))
  const port = admin.nodes('master')[holding.indexOf(1)]?.options.port
  const node = cluster.nodes.find((n) => n.port === port)
  if (node === undefined) throw new Error('no node holds the journal')
  const signedInAgain = client(a)
  await signedInAgain.gql(SIGN_IN, { email, password: PASSWORD })
  await node.stop()
  const refused = await signedInAgain.gql(SIGN_OUT)
  t.same(refused.codes, ['SERVICE_UNAVAILABLE'], 'with the journal\'s node down, a sign-out answers SERVICE_UNAVAILABLE')
  t.same((refused.response.cookies as unknown[]).length, 0, 'and clears no cookie')
  await node.start()
  await clusterOk(node.url)
  await Promise.all([readyAgain(a), readyAgain(b)])
  t.same((await signedInAgain.gql(SIGN_OUT)).data, { signOut: true }, 'the node back, the same sign-out works')

  const later = await build(t, { env: { ...env, COGNITO_USER_POOL_ID: emulator.userPoolId, COGNITO_CLIENT_ID: emulator.clientId, COGNITO_ENDPOINT: emulator.endpoint, COOKIE_SECRET: 's'.repeat(40) }, jwks: emulator.jwks })
  t.same((await client(later).gql(ME, undefined, { cookie: copy.cookieHeader() })).data, { me: null }, 'an instance started after the restart still denies the signed-out session')
  const again = client(b)
  t.equal((await again.gql(SIGN_IN, { email, password: PASSWORD })).data?.signIn.__typename, 'Session', 'after the restart, a sign-in on B works')
  const copyOfAgain = again.clone()
  t.same((await client(a).gql(SIGN_OUT, undefined, { cookie: again.cookieHeader() })).data, { signOut: true }, 'and its sign-out, sent to A')
  t.same((await client(b).gql(ME, undefined, { cookie: copyOfAgain.cookieHeader() })).data, { me: null }, 'is honoured on B')

  // signIn.email counts failures per email (3 here), wherever they happen.
  for (const app of [a, b, a]) t.same((await client(app).gql(SIGN_IN, { email, password: 'Wrong-Horse-1' })).codes, ['INVALID_CREDENTIALS'])
  t.same((await client(b).gql(SIGN_IN, { email, password: PASSWORD })).codes, ['TOO_MANY_REQUESTS'], 'the fourth attempt, on B, is refused: one count for the cluster')

  const stored = (await Promise.all(admin.nodes('master').map(async (n) => await n.keys('auth-*')))).flat()
  t.ok(stored.some((key) => key.startsWith('auth-revocation:')) && stored.some((key) => key.startsWith('auth-rate-limit:')), 'revocations and limits live in the cluster (the sessions, all ended, are gone from it)', { stored })
  const nodesHolding = await Promise.all(admin.nodes('master').map(async (n) => (await n.dbsize()) > 0))
  t.ok(nodesHolding.filter(Boolean).length >= 2, 'spread over its nodes')
})
