// npm run bench: starts the contestants and the cost ladder side by side (each in its own
// process, on 127.0.0.1 random ports), drives them with autocannon in alternating rounds, counts
// each server's CPU time per request, measures what our server adds to signIn and refreshSession
// over calling Cognito (the emulator) directly, optionally soaks (b) for memory growth, and
// writes bench/RESULTS.md. See bench/README.md.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import os from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { AdminConfirmSignUpCommand, CognitoIdentityProviderClient, InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider'
import autocannon, { type Result } from 'autocannon'
import { median, quantile } from './stats.ts'

function setting (name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback)
  if (!(value > 0)) throw new Error(`${name} must be a positive number`)
  return value
}

const DURATION = setting('BENCH_DURATION', 4)
const ROUNDS = Math.round(setting('BENCH_ROUNDS', 3))
const CALLS = Math.round(setting('BENCH_CALLS', 100))
const WARMUP = Math.min(2, DURATION)
/** The connection counts; the ladder and the goals are read at the largest. */
const CONNECTIONS = (process.env.BENCH_CONNECTIONS ?? '50').split(',').map(Number)
if (!CONNECTIONS.every((n) => Number.isInteger(n) && n > 0)) throw new Error('BENCH_CONNECTIONS must list positive integers')
const TOP = Math.max(...CONNECTIONS)
/** Seconds of the memory soak of (b); 0: none. */
const SOAK = Number(process.env.BENCH_SOAK ?? 0)
const SOAK_RATE = setting('BENCH_SOAK_RATE', 3000)
/** Where (b) writes heap snapshots during the soak (before and after); unset: none. */
const HEAP_DIR = process.env.BENCH_HEAP_DIR
/** Where the servers that log write their lines: /dev/null unless given (a file grows by megabytes a second). */
const LOG_FILE = process.env.BENCH_LOG ?? '/dev/null'
/** `me` is not rate limited; signIn and refreshSession are, and the latency part calls them CALLS times. */
const RATE_LIMITS = '{"signIn.address":{"max":100000},"refresh.address":{"max":100000}}'
const PASSWORD = 'Bench-Password-1'
const ME_QUERY = '{ me { id email } }'
const ME = JSON.stringify({ query: ME_QUERY })
const SIGN_UP = 'mutation ($email: String!, $password: String!) { signUp(input: { email: $email, password: $password }) { userConfirmed } }'
const SIGN_IN = 'mutation ($email: String!, $password: String!) { signIn(input: { email: $email, password: $password }) { __typename ... on Session { expiresAt } } }'
const REFRESH = 'mutation { refreshSession { expiresAt } }'

const benchDir = fileURLToPath(new URL('.', import.meta.url))
const repoDir = join(benchDir, '..')
const log = (line: string) => console.log(line)
// The SDK's notice that Node 20 support ends in 2027: once per process, noise here.
const QUIET_SDK = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' }
Object.assign(process.env, QUIET_SDK)

// ---------------------------------------------------------------- processes

const children: ChildProcess[] = []
const tmp = mkdtempSync(join(os.tmpdir(), 'bench-'))
process.on('exit', () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  rmSync(tmp, { recursive: true, force: true })
})
process.on('SIGINT', () => process.exit(130))
process.on('SIGTERM', () => process.exit(143))
// Everything is bounded; this catches what is not (a child that never answers).
// Servers × runs, the latency calls, the ladder by inject (about a minute, more on a busy machine) and the soak.
const planned = 15 * (WARMUP + ROUNDS * CONNECTIONS.length * DURATION) + CALLS / 2 + 180 + SOAK
setTimeout(() => { console.error('bench: over its time budget, stopping'); process.exit(1) }, (2 * planned + 300) * 1000).unref()

