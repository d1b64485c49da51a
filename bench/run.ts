// npm run bench: starts the contestants, the peers and the cost ladder side by side (each in its
// own process, on 127.0.0.1 random ports), drives them with autocannon in alternating rounds,
// counts each server's CPU time per request, measures what our server adds to signIn and
// refreshSession beyond the Cognito calls they make (and where (b)'s CPU goes in them), the image's
// memory settings against none, optionally soaks the image's configuration and the development
// server for memory growth, and writes bench/RESULTS.md. See bench/README.md.
import { randomBytes } from 'node:crypto'
import os from 'node:os'
import { join } from 'node:path'
import { AdminConfirmSignUpCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider'
import { cookieHeader, gql, ME, ME_QUERY, PASSWORD, SIGN_UP, signIn, absorb, type Jar } from './lib/client.ts'
import { devGrowth, type DevGrowth } from './lib/dev-growth.ts'
import { imageMemorySettings } from './lib/image-options.ts'
import { measureOverhead } from './lib/overhead.ts'
import { build, children, machineTicks, memoryOf, processTicks, startRedis, startServer, stop, tmp, type Started } from './lib/processes.ts'
import { keysPerNode, startRedisCluster, type RedisCluster } from './lib/redis-cluster.ts'
import { report, type Injected } from './lib/report.ts'
import { soak, type Soak } from './lib/soak.ts'
import { drive, Runs, type Contestant } from './lib/throughput.ts'

function setting (name: string, fallback: number, zero = false): number {
  const value = Number(process.env[name] ?? fallback)
  if (!(value > 0 || (zero && value === 0))) throw new Error(`${name} must be a positive number${zero ? ' or 0' : ''}`)
  return value
}

const DURATION = setting('BENCH_DURATION', 4)
const ROUNDS = Math.round(setting('BENCH_ROUNDS', 3))
const CALLS = Math.round(setting('BENCH_CALLS', 100))
const PROFILED = Math.round(setting('BENCH_PROFILE_CALLS', 50, true))
const WARMUP = Math.min(2, DURATION)
/** The connection counts; the ladder and the goals are read at the largest. */
const CONNECTIONS = (process.env.BENCH_CONNECTIONS ?? '50').split(',').map(Number)
if (!CONNECTIONS.every((n) => Number.isInteger(n) && n > 0)) throw new Error('BENCH_CONNECTIONS must list positive integers')
const TOP = Math.max(...CONNECTIONS)
/** Seconds of the memory soak of (bt); 0: none. Seconds of each development-server variant's load; 0: none. */
const SOAK = setting('BENCH_SOAK', 0, true)
const SOAK_RATE = setting('BENCH_SOAK_RATE', 3000)
const DEV_SECONDS = setting('BENCH_DEV_SECONDS', 0, true)
/** Where (bt) writes heap snapshots during the soak (before and after); unset: none. */
const HEAP_DIR = process.env.BENCH_HEAP_DIR
/** Where the servers that log write their lines: /dev/null unless given (a file grows by megabytes a second). */
const LOG_FILE = process.env.BENCH_LOG ?? '/dev/null'
/** `me` is not rate limited; signIn and refreshSession are, and the latency part calls them hundreds of times. */
const RATE_LIMITS = '{"signIn.address":{"max":100000},"refresh.address":{"max":100000}}'
const log = (line: string) => console.log(line)

// Everything is bounded; this catches what is not (a child that never answers): servers × runs,
// the latency calls and profiles, the ladder by inject, the soak and the development server's runs.
const planned = 24 * (WARMUP + ROUNDS * CONNECTIONS.length * DURATION) + CALLS + PROFILED + 240 + SOAK + 4 * (DEV_SECONDS + 90)
setTimeout(() => { console.error('bench: over its time budget, stopping'); process.exit(1) }, (2 * planned + 300) * 1000).unref()

log(`bench: ${ROUNDS} round(s) of ${DURATION} s at ${CONNECTIONS.join(', ')} connections, ${WARMUP} s warm-up, ${CALLS} latency calls each way${SOAK > 0 ? `, a ${SOAK} s soak of (bt)` : ''}${DEV_SECONDS > 0 ? `, ${DEV_SECONDS} s per development-server variant` : ''}`)
build()
const loadBefore = os.loadavg()
const machineBefore = machineTicks()
const selfBefore = processTicks(process.pid)
const emulatorProcess = await startServer('emulator.ts', { EMULATOR_DATA_DIR: join(tmp, 'emulator') })
const emulator = JSON.parse(emulatorProcess.url) as { endpoint: string, region: string, userPoolId: string, clientId: string, credentials: { accessKeyId: string, secretAccessKey: string } }
// The AWS SDK against the emulator, configured as our server configures its client.
const sdk = new CognitoIdentityProviderClient({ region: emulator.region, endpoint: emulator.endpoint, credentials: { ...emulator.credentials }, maxAttempts: 1 })
const redis = await startRedis()
let cluster: RedisCluster | undefined
let clusterNote = ''
if (process.env.BENCH_CLUSTER !== '0') {
  try {
    cluster = await startRedisCluster()
  } catch (err) {
    clusterNote = `the cluster did not start: ${(err as Error).message}`
  }
}

const pool = { COGNITO_USER_POOL_ID: emulator.userPoolId, COGNITO_CLIENT_ID: emulator.clientId, COGNITO_ENDPOINT: emulator.endpoint }
// Every server that logs writes our JSON lines to LOG_FILE at LOG_LEVEL (servers/logging.ts).
const ours = {
  ...pool,
  AWS_ACCESS_KEY_ID: emulator.credentials.accessKeyId,
  AWS_SECRET_ACCESS_KEY: emulator.credentials.secretAccessKey,
  COOKIE_SECRET: randomBytes(32).toString('base64url'),
  LOG_LEVEL: 'info',
  BENCH_LOG: LOG_FILE,
  HOST: '127.0.0.1',
  PORT: '0',
  RATE_LIMITS
}
const profile = process.env.BENCH_CPU_PROF === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
const heap = HEAP_DIR === undefined || SOAK <= 0 ? [] : ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${HEAP_DIR}`]
/** The production image's memory settings (its Dockerfile's NODE_OPTIONS, MALLOC_ARENA_MAX): (bt) runs under them. */
const image = imageMemorySettings()
const imageText = Object.entries(image).map(([name, value]) => `${name}="${value}"`).join(' ') || 'no memory settings'
/** BENCH_NODE_ARGS: sets of Node options (heap sizing, say), `|` between sets, each tried on a copy of (b) beside it: (bx1), (bx2) … */
const nodeArgSets = (process.env.BENCH_NODE_ARGS ?? '').split('|').map((set) => set.split(' ').filter((arg) => arg !== '')).filter((set) => set.length > 0)
const optional = async <T>(start: () => Promise<T>, note: (err: Error) => void): Promise<T | undefined> => {
  try { return await start() } catch (err) { note(err as Error); return undefined }
}
const [b, d, b0, bt, dc, ...bx] = await Promise.all([
  startServer('ours.ts', ours, profile),
  startServer('ours.ts', { ...ours, REDIS_URL: `redis://127.0.0.1:${redis.port}` }),
  startServer('ours.ts', { ...ours, LOG_LEVEL: 'silent' }),
  startServer('ours.ts', { ...ours, ...image }, heap),
  cluster === undefined
    ? undefined
    : optional(async () => await startServer('ours.ts', { ...ours, REDIS_URL: cluster.url, REDIS_CLUSTER: 'true' }, [], 60_000), (err) => { clusterNote = `(dc) did not start: ${err.message}` }),
  ...nodeArgSets.map(async (args) => await startServer('ours.ts', ours, args))
])

