// npm run bench: starts the four contestants side by side (each in its own process, on
// 127.0.0.1 random ports), drives them with autocannon in alternating rounds, measures what our
// server adds to signIn and refreshSession over calling Cognito (the emulator) directly, and
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

const DURATION = setting('BENCH_DURATION', 10)
const ROUNDS = Math.round(setting('BENCH_ROUNDS', 3))
const CALLS = Math.round(setting('BENCH_CALLS', 200))
const WARMUP = Math.min(3, DURATION)
const CONNECTIONS = [2, 10, 50]
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
const planned = 4 * (WARMUP + ROUNDS * CONNECTIONS.length * DURATION) + CALLS
setTimeout(() => { console.error('bench: over its time budget, stopping'); process.exit(1) }, (2 * planned + 300) * 1000).unref()

/** Resolves with the first stdout line of `child` that matches `pattern`. */
async function lineOf (child: ChildProcess, pattern: RegExp, name: string, timeoutMs = 60_000): Promise<string> {
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
async function startServer (file: string, env: Record<string, string>, nodeArgs: string[] = []): Promise<{ child: ChildProcess, url: string }> {
  const base = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmp, TMPDIR: os.tmpdir(), NODE_ENV: 'production', ...QUIET_SDK }
  const child = spawn(process.execPath, [...nodeArgs, join(buildDir, 'bench', 'servers', file.replace(/\.ts$/, '.js'))], {
    cwd: repoDir, env: { ...base, ...env }, stdio: ['pipe', 'pipe', 'inherit']
  })
  children.push(child)
  return { child, url: await lineOf(child, /^(http:\/\/127\.0\.0\.1:\d+|\{.*\})$/, file) }
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

async function gql (url: string, query: string, variables: Record<string, unknown> = {}, jar: Jar = new Map()) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(jar.size > 0 ? { cookie: cookieHeader(jar) } : {}) },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(10_000)
  })
  for (const line of response.headers.getSetCookie()) {
    const [pair = '', ...attributes] = line.split(';')
    const name = pair.slice(0, pair.indexOf('=')).trim()
    const value = pair.slice(pair.indexOf('=') + 1).trim()
    if (value === '' || attributes.some((a) => /^\s*max-age=0\s*$/i.test(a))) jar.delete(name)
    else jar.set(name, value)
  }
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

interface Contestant { key: 'a' | 'b' | 'c' | 'd', name: string, url: string, child: ChildProcess, cookie: string, expectBody: string, idleRss: number }

log(`bench: ${ROUNDS} round(s) of ${DURATION} s at ${CONNECTIONS.join(', ')} connections, ${WARMUP} s warm-up, ${CALLS} latency calls each way`)
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
const ours = {
  ...pool,
  AWS_ACCESS_KEY_ID: emulator.credentials.accessKeyId,
  AWS_SECRET_ACCESS_KEY: emulator.credentials.secretAccessKey,
  COOKIE_SECRET: randomBytes(32).toString('base64url'),
  LOG_LEVEL: 'silent',
  HOST: '127.0.0.1',
  PORT: '0',
  RATE_LIMITS
}
const profile = process.env.BENCH_CPU_PROF === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
const [b, d] = await Promise.all([
  startServer('ours.ts', ours, profile),
  startServer('ours.ts', { ...ours, REDIS_URL: `redis://127.0.0.1:${redisPort}` })
])

// A real session: sign up through (b), confirmed by the admin API (the emailed code stays in the
// emulator's process), then signIn on each server.
const email = `bench.${Date.now()}@example.com`
const signUp = await gql(b.url, SIGN_UP, { email, password: PASSWORD })
if (signUp.data?.signUp == null) throw new Error(`signUp failed: ${signUp.text}`)
await sdk.send(new AdminConfirmSignUpCommand({ UserPoolId: emulator.userPoolId, Username: email }))
const [jarB, jarD] = await Promise.all([signIn(b.url, email), signIn(d.url, email)])
const me = await gql(b.url, ME_QUERY, {}, jarB)
if (me.data?.me?.email !== email) throw new Error(`me answered ${me.text}`)
const expected = JSON.stringify({ data: me.data })

const [a, c] = await Promise.all([
  startServer('bare.ts', { BENCH_BODY: expected }),
  startServer('apollo.ts', pool)
])