/** Resolves with the first stdout line of `child` that matches `pattern`. */
async function lineOf (child: ChildProcess, pattern: RegExp, name: string, timeoutMs = 180_000): Promise<string> {
  return await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} was not ready within ${timeoutMs / 1000} s`)), timeoutMs)
    const done = (err?: Error, line?: string) => { clearTimeout(timer); if (err === undefined) resolve(line as string); else reject(err) }
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => { if (pattern.test(line)) done(undefined, line.trim()) })
    child.once('error', (err) => done(err))
    child.once('exit', (code) => done(new Error(`${name} exited (${code}) before it was ready`)))
  })
}

// Every contestant runs compiled JavaScript, as a deployment does (`npm run build`, `node dist/…`):
// no TypeScript loader thread in its process. The build lands in bench/.tmp/ (ignored by git).
const buildDir = join(benchDir, '.tmp', 'build')
rmSync(buildDir, { recursive: true, force: true })
const tsc = spawnSync(process.execPath, [join(repoDir, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(repoDir, 'tsconfig.json'), '--noEmit', 'false', '--outDir', buildDir, '--rootDir', repoDir], { stdio: 'inherit' })
if (tsc.status !== 0) throw new Error('bench: the TypeScript build failed')
// The server reads its SDL from <root>/schema, next to its code.
symlinkSync(join(repoDir, 'schema'), join(buildDir, 'schema'))

/** Starts the compiled bench/servers/<file> with `env`; resolves with the URL (or, for the emulator, JSON) it prints. */
async function startServer (file: string, env: Record<string, string>, nodeArgs: string[] = [], timeoutMs?: number): Promise<{ child: ChildProcess, url: string }> {
  const base = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmp, TMPDIR: os.tmpdir(), NODE_ENV: 'production', ...QUIET_SDK }
  const child = spawn(process.execPath, [...nodeArgs, join(buildDir, 'bench', 'servers', file.replace(/\.ts$/, '.js'))], {
    cwd: repoDir, env: { ...base, ...env }, stdio: ['pipe', 'pipe', 'inherit']
  })
  children.push(child)
  return { child, url: await lineOf(child, /^(http:\/\/127\.0\.0\.1:\d+|\{.*\})$/, file, timeoutMs) }
}

async function stop (child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = once(child, 'exit')
  if (child.stdin !== null) child.stdin.end() // the servers close themselves (and write a --cpu-prof)
  else child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
  await exited
  clearTimeout(timer)
}

async function freePort (): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  server.close()
  return port
}

/** MiB of a process's VmRSS (now) or VmHWM (its peak so far), from /proc; NaN where there is no /proc. */
function memoryOf (pid: number | undefined, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const kb = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]
    return kb === undefined ? NaN : Number(kb) / 1024
  } catch {
    return NaN
  }
}

/** CPU time in clock ticks: of the whole machine (busy, total) from /proc/stat, or of one process. */
function machineTicks (): { busy: number, total: number } {
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, ...rest] = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').split(/\s+/).slice(1, 9).map(Number)
  const total = user + nice + system + idle + iowait + rest.reduce((x, y) => x + y, 0) // + irq, softirq, steal
  return { busy: total - idle - iowait, total }
}
/** Clock ticks per second (USER_HZ), for processTicks. */
const TICKS_PER_SECOND = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100
function processTicks (pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? []
    return Number(fields[11]) + Number(fields[12]) // utime, stime
  } catch {
    return NaN
  }
}

// ---------------------------------------------------------------- a GraphQL client with a cookie jar

type Jar = Map<string, string>
const cookieHeader = (jar: Jar) => [...jar].map(([name, value]) => `${name}=${value}`).join('; ')

/** Takes the cookies a response sets into `jar` (a cleared one leaves it). */
function absorb (jar: Jar, setCookies: readonly string[]): void {
  for (const line of setCookies) {
    const [pair = '', ...attributes] = line.split(';')
    const name = pair.slice(0, pair.indexOf('=')).trim()
    const value = pair.slice(pair.indexOf('=') + 1).trim()
    if (value === '' || attributes.some((a) => /^\s*max-age=0\s*$/i.test(a))) jar.delete(name)
    else jar.set(name, value)
  }
}

async function gql (url: string, query: string, variables: Record<string, unknown> = {}, jar: Jar = new Map()) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(jar.size > 0 ? { cookie: cookieHeader(jar) } : {}) },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(10_000)
  })
  absorb(jar, response.headers.getSetCookie())
  const text = await response.text()
  return { status: response.status, text, data: (JSON.parse(text) as { data?: Record<string, any> }).data, jar }
}

async function signIn (url: string, email: string): Promise<Jar> {
  const { data, text, jar } = await gql(url, SIGN_IN, { email, password: PASSWORD })
  if (data?.signIn?.__typename !== 'Session') throw new Error(`signIn at ${url} failed: ${text}`)
  return jar
}

// ---------------------------------------------------------------- statistics

const fixed = (value: number, digits = 2) => Number.isFinite(value) ? value.toFixed(digits) : 'n/a'

// ---------------------------------------------------------------- the contestants

/**
 * One thing autocannon drives: a server (its process, for memory and CPU) and the request sent
 * to it. (b) is driven twice, at `me` and at GET /session.
 */
interface Contestant { key: string, name: string, url: string, path: string, method: 'GET' | 'POST', body?: string, child: ChildProcess, cookie: string, expectBody: string, idleRss: number }

log(`bench: ${ROUNDS} round(s) of ${DURATION} s at ${CONNECTIONS.join(', ')} connections, ${WARMUP} s warm-up, ${CALLS} latency calls each way${SOAK > 0 ? `, then a ${SOAK} s soak of (b)` : ''}`)
const loadBefore = os.loadavg()
const machineBefore = machineTicks()
const selfBefore = processTicks(process.pid)
const emulatorProcess = await startServer('emulator.ts', { EMULATOR_DATA_DIR: join(tmp, 'emulator') })
const emulator = JSON.parse(emulatorProcess.url) as { endpoint: string, region: string, userPoolId: string, clientId: string, credentials: { accessKeyId: string, secretAccessKey: string } }
// The AWS SDK against the emulator, configured as our server configures its client.
const sdk = new CognitoIdentityProviderClient({ region: emulator.region, endpoint: emulator.endpoint, credentials: { ...emulator.credentials }, maxAttempts: 1 })

const redisPort = await freePort()
const redis = spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(redisPort), '--save', '', '--appendonly', 'no', '--dir', tmp], { stdio: ['ignore', 'pipe', 'inherit'] })
children.push(redis)
await lineOf(redis, /ready to accept connections/i, 'redis-server', 10_000)

const pool = {
  COGNITO_USER_POOL_ID: emulator.userPoolId,
  COGNITO_CLIENT_ID: emulator.clientId,
  COGNITO_ENDPOINT: emulator.endpoint
}
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
/** BENCH_NODE_ARGS: Node options (heap sizing, say) to try on (bx), a copy of (b) beside it. */
const nodeArgs = process.env.BENCH_NODE_ARGS?.split(' ').filter((arg) => arg !== '') ?? []
const [b, d, b0, bx] = await Promise.all([
  startServer('ours.ts', ours, [...profile, ...heap]),
  startServer('ours.ts', { ...ours, REDIS_URL: `redis://127.0.0.1:${redisPort}` }),
  startServer('ours.ts', { ...ours, LOG_LEVEL: 'silent' }),
  ...(nodeArgs.length > 0 ? [startServer('ours.ts', ours, nodeArgs)] : [])
])