// A real session: sign up through (b), confirmed by the admin API (the emailed code stays in the
// emulator's process), then signIn on each of our servers.
const email = `bench.${Date.now()}@example.com`
const signUp = await gql(b.url, SIGN_UP, { email, password: PASSWORD })
if (signUp.data?.signUp == null) throw new Error(`signUp failed: ${signUp.text}`)
await sdk.send(new AdminConfirmSignUpCommand({ UserPoolId: emulator.userPoolId, Username: email }))
const jarsOf = new Map<Started, Jar>()
await Promise.all([b, d, b0, bt, ...bx].map(async (server) => { jarsOf.set(server, await signIn(server.url, email)) }))
if (dc !== undefined) await signIn(dc.url, email).then((jar) => jarsOf.set(dc, jar), (err: Error) => { clusterNote = `(dc) could not sign in: ${err.message}` })
const jarB = jarsOf.get(b) as Jar
const me = await gql(b.url, ME_QUERY, {}, jarB)
if (me.data?.me?.email !== email) throw new Error(`me answered ${me.text}`)
const expected = JSON.stringify({ data: me.data })
const meId = String(me.data?.me?.id)
const sessionBody = await (await fetch(`${b.url}/session`, { headers: { cookie: cookieHeader(jarB) } })).text()

/** The rungs between (a) and (b): servers/ladder.ts, one process each, on (b)'s session. */
const RUNGS = [
  'Mercurius with our schema, `me` from a constant',
  '+ cookies (every Cookie header parsed)',
  '+ verification of both tokens and its cache',
  '+ revocation (asked on every request)',
  '+ our pipeline: context, guard and budget, session manager, resolvers, our GraphQL hooks',
  '+ security headers (helmet plugin)',
  '+ logging at info'
]
const ladderEnv = { ...ours, BENCH_ME_ID: meId, BENCH_ME_EMAIL: email }
const [a, a0, c, m, p, ba, ...rungs] = await Promise.all([
  startServer('bare.ts', { BENCH_BODY: expected, BENCH_SESSION_BODY: sessionBody, LOG_LEVEL: 'info', BENCH_LOG: LOG_FILE }),
  startServer('bare.ts', { BENCH_BODY: expected, LOG_LEVEL: 'silent', BENCH_LOG: LOG_FILE }),
  startServer('apollo.ts', pool),
  startServer('ladder.ts', { ...ladderEnv, LADDER_RUNG: 'm' }),
  startServer('plugin.ts', { ...ours, BENCH_ME_ID: meId }),
  startServer('better-auth.ts', { BENCH_EMAIL: email, BENCH_PASSWORD: PASSWORD, LOG_LEVEL: 'info', BENCH_LOG: LOG_FILE }),
  ...RUNGS.map(async (_name, i) => await startServer('ladder.ts', { ...ladderEnv, LADDER_RUNG: String(i + 1) }))
])
const jarP = await signIn(p.url, email)
// Better Auth's own sign-in, over HTTP as its client sends it: its session cookie and the cached session.
const jarBa: Jar = new Map()
// A browser sends its Origin, which Better Auth checks against its base URL.
const baSignIn = await fetch(`${ba.url}/api/auth/sign-in/email`, { method: 'POST', headers: { 'content-type': 'application/json', origin: 'http://127.0.0.1' }, body: JSON.stringify({ email, password: PASSWORD }), signal: AbortSignal.timeout(30_000) })
absorb(jarBa, baSignIn.headers.getSetCookie())
if (baSignIn.status !== 200 || jarBa.size === 0) throw new Error(`Better Auth's sign-in answered ${baSignIn.status} ${await baSignIn.text()}`)