const contestants: Contestant[] = []
for (const [key, name, server, jar] of [
  ['a', 'bare Fastify route', a, jarB],
  ['b', 'our server', b, jarB],
  ['c', 'Apollo Server 5 + Express 5', c, jarB],
  ['d', 'our server, REDIS_URL set', d, jarD]
] as const) {
  // One request first: it must be a 200 with the expected JSON; its exact bytes are what autocannon expects.
  const cookie = cookieHeader(jar)
  const response = await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: ME, signal: AbortSignal.timeout(10_000) })
  const text = await response.text()
  if (response.status !== 200 || JSON.stringify(JSON.parse(text)) !== expected) throw new Error(`(${key}) answered ${response.status} ${text}; expected ${expected}`)
  contestants.push({ key, name, url: server.url, child: server.child, cookie, expectBody: text, idleRss: memoryOf(server.child.pid, 'VmRSS') })
}
log(`servers: ${contestants.map((x) => `(${x.key}) ${x.url} pid ${x.child.pid}`).join(', ')}; redis on ${redisPort}; emulator at ${emulator.endpoint}`)

// ---------------------------------------------------------------- throughput

interface Run { rps: number, p50: number, p99: number, rss: number, problems: { non2xx: number, errors: number, timeouts: number, mismatches: number } }

async function drive (target: Contestant, connections: number, duration: number): Promise<Run> {
  let rss = memoryOf(target.child.pid, 'VmRSS')
  const sampler = setInterval(() => { rss = Math.max(rss, memoryOf(target.child.pid, 'VmRSS')) }, 200)
  let result: Result
  try {
    result = await autocannon({
      url: `${target.url}/graphql`,
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: target.cookie },
      body: ME,
      connections,
      duration,
      timeout: 10,
      expectBody: target.expectBody
    })
  } finally {
    clearInterval(sampler)
  }
  const { non2xx, errors, timeouts, mismatches } = result
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, rss, problems: { non2xx, errors, timeouts, mismatches } }
}

for (const target of contestants) await drive(target, 10, WARMUP)