// A real session: sign up through (b), confirmed by the admin API (the emailed code stays in the
// emulator's process), then signIn on each server.
const email = `bench.${Date.now()}@example.com`
const signUp = await gql(b.url, SIGN_UP, { email, password: PASSWORD })
if (signUp.data?.signUp == null) throw new Error(`signUp failed: ${signUp.text}`)
await sdk.send(new AdminConfirmSignUpCommand({ UserPoolId: emulator.userPoolId, Username: email }))
const [jarB, jarD, jarB0, jarBx] = await Promise.all([signIn(b.url, email), signIn(d.url, email), signIn(b0.url, email), ...(bx === undefined ? [] : [signIn(bx.url, email)])])
const me = await gql(b.url, ME_QUERY, {}, jarB)
if (me.data?.me?.email !== email) throw new Error(`me answered ${me.text}`)
const expected = JSON.stringify({ data: me.data })

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
const [a, a0, c, ...rungs] = await Promise.all([
  startServer('bare.ts', { BENCH_BODY: expected, LOG_LEVEL: 'info', BENCH_LOG: LOG_FILE }),
  startServer('bare.ts', { BENCH_BODY: expected, LOG_LEVEL: 'silent', BENCH_LOG: LOG_FILE }),
  startServer('apollo.ts', pool),
  ...RUNGS.map(async (_name, i) => await startServer('ladder.ts', { ...ours, LADDER_RUNG: String(i + 1), BENCH_ME_ID: String(me.data?.me?.id), BENCH_ME_EMAIL: email }))
])

const contestants: Contestant[] = []
const targets: Array<[string, string, { url: string, child: ChildProcess }, Jar, string?]> = [
  ['a', 'bare Fastify route, logging at info', a, jarB],
  ['b', 'our server, logging at info', b, jarB],
  ['s', 'our server, GET /session, logging at info', b, jarB, '/session'],
  ['c', 'Apollo Server 5 + Express 5', c, jarB],
  ['d', 'our server, REDIS_URL set, logging at info', d, jarD],
  ['a0', 'bare Fastify route, silent', a0, jarB],
  ['b0', 'our server, silent', b0, jarB0],
  ...(bx === undefined || jarBx === undefined ? [] : [['bx', `our server, logging at info, node ${nodeArgs.join(' ')}`, bx, jarBx] as [string, string, { url: string, child: ChildProcess }, Jar]]),
  ...rungs.map((server, i) => [`L${i + 1}`, RUNGS[i] ?? '', server, jarB] as [string, string, { url: string, child: ChildProcess }, Jar])
]
for (const [key, name, server, jar, path = '/graphql'] of targets) {
  // One request first: it must be a 200 with the expected JSON; its exact bytes are what autocannon expects.
  const cookie = cookieHeader(jar)
  const method = path === '/graphql' ? 'POST' : 'GET'
  const body = method === 'POST' ? ME : undefined
  const response = await fetch(`${server.url}${path}`, { method, headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), cookie }, body, signal: AbortSignal.timeout(10_000) })
  const text = await response.text()
  const valid = path === '/graphql' ? JSON.stringify(JSON.parse(text)) === expected : (JSON.parse(text) as { user?: { email?: string } }).user?.email === email
  if (response.status !== 200 || !valid) throw new Error(`(${key}) answered ${response.status} ${text}; expected ${path === '/graphql' ? expected : 'the user'}`)
  contestants.push({ key, name, url: server.url, path, method, body, child: server.child, cookie, expectBody: text, idleRss: memoryOf(server.child.pid, 'VmRSS') })
}
log(`servers: ${contestants.map((x) => `(${x.key}) ${x.url} pid ${x.child.pid}`).join(', ')}; redis on ${redisPort}; emulator at ${emulator.endpoint}`)

// ---------------------------------------------------------------- throughput

interface Run { rps: number, p50: number, p99: number, rss: number, requests: number, cpuSeconds: number, problems: { non2xx: number, errors: number, timeouts: number, mismatches: number } }