type Target = [key: string, name: string, server: Started | undefined, jar: Jar | undefined, path?: string]
const imageName = `our server under the image's ${imageText}`
const targets: Target[] = [
  ['a', 'bare Fastify route, POST /graphql, logging at info', a, jarB],
  ['as', 'bare Fastify route, GET /session with our answer, logging at info', a, jarB, '/session'],
  ['b', 'our server, `me`, logging at info', b, jarB],
  ['s', 'our server, GET /session, logging at info', b, jarB, '/session'],
  ['m', 'Mercurius with our schema, a constant `me`, logging at info', m, jarB],
  ['p', 'plugin mode: an app\'s GET route with `preHandler: app.requireUser`', p, jarP, '/api/notes'],
  ['p0', 'plugin mode: the same app\'s route without requireUser', p, jarP, '/api/open'],
  ['ba', 'Better Auth on Fastify: GET /session by getSession, cookie cache', ba, jarBa, '/session'],
  ['c', 'Apollo Server 5 + Express 5', c, jarB],
  ['d', 'our server, REDIS_URL (one redis-server), logging at info', d, jarsOf.get(d)],
  ['dc', 'our server, REDIS_CLUSTER=true (three-node Redis Cluster), logging at info', dc, dc === undefined ? undefined : jarsOf.get(dc)],
  ['bt', imageName, bt, jarsOf.get(bt)],
  ...bx.map((server, i): Target => [`bx${i + 1}`, `our server, logging at info, node ${nodeArgSets[i]?.join(' ') ?? ''}`, server, jarsOf.get(server)]),
  ['a0', 'bare Fastify route, silent', a0, jarB],
  ['b0', 'our server, silent', b0, jarsOf.get(b0)],
  ...rungs.map((server, i): Target => [`L${i + 1}`, RUNGS[i] ?? '', server, jarB])
]
/** Whether a first answer is the one expected of that path. */
function valid (path: string, text: string): boolean {
  if (path === '/graphql') return JSON.stringify(JSON.parse(text)) === expected
  const answer = JSON.parse(text) as { user?: { email?: string }, owner?: string }
  return path === '/session' ? answer.user?.email === email : answer.owner === meId
}
const contestants: Contestant[] = []
for (const [key, name, server, jar, path = '/graphql'] of targets) {
  if (server === undefined || jar === undefined) continue
  // One request first: it must be a 200 with the expected answer; its exact bytes are what autocannon expects.
  const cookie = cookieHeader(jar)
  const method = path === '/graphql' ? 'POST' : 'GET'
  const body = method === 'POST' ? ME : undefined
  const response = await fetch(`${server.url}${path}`, { method, headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), cookie }, body, signal: AbortSignal.timeout(10_000) })
  const text = await response.text()
  if (response.status !== 200 || !valid(path, text)) throw new Error(`(${key}) answered ${response.status} ${text}`)
  contestants.push({ key, name, url: server.url, path, method, body, child: server.child, cookie, expectBody: text, idleRss: memoryOf(server.child.pid, 'VmRSS') })
}
// (dc) wrote to the cluster only if the server honours REDIS_CLUSTER (rate-limit counters of the sign-in, at least).
const clusterKeys = cluster === undefined || dc === undefined ? undefined : keysPerNode(cluster)
if (clusterKeys !== undefined && clusterKeys.reduce((x, y) => x + y, 0) === 0) clusterNote = '(dc) ran, but wrote nothing to the cluster: REDIS_CLUSTER is not honoured by this code'
log(`servers: ${contestants.map((x) => `(${x.key}) ${x.url} pid ${x.child.pid}`).join(', ')}; redis on ${redis.port}; emulator at ${emulator.endpoint}${clusterNote === '' ? '' : `; ${clusterNote}`}`)