const runs = new Map<string, Run[]>()
const runsOf = (key: string, connections: number) => runs.get(`${key}@${connections}`) ?? []
for (let round = 0; round < ROUNDS; round++) {
  for (const [i, connections] of CONNECTIONS.entries()) {
    // A different server goes first each time, so drift (heat, neighbours) spreads over all of them.
    const shift = (round * CONNECTIONS.length + i) % contestants.length
    for (const target of [...contestants.slice(shift), ...contestants.slice(0, shift)]) {
      const run = await drive(target, connections, DURATION)
      runs.set(`${target.key}@${connections}`, [...runsOf(target.key, connections), run])
      const bad = Object.entries(run.problems).filter(([, n]) => n > 0).map(([what, n]) => `${n} ${what}`)
      log(`round ${round + 1}/${ROUNDS}, ${connections} connections, (${target.key}): ${Math.round(run.rps)} req/s, p50 ${run.p50} ms, p99 ${run.p99} ms, RSS ${fixed(run.rss, 0)} MiB${bad.length > 0 ? `, ERRORS: ${bad.join(', ')}` : ''}`)
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
const loadAfter = os.loadavg()
// What the rest of the machine used while we ran: ideally nothing.
const machineAfter = machineTicks()
const ourTicks = processTicks(process.pid) - selfBefore + [...contestants.map((x) => x.child), redis, emulatorProcess.child].reduce((sum, child) => sum + processTicks(child.pid), 0)
const others = Math.max(0, (machineAfter.busy - machineBefore.busy - ourTicks) / (machineAfter.total - machineBefore.total))
await Promise.all([...contestants.map((x) => x.child), redis, emulatorProcess.child].map(stop))

// ---------------------------------------------------------------- the report

const at = (key: string, connections: number) => {
  const list = runsOf(key, connections)
  const problems = list.reduce((sum, run) => sum + Object.values(run.problems).reduce((x, y) => x + y, 0), 0)
  return { rps: median(list.map((r) => r.rps)), p50: median(list.map((r) => r.p50)), p99: median(list.map((r) => r.p99)), rss: Math.max(...list.map((r) => r.rss)), problems, list }
}
const ratio = (x: string, y: string, connections: number) => at(x, connections).rps / at(y, connections).rps
const clean = (...keys: string[]) => keys.every((key) => at(key, 50).problems === 0)

const lines: string[] = []
const cpus = os.cpus()
lines.push('# Benchmark results', '',
  `Written by \`npm run bench\` on ${new Date().toISOString()}.`, '',
  `- Machine: ${cpus[0]?.model ?? 'unknown CPU'} × ${cpus.length}, ${fixed(os.totalmem() / 2 ** 30, 1)} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}`,
  `- Other processes used ${fixed(100 * others, 0)}% of the machine's CPU time during the run (load average before / after: ${fixed(loadBefore[0] ?? NaN)} / ${fixed(loadAfter[0] ?? NaN)})${others > 0.1 ? ': **the machine was busy; these numbers are lower and noisier than on an idle one**' : ''}`,
  `- Settings: BENCH_ROUNDS=${ROUNDS} rounds of BENCH_DURATION=${DURATION} s per server and connection count (servers alternating, a different one first each time), after a ${WARMUP} s warm-up per server; BENCH_CALLS=${CALLS}`,
  '- Request: `POST /graphql` `{ me { id email } }` with the three session cookies of a real session (signIn on our server), so both the access and the id token are verified; every response checked to be a 200 with the expected body',
  `- Rate limits raised on (b) and (d): \`RATE_LIMITS=${RATE_LIMITS}\` (for the signIn/refreshSession latency calls; \`me\` is not rate limited)`,
  '- (a) bare Fastify route answering the same JSON; (b) our server (`Fastify(serverOptions(config))` + `fp(app)`, NODE_ENV=production, LOG_LEVEL=silent, memory stores) on the embedded emulator (in its own process) as a configured pool; (c) Apollo Server 5 + Express 5, aws-jwt-verify on both tokens in its context; (d) (b) with REDIS_URL (a local redis-server). Each in its own process; autocannon runs in the parent process.',
  '')

lines.push('## Throughput', '', `Median over ${ROUNDS} round(s); latency from autocannon (whole milliseconds); peak RSS is the highest VmRSS sampled during these runs.`, '',
  '| server | connections | req/s | p50 ms | p99 ms | peak RSS MiB | errors |', '| --- | ---: | ---: | ---: | ---: | ---: | --- |')
for (const x of contestants) {
  for (const connections of CONNECTIONS) {
    const r = at(x.key, connections)
    const rounds = r.list.map((run) => Math.round(run.rps)).join(', ')
    lines.push(`| (${x.key}) ${x.name} | ${connections} | ${Math.round(r.rps)} (${rounds}) | ${r.p50} | ${r.p99} | ${fixed(r.rss, 0)} | ${r.problems === 0 ? 'none' : `**${r.problems}** (${r.list.map((run) => JSON.stringify(run.problems)).join(' ')})`} |`)
  }
}
lines.push('', `RSS after start-up and one request → peak over the whole run (VmHWM): ${contestants.map((x) => `(${x.key}) ${fixed(x.idleRss, 0)} → ${fixed(peak[x.key] ?? NaN, 0)} MiB`).join(', ')}; redis-server ${fixed(redisPeak, 0)} MiB. ` +
  'Every server runs compiled JavaScript (the bench builds the repository with tsc into bench/.tmp/build first), as `node dist/server.js` does in production.', '')

lines.push('## Ratios (req/s)', '', '| connections | b/a | b/c | d/a |', '| ---: | ---: | ---: | ---: |')
for (const connections of CONNECTIONS) lines.push(`| ${connections} | ${fixed(ratio('b', 'a', connections))} | ${fixed(ratio('b', 'c', connections))} | ${fixed(ratio('d', 'a', connections))} |`)

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

const goal = (text: string, measured: number, met: boolean, valid: boolean, unit = '') =>
  `| ${text} | ${fixed(measured)}${unit} | ${!valid ? 'not valid (errors in the run)' : met ? 'met' : '**not met**'} |`
const b50 = at('b', 50)
lines.push('', '## Goals of the issue (at 50 connections)', '', '| goal | measured | status |', '| --- | ---: | --- |',
  goal('b/a ≥ 0.70', ratio('b', 'a', 50), ratio('b', 'a', 50) >= 0.7, clean('a', 'b')),
  goal('b/c ≥ 8', ratio('b', 'c', 50), ratio('b', 'c', 50) >= 8, clean('b', 'c')),
  goal('d/a ≥ 0.60', ratio('d', 'a', 50), ratio('d', 'a', 50) >= 0.6, clean('a', 'd')),
  goal('p99 of b ≤ 10 ms', b50.p99, b50.p99 <= 10, clean('b'), ' ms'),
  goal('peak RSS of b ≤ 150 MiB', peak.b ?? NaN, (peak.b ?? Infinity) <= 150, true, ' MiB'),
  goal('signIn added latency ≤ 1 ms (median)', added['signIn (USER_PASSWORD_AUTH)'] ?? NaN, (added['signIn (USER_PASSWORD_AUTH)'] ?? Infinity) <= 1, true, ' ms'),
  '')

// Where the goals are missed, why: the engineers' reading of the profiles, kept beside the numbers.
const analysis = join(benchDir, 'ANALYSIS.md')
if (existsSync(analysis)) lines.push(readFileSync(analysis, 'utf8'))

const report = lines.join('\n')
writeFileSync(join(benchDir, 'RESULTS.md'), report)
log(`\n${report}`)
log('bench: wrote bench/RESULTS.md')
process.exit(0)