async function drive (target: Contestant, connections: number, duration: number): Promise<Run> {
  let rss = memoryOf(target.child.pid, 'VmRSS')
  const sampler = setInterval(() => { rss = Math.max(rss, memoryOf(target.child.pid, 'VmRSS')) }, 200)
  const ticksBefore = processTicks(target.child.pid)
  let result: Result
  try {
    result = await autocannon({
      url: `${target.url}${target.path}`,
      method: target.method,
      headers: { ...(target.body === undefined ? {} : { 'content-type': 'application/json' }), cookie: target.cookie },
      body: target.body,
      connections,
      duration,
      timeout: 10,
      expectBody: target.expectBody
    })
  } finally {
    clearInterval(sampler)
  }
  // The server's own CPU time over the run (every thread of it: the event loop, GC, libuv).
  const cpuSeconds = (processTicks(target.child.pid) - ticksBefore) / TICKS_PER_SECOND
  const { non2xx, errors, timeouts, mismatches } = result
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, rss, requests: result.requests.total, cpuSeconds, problems: { non2xx, errors, timeouts, mismatches } }
}

// BENCH_ONLY=b,a,L6 drives only those (a quicker A/B of a few servers); all of them start anyway.
const only = process.env.BENCH_ONLY?.split(',')
if (only !== undefined) contestants.splice(0, contestants.length, ...contestants.filter((x) => only.includes(x.key)))
for (const target of contestants) await drive(target, TOP, WARMUP)

const runs = new Map<string, Run[]>()
const runsOf = (key: string, connections: number) => runs.get(`${key}@${connections}`) ?? []
for (let round = 0; round < ROUNDS; round++) {
  for (const [i, connections] of CONNECTIONS.entries()) {
    // A different server goes first each time, so drift (heat, neighbours) spreads over all of them.
    const shift = (round * CONNECTIONS.length + i) * 5 % contestants.length
    for (const target of [...contestants.slice(shift), ...contestants.slice(0, shift)]) {
      const run = await drive(target, connections, DURATION)
      runs.set(`${target.key}@${connections}`, [...runsOf(target.key, connections), run])
      const bad = Object.entries(run.problems).filter(([, n]) => n > 0).map(([what, n]) => `${n} ${what}`)
      log(`round ${round + 1}/${ROUNDS}, ${connections} connections, (${target.key}): ${Math.round(run.rps)} req/s, ${fixed(1e6 * run.cpuSeconds / run.requests, 0)} µs CPU/req, p50 ${run.p50} ms, p99 ${run.p99} ms, RSS ${fixed(run.rss, 0)} MiB${bad.length > 0 ? `, ERRORS: ${bad.join(', ')}` : ''}`)
    }
  }
}

// ---------------------------------------------------------------- added latency of signIn and refreshSession

log(`latency: ${CALLS} signIn and ${CALLS} refreshSession calls, through (b) and directly, alternating; ${CALLS} sequential \`me\``)
const initiateAuth = (AuthFlow: 'USER_PASSWORD_AUTH' | 'REFRESH_TOKEN_AUTH', AuthParameters: Record<string, string>) =>
  sdk.send(new InitiateAuthCommand({ ClientId: emulator.clientId, AuthFlow, AuthParameters }))

async function timed (fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now()
  await fn()
  return performance.now() - start
}

/** `calls` pairs of (through our server, direct), alternating which goes first; the first 10 pairs warm up. */
async function compare (calls: number, viaServer: (i: number) => Promise<unknown>, direct: (i: number) => Promise<unknown>) {
  const times = { server: [] as number[], direct: [] as number[] }
  for (let i = 0; i < calls + 10; i++) {
    const pair = [['server', viaServer], ['direct', direct]] as const
    for (const [side, call] of i % 2 === 0 ? pair : [...pair].reverse()) {
      const ms = await timed(() => call(i))
      if (i >= 10) times[side].push(ms)
    }
  }
  return times
}

const jars: Jar[] = []
const refreshTokens: string[] = []
const signIns = await compare(CALLS,
  async () => jars.push(await signIn(b.url, email)),
  async () => refreshTokens.push((await initiateAuth('USER_PASSWORD_AUTH', { USERNAME: email, PASSWORD })).AuthenticationResult?.RefreshToken ?? ''))
// Every refresh uses a refresh token of its own: the server reuses a refresh for the same token for 30 s.
const refreshes = await compare(CALLS,
  async (i) => {
    const { data, text } = await gql(b.url, REFRESH, {}, jars[i])
    if (data?.refreshSession?.expiresAt === undefined) throw new Error(`refreshSession failed: ${text}`)
  },
  async (i) => await initiateAuth('REFRESH_TOKEN_AUTH', { REFRESH_TOKEN: refreshTokens[i] ?? '' }))
// For scale: one sequential round trip to (b) that reaches no Cognito (`me`).
const roundTrips: number[] = []
for (let i = 0; i < CALLS; i++) roundTrips.push(await timed(async () => await gql(b.url, ME_QUERY, {}, jarB)))

const peak = Object.fromEntries(contestants.map((x) => [x.key, memoryOf(x.child.pid, 'VmHWM')]))
const redisPeak = memoryOf(redis.pid, 'VmHWM')

// ---------------------------------------------------------------- the ladder again, in one process, by inject