// ---------------------------------------------------------------- throughput

// BENCH_ONLY=b,a,L6 drives only those (a quicker A/B of a few servers); all of them start anyway.
const only = process.env.BENCH_ONLY?.split(',')
const driven = only === undefined ? contestants : contestants.filter((x) => only.includes(x.key))
for (const target of driven) await drive(target, TOP, WARMUP)
const runs = new Runs()
const fixed = (value: number, digits = 2) => Number.isFinite(value) ? value.toFixed(digits) : 'n/a'
for (let round = 0; round < ROUNDS; round++) {
  for (const [i, connections] of CONNECTIONS.entries()) {
    // A different server goes first each time, so drift (heat, neighbours) spreads over all of them.
    const shift = (round * CONNECTIONS.length + i) * 5 % driven.length
    for (const target of [...driven.slice(shift), ...driven.slice(0, shift)]) {
      const run = await drive(target, connections, DURATION)
      runs.add(target.key, connections, run)
      const bad = Object.entries(run.problems).filter(([, n]) => n > 0).map(([what, n]) => `${n} ${what}`)
      log(`round ${round + 1}/${ROUNDS}, ${connections} connections, (${target.key}): ${Math.round(run.rps)} req/s, ${fixed(1e6 * run.cpuSeconds / run.requests, 0)} µs CPU/req, p50 ${run.p50} ms, p99 ${run.p99} ms, RSS ${fixed(run.rss, 0)} MiB${bad.length > 0 ? `, ERRORS: ${bad.join(', ')}` : ''}`)
    }
  }
}
const clusterKeysAfter = cluster === undefined || dc === undefined ? undefined : keysPerNode(cluster)

// ---------------------------------------------------------------- sign-in and refresh overhead