/** Rungs 0 to 8 measured by inject in one process (servers/ladder.ts, LADDER_RUNG=inject): CPU µs per request. */
let injected: Array<{ median: number, rounds: number[] }> | undefined
if (process.env.BENCH_INJECT !== '0') {
  log('inject ladder: rungs 0 to 8 in one process, by inject')
  try {
    const run = await startServer('ladder.ts', { ...ours, LADDER_RUNG: 'inject', BENCH_BODY: expected, BENCH_COOKIE: cookieHeader(jarB), BENCH_ME_ID: String(me.data?.me?.id), BENCH_ME_EMAIL: email }, [], 900_000)
    injected = (JSON.parse(run.url) as { inject: Array<{ median: number, rounds: number[] }> }).inject
  } catch (err) {
    // The throughput numbers stand without it.
    log(`inject ladder failed: ${(err as Error).message}`)
  }
}

// ---------------------------------------------------------------- the soak: (b)'s memory over time

interface Soak { seconds: number, rate: number, sessions: number, requests: number, refreshes: number, problems: number, rssAfterWarmup: number, rssEnd: number, rssMax: number, hwm: number, samples: Array<[number, number]>, snapshots: boolean }

/**
 * (b) under the issue's load for SOAK seconds: 50 connections, each with a session of its own,
 * asking `me` and every 50th request `refreshSession` (taking the cookies it sets), SOAK_RATE
 * requests a second in all. RSS is sampled every second; growth is counted from the end of the
 * warm-up (the first fifth, at most a minute). With BENCH_HEAP_DIR, (b) writes a heap snapshot
 * there at the end of the warm-up and at the end.
 */
async function soak (seconds: number): Promise<Soak> {
  const sessions = 50
  const jarsOfSoak: Jar[] = []
  for (let i = 0; i < sessions; i++) jarsOfSoak.push(await signIn(b.url, email))
  const warmup = Math.min(60, seconds / 5)
  const samples: Array<[number, number]> = []
  const started = Date.now()
  let rssAfterWarmup = NaN
  let snapshots = false
  const sampler = setInterval(() => {
    const t = (Date.now() - started) / 1000
    const rss = memoryOf(b.child.pid, 'VmRSS')
    samples.push([t, rss])
    if (Number.isNaN(rssAfterWarmup) && t >= warmup) {
      rssAfterWarmup = rss
      if (heap.length > 0) snapshots = b.child.kill('SIGUSR2')
    }
  }, 1000)
  let next = 0
  let refreshes = 0
  const withJar = (request: { headers?: Record<string, string> }, context: { jar?: Jar }) => {
    context.jar ??= jarsOfSoak[next++ % sessions] as Jar
    request.headers = { ...request.headers, cookie: cookieHeader(context.jar) }
    return request
  }
  const meRequest = { method: 'POST', path: '/graphql', headers: { 'content-type': 'application/json' }, body: ME, setupRequest: withJar }
  const refreshRequest = {
    ...meRequest,
    body: JSON.stringify({ query: REFRESH }),
    onResponse: (_status: number, _body: string, context: { jar?: Jar }, headers: Record<string, string | string[]>) => {
      refreshes++
      const lines = headers['set-cookie'] ?? []
      if (context.jar !== undefined) absorb(context.jar, Array.isArray(lines) ? lines : [lines])
    }
  }
  let result: Result
  try {
    result = await autocannon({
      url: `${b.url}/graphql`,
      connections: sessions,
      duration: seconds,
      timeout: 10,
      overallRate: SOAK_RATE,
      requests: [...Array.from({ length: 49 }, () => meRequest), refreshRequest]
    } as Parameters<typeof autocannon>[0])
  } finally {
    clearInterval(sampler)
  }
  if (heap.length > 0) {
    snapshots &&= b.child.kill('SIGUSR2')
    // Writing a snapshot of a heap this size takes seconds; the server is stopped after it.
    await new Promise((resolve) => setTimeout(resolve, 15_000))
  }
  const rssValues = samples.map(([, rss]) => rss)
  return {
    seconds,
    rate: result.requests.average,
    sessions,
    requests: result.requests.total,
    refreshes,
    problems: result.non2xx + result.errors + result.timeouts,
    rssAfterWarmup,
    rssEnd: rssValues.at(-1) ?? NaN,
    rssMax: Math.max(...rssValues),
    hwm: memoryOf(b.child.pid, 'VmHWM'),
    samples,
    snapshots
  }
}

let soakResult: Soak | undefined
if (SOAK > 0) {
  log(`soak: (b) for ${SOAK} s at ${SOAK_RATE} req/s, 50 sessions, every 50th request a refreshSession`)
  soakResult = await soak(SOAK)
  log(`soak: RSS ${fixed(soakResult.rssAfterWarmup, 0)} MiB after warm-up → ${fixed(soakResult.rssEnd, 0)} MiB at the end (max ${fixed(soakResult.rssMax, 0)}), ${soakResult.requests} requests, ${soakResult.refreshes} refreshes, ${soakResult.problems} problems`)
}

const loadAfter = os.loadavg()
// What the rest of the machine used while we ran: ideally nothing.
const machineAfter = machineTicks()
const servers = [...new Set(contestants.map((x) => x.child)), redis, emulatorProcess.child]
const ourTicks = processTicks(process.pid) - selfBefore + servers.reduce((sum, child) => sum + processTicks(child.pid), 0)
const others = Math.max(0, (machineAfter.busy - machineBefore.busy - ourTicks) / (machineAfter.total - machineBefore.total))
await Promise.all(servers.map(stop))

// ---------------------------------------------------------------- the report

const at = (key: string, connections: number) => {
  const list = runsOf(key, connections)
  const problems = list.reduce((sum, run) => sum + Object.values(run.problems).reduce((x, y) => x + y, 0), 0)
  // CPU per request: the median of the rounds' (a round on a busy machine can be far off).
  const cpu = median(list.map((r) => 1e6 * r.cpuSeconds / r.requests))
  return { rps: median(list.map((r) => r.rps)), p50: median(list.map((r) => r.p50)), p99: median(list.map((r) => r.p99)), rss: Math.max(...list.map((r) => r.rss)), cpu, problems, list }
}
const ratio = (x: string, y: string, connections: number) => at(x, connections).rps / at(y, connections).rps
const clean = (...keys: string[]) => keys.every((key) => at(key, TOP).problems === 0)
const nameOf = (key: string) => contestants.find((x) => x.key === key)?.name ?? key

const lines: string[] = []
const cpus = os.cpus()
lines.push('# Benchmark results', '',
  `Written by \`npm run bench\` on ${new Date().toISOString()}.`, '',
  `- Machine: ${cpus[0]?.model ?? 'unknown CPU'} × ${cpus.length}, ${fixed(os.totalmem() / 2 ** 30, 1)} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}`,
  `- Other processes used ${fixed(100 * others, 0)}% of the machine's CPU time during the run (load average before / after: ${fixed(loadBefore[0] ?? NaN)} / ${fixed(loadAfter[0] ?? NaN)})${others > 0.1 ? ': **the machine was busy; absolute numbers are lower and noisier than on an idle one; the ratios of one alternating run are what count**' : ''}`,
  `- Settings: BENCH_ROUNDS=${ROUNDS} rounds of BENCH_DURATION=${DURATION} s per server at ${CONNECTIONS.join(', ')} connection(s) (servers alternating, a different one first each round), after a ${WARMUP} s warm-up per server; BENCH_CALLS=${CALLS}`,
  '- Request: `POST /graphql` `{ me { id email } }` with the three session cookies of a real session (signIn on our server), so both the access and the id token are verified; every response checked to be a 200 with the expected body. (s): `GET /session` with the same cookies',
  `- Logging: (a), (b), (d) and rungs 7 and 8 log at \`info\` with our logger options (src/logger.ts) to ${LOG_FILE === '/dev/null' ? '/dev/null' : 'a file'}, synchronously as pino writes stdout; (a0), (b0) and rungs 0 to 6 run the same logger at \`silent\``,
  `- Rate limits raised on our servers: \`RATE_LIMITS=${RATE_LIMITS}\` (for the signIn/refreshSession latency calls; \`me\` is not rate limited)`,
  '- (a) bare Fastify route answering the same JSON; (b) our server (`Fastify(serverOptions(config))` + `fp(app)`, NODE_ENV=production, memory stores) on the embedded emulator (in its own process) as a configured pool; (c) Apollo Server 5 + Express 5, aws-jwt-verify on both tokens in its context; (d) (b) with REDIS_URL (a local redis-server). Each in its own process; autocannon runs in the parent process.',
  '- CPU µs/req: the server process\'s CPU time (user + system, all its threads, from /proc) over a run, divided by the requests answered, the median of the rounds: unlike req/s it does not depend on how fast the load generator, which shares the two cores, can go.',
  '')

lines.push(`## The cost ladder (${TOP} connections)`, '',
  'Each rung adds one layer to the rung above it (bench/servers/ladder.ts); rung 0 is (a0), rung 8 is (b), our server as `src/server.ts` builds it. ' +
  '"cost" is what the rung adds over the one before it, in CPU µs per request and in % of the bare route\'s CPU per request.', '',
  '| rung | server | req/s | of bare | CPU µs/req | cost µs/req | cost % of bare | p99 ms | errors |', '| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |')
const ladderKeys = ['a0', ...RUNGS.map((_n, i) => `L${i + 1}`), 'b']
const bareCpu = at('a0', TOP).cpu
const costs: Array<{ rung: number, key: string, cost: number }> = []
for (const [rung, key] of ladderKeys.entries()) {
  const r = at(key, TOP)
  const previous = rung === 0 ? undefined : at(ladderKeys[rung - 1] as string, TOP).cpu
  const cost = previous === undefined ? NaN : r.cpu - previous
  if (previous !== undefined) costs.push({ rung, key, cost })
  const label = rung === 0 ? 'bare Fastify route (a0)' : rung === ladderKeys.length - 1 ? '+ the full app: server-options.ts, app.ts (b)' : RUNGS[rung - 1]
  lines.push(`| ${rung} | ${label} | ${Math.round(r.rps)} | ${fixed(r.rps / at('a0', TOP).rps)} | ${fixed(r.cpu, 0)} | ${previous === undefined ? '' : fixed(cost, 0)} | ${previous === undefined ? '' : `${fixed(100 * cost / bareCpu, 0)}%`} | ${r.p99} | ${r.problems === 0 ? 'none' : `**${r.problems}**`} |`)
}
const dearest = [...costs].sort((x, y) => y.cost - x.cost)[0]
if (dearest !== undefined) lines.push('', `The rung that costs most: **${dearest.rung}, ${ladderKeys.length - 1 === dearest.rung ? 'the full app' : RUNGS[dearest.rung - 1]}** (${fixed(dearest.cost, 0)} µs per request, ${fixed(100 * dearest.cost / bareCpu, 0)}% of the bare route's CPU per request).`)