log(`latency: ${CALLS} signIn and ${CALLS} refreshSession calls, through (b) and directly, alternating, every Cognito call timed by the emulator; then (b)'s CPU profile over ${PROFILED} of each`)
const overhead = await measureOverhead({ server: b, emulator: { child: emulatorProcess.child, clientId: emulator.clientId, userPoolId: emulator.userPoolId }, sdk, email, calls: CALLS, profiled: PROFILED })
const peak = Object.fromEntries(contestants.map((x) => [x.key, memoryOf(x.child.pid, 'VmHWM')]))
const redisPeak = memoryOf(redis.child.pid, 'VmHWM')

// ---------------------------------------------------------------- the ladder again, in one process, by inject

let injected: Injected | undefined
if (process.env.BENCH_INJECT !== '0') {
  log('inject ladder: rungs 0 to 8 and (m) in one process, by inject')
  try {
    const rounds = { BENCH_INJECT_ROUNDS: process.env.BENCH_INJECT_ROUNDS ?? '7', BENCH_INJECT_REQUESTS: process.env.BENCH_INJECT_REQUESTS ?? '3000' }
    const run = await startServer('ladder.ts', { ...ladderEnv, ...rounds, LADDER_RUNG: 'inject', BENCH_BODY: expected, BENCH_COOKIE: cookieHeader(jarB) }, [], 900_000)
    injected = JSON.parse(run.url) as Injected
  } catch (err) {
    // The throughput numbers stand without it.
    log(`inject ladder failed: ${(err as Error).message}`)
  }
}

// ---------------------------------------------------------------- memory: the soak of (bt), the development server

let soakResult: Soak | undefined
if (SOAK > 0) {
  log(`soak: (bt) for ${SOAK} s at ${SOAK_RATE} req/s, 50 sessions, every 50th request a refreshSession`)
  const jars: Jar[] = []
  for (let i = 0; i < 50; i++) jars.push(await signIn(bt.url, email))
  soakResult = await soak({ url: bt.url, child: bt.child, jars, seconds: SOAK, rate: SOAK_RATE, reportsMemory: true, heapSnapshots: heap.length > 0 })
  log(`soak: RSS ${fixed(soakResult.rssAfterWarmup, 0)} MiB after warm-up → ${fixed(soakResult.rssEnd, 0)} MiB at the end (max ${fixed(soakResult.rssMax, 0)}), ${soakResult.requests} requests, ${soakResult.refreshes} refreshes, ${soakResult.problems} problems`)
}
let dev: DevGrowth[] | undefined
if (DEV_SECONDS > 0) {
  log(`development server: ${DEV_SECONDS} s of load per variant`)
  const variants = process.env.BENCH_DEV_VARIANTS?.split(',').map(Number)
  dev = await devGrowth({ seconds: DEV_SECONDS, rate: SOAK_RATE, external: { ...pool, AWS_ACCESS_KEY_ID: emulator.credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: emulator.credentials.secretAccessKey, COOKIE_SECRET: ours.COOKIE_SECRET }, emulatorPid: emulatorProcess.child.pid, email, log, only: variants })
}

const loadAfter = os.loadavg()
// What the rest of the machine used while we ran: ideally nothing.
const machineAfter = machineTicks()
const servers = [...new Set(children)]
const ourTicks = processTicks(process.pid) - selfBefore + servers.reduce((sum, child) => sum + (processTicks(child.pid) || 0), 0)
const others = Math.max(0, (machineAfter.busy - machineBefore.busy - ourTicks) / (machineAfter.total - machineBefore.total))
await Promise.all(servers.map(stop))

report({
  settings: { rounds: ROUNDS, duration: DURATION, warmup: WARMUP, calls: CALLS, connections: CONNECTIONS, top: TOP, logFile: LOG_FILE, rateLimits: RATE_LIMITS, soakRate: SOAK_RATE, heapDir: HEAP_DIR },
  machine: { others, loadBefore: loadBefore[0] ?? NaN, loadAfter: loadAfter[0] ?? NaN },
  contestants,
  runs,
  rungs: RUNGS,
  injected,
  peak,
  redisPeak,
  overhead,
  image: imageText,
  cluster: { note: clusterNote, keys: clusterKeysAfter },
  soak: soakResult,
  dev
})
process.exit(0)