if (injected !== undefined) {
  const bareInject = injected[0]?.median ?? NaN
  lines.push('', '### The same ladder by inject', '',
    'Rungs 0 to 8 built in one process (bench/servers/ladder.ts, `LADDER_RUNG=inject`) and driven with Fastify\'s `inject`, no sockets and no load generator: ' +
    `${process.env.BENCH_INJECT_ROUNDS ?? 7} rounds of ${process.env.BENCH_INJECT_REQUESTS ?? 3000} requests per rung, rungs alternating; the process's CPU time per request, median of the rounds. ` +
    'It leaves out what the sockets cost (reading the request, writing the answer) and resolves the layers\' own costs on a busy machine.', '',
    '| rung | server | CPU µs/req | cost µs/req | cost % of bare | rounds |', '| ---: | --- | ---: | ---: | ---: | --- |')
  for (const [rung, result] of injected.entries()) {
    const previous = rung === 0 ? undefined : injected[rung - 1]?.median
    const cost = previous === undefined ? NaN : result.median - previous
    const label = rung === 0 ? 'bare Fastify route' : rung === 8 ? '+ the full app: server-options.ts, app.ts' : RUNGS[rung - 1]
    lines.push(`| ${rung} | ${label} | ${fixed(result.median, 1)} | ${previous === undefined ? '' : fixed(cost, 1)} | ${previous === undefined ? '' : `${fixed(100 * cost / bareInject, 0)}%`} | ${result.rounds.map((x) => fixed(x, 0)).join(', ')} |`)
  }
  const dearestInject = injected.map((r, rung) => ({ rung, cost: rung === 0 ? -Infinity : r.median - (injected?.[rung - 1]?.median ?? NaN) })).sort((x, y) => y.cost - x.cost)[0]
  if (dearestInject !== undefined) lines.push('', `By inject, the rung that costs most: **${dearestInject.rung}, ${dearestInject.rung === 8 ? 'the full app' : RUNGS[dearestInject.rung - 1]}** (${fixed(dearestInject.cost, 1)} µs per request).`)
}

lines.push('', '## Throughput', '', `Median over ${ROUNDS} round(s); latency from autocannon (whole milliseconds); peak RSS is the highest VmRSS sampled during these runs.`, '',
  '| server | connections | req/s (each round) | CPU µs/req | p50 ms | p99 ms | peak RSS MiB | errors |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |')
for (const x of contestants.filter((c) => !c.key.startsWith('L'))) {
  for (const connections of CONNECTIONS) {
    const r = at(x.key, connections)
    const rounds = r.list.map((run) => Math.round(run.rps)).join(', ')
    lines.push(`| (${x.key}) ${x.name} | ${connections} | ${Math.round(r.rps)} (${rounds}) | ${fixed(r.cpu, 0)} | ${r.p50} | ${r.p99} | ${fixed(r.rss, 0)} | ${r.problems === 0 ? 'none' : `**${r.problems}** (${r.list.map((run) => JSON.stringify(run.problems)).join(' ')})`} |`)
  }
}
const uniqueKeys = ['a', 'b', 'c', 'd', 'a0', 'b0', ...(bx === undefined ? [] : ['bx'])]
lines.push('', `RSS after start-up and one request → peak over the throughput runs and the latency calls (VmHWM): ${uniqueKeys.map((key) => `(${key}) ${fixed(contestants.find((x) => x.key === key)?.idleRss ?? NaN, 0)} → ${fixed(peak[key] ?? NaN, 0)} MiB`).join(', ')}; redis-server ${fixed(redisPeak, 0)} MiB. ` +
  'Every server runs compiled JavaScript (the bench builds the repository with tsc into bench/.tmp/build first), as `node dist/server.js` does in production.', '')

lines.push('## Ratios (req/s)', '', '| connections | b/a (info) | b0/a0 (silent) | s/a (/session) | b/c | d/a |', '| ---: | ---: | ---: | ---: | ---: | ---: |')
for (const connections of CONNECTIONS) lines.push(`| ${connections} | ${fixed(ratio('b', 'a', connections))} | ${fixed(ratio('b0', 'a0', connections))} | ${fixed(ratio('s', 'a', connections))} | ${fixed(ratio('b', 'c', connections))} | ${fixed(ratio('d', 'a', connections))} |`)
lines.push('', `CPU per request, (b) over (a) at ${TOP} connections: ${fixed(at('b', TOP).cpu / at('a', TOP).cpu)} (info), ${fixed(at('b0', TOP).cpu / at('a0', TOP).cpu)} (silent); ${nameOf('s')} ${fixed(at('s', TOP).cpu, 0)} µs against \`me\` ${fixed(at('b', TOP).cpu, 0)} µs.`)

const stats = (values: number[]) => ({ median: median(values), p99: quantile(values, 0.99) })
lines.push('', '## Added latency of our server over calling the emulator directly', '',
  `${CALLS} sequential calls each way (after 10 warm-up pairs), alternating: through (b) with fetch, and InitiateAuth with the AWS SDK. Milliseconds.`, '',
  '| operation | direct median | direct p99 | through (b) median | through (b) p99 | added median | added p99 |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: |')
const added: Record<string, number> = {}
for (const [operation, times] of [['signIn (USER_PASSWORD_AUTH)', signIns], ['refreshSession (REFRESH_TOKEN_AUTH)', refreshes]] as const) {
  const direct = stats(times.direct)
  const server = stats(times.server)
  added[operation] = server.median - direct.median
  lines.push(`| ${operation} | ${fixed(direct.median)} | ${fixed(direct.p99)} | ${fixed(server.median)} | ${fixed(server.p99)} | ${fixed(server.median - direct.median)} | ${fixed(server.p99 - direct.p99)} |`)
}
lines.push('', `For scale, one sequential \`me\` through (b), which calls no Cognito: median ${fixed(median(roundTrips))} ms, p99 ${fixed(quantile(roundTrips, 0.99))} ms.`)

if (soakResult !== undefined) {
  const growth = soakResult.rssEnd / soakResult.rssAfterWarmup - 1
  const every = Math.max(1, Math.round(soakResult.samples.length / 10))
  lines.push('', '## Memory soak of (b)', '',
    `${soakResult.seconds} s at ${SOAK_RATE} req/s requested (${fixed(soakResult.rate, 0)} answered on average), ${soakResult.sessions} connections each with a session of its own, asking \`me\` and every 50th request \`refreshSession\` (taking the cookies it sets): ${soakResult.requests} requests, ${soakResult.refreshes} refreshes, ${soakResult.problems} non-2xx, errors or timeouts. ` +
    `RSS after the warm-up (${fixed(Math.min(60, soakResult.seconds / 5), 0)} s) ${fixed(soakResult.rssAfterWarmup, 0)} MiB → ${fixed(soakResult.rssEnd, 0)} MiB at the end (${growth >= 0 ? '+' : ''}${fixed(100 * growth, 1)}%), highest ${fixed(soakResult.rssMax, 0)} MiB; VmHWM ${fixed(soakResult.hwm, 0)} MiB.${soakResult.snapshots ? ` Heap snapshots of (b) after the warm-up and at the end are in ${HEAP_DIR}.` : ''}`, '',
    `RSS over time (s → MiB): ${soakResult.samples.filter((_s, i) => i % every === 0 || i === soakResult!.samples.length - 1).map(([t, rss]) => `${fixed(t, 0)} → ${fixed(rss, 0)}`).join(', ')}`)
}

const goal = (text: string, measured: number, met: boolean, valid: boolean, unit = '') =>
  `| ${text} | ${fixed(measured)}${unit} | ${!valid ? 'not valid (errors in the run)' : met ? 'met' : '**not met**'} |`
const bTop = at('b', TOP)
const soakGrowth = soakResult === undefined ? NaN : soakResult.rssEnd / soakResult.rssAfterWarmup - 1
lines.push('', `## Goals of the issue (at ${TOP} connections)`, '', '| goal | measured | status |', '| --- | ---: | --- |',
  goal('b/a ≥ 0.70 (both logging at info)', ratio('b', 'a', TOP), ratio('b', 'a', TOP) >= 0.7, clean('a', 'b')),
  goal('b0/a0 (both silent; second line)', ratio('b0', 'a0', TOP), ratio('b0', 'a0', TOP) >= 0.7, clean('a0', 'b0')),
  goal('s/a (/session) ≈ b/a', ratio('s', 'a', TOP), ratio('s', 'a', TOP) >= 0.95 * ratio('b', 'a', TOP), clean('a', 's')),
  goal('b/c ≥ 8', ratio('b', 'c', TOP), ratio('b', 'c', TOP) >= 8, clean('b', 'c')),
  goal('d/a ≥ 0.60', ratio('d', 'a', TOP), ratio('d', 'a', TOP) >= 0.6, clean('a', 'd')),
  goal('p99 of b ≤ 10 ms', bTop.p99, bTop.p99 <= 10, clean('b'), ' ms'),
  goal('peak RSS of b ≤ 150 MiB (VmHWM before any soak)', peak.b ?? NaN, (peak.b ?? Infinity) <= 150, true, ' MiB'),
  ...(soakResult === undefined ? [] : [goal(`RSS growth of b < 10% over the ${soakResult.seconds} s soak`, 100 * soakGrowth, soakGrowth < 0.1, soakResult.problems === 0, '%')]),
  goal('signIn added latency ≤ 1 ms (median)', added['signIn (USER_PASSWORD_AUTH)'] ?? NaN, (added['signIn (USER_PASSWORD_AUTH)'] ?? Infinity) <= 1, true, ' ms'),
  '')

// Where the goals are missed, why: the engineers' reading of the ladder and the profiles, kept beside the numbers.
const analysis = join(benchDir, 'ANALYSIS.md')
if (existsSync(analysis)) lines.push(readFileSync(analysis, 'utf8'))

const report = lines.join('\n')
writeFileSync(join(benchDir, process.env.BENCH_OUT ?? 'RESULTS.md'), report)
log(`\n${report}`)
log(`bench: wrote bench/${process.env.BENCH_OUT ?? 'RESULTS.md'}`)
process.exit(0)
