// The bench's report: bench/RESULTS.md (or BENCH_OUT), the issue's goals first, then the
// session checks and peers, the cost ladder, throughput, memory, Redis, sign-in overhead, the
// soaks, and bench/ANALYSIS.md (the engineers' reading) appended.
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import { join } from 'node:path'
import { addedMedian, overheadReport, type Overhead } from './overhead.ts'
import { benchDir } from './processes.ts'
import { describeDev, type DevGrowth } from './dev-growth.ts'
import { describeSoak, growthOf, type Soak } from './soak.ts'
import type { Contestant, Runs } from './throughput.ts'

/** The ladder by inject (servers/ladder.ts): rungs 0 to 8, and (m) beside them; CPU µs per request. */
export interface Injected { inject: Array<{ median: number, rounds: number[] }>, reference?: { median: number, rounds: number[] } }

export interface Results {
  settings: { rounds: number, duration: number, warmup: number, calls: number, connections: number[], top: number, logFile: string, rateLimits: string, soakRate: number, heapDir?: string }
  machine: { others: number, loadBefore: number, loadAfter: number }
  contestants: Contestant[]
  runs: Runs
  rungs: string[]
  injected?: Injected
  /** VmHWM (MiB) by key after the throughput runs and the latency calls. */
  peak: Record<string, number>
  redisPeak: number
  overhead: Overhead
  /** The image's memory settings, as text. */
  image: string
  cluster: { note: string, keys?: number[] }
  soak?: Soak
  dev?: DevGrowth[]
}

/** The session-check table's rows: what is compared with what (the keys of run.ts). */
const COMPARISONS: Array<[label: string, x: string, y: string]> = [
  ['GET /session vs a bare GET route answering the same', 's', 'as'],
  ['plugin mode: requireUser route vs the same route without it', 'p', 'p0'],
  ['plugin mode: requireUser route vs a bare route', 'p', 'as'],
  ['`me` vs the bare route', 'b', 'a'],
  ['`me` vs Mercurius with a constant `me`', 'b', 'm'],
  ['Mercurius with a constant `me` vs the bare route', 'm', 'a'],
  ['our GET /session vs Better Auth\'s', 's', 'ba'],
  ['our `me` vs Better Auth\'s session check', 'b', 'ba'],
  ['our `me` vs Apollo 5 + Express 5', 'b', 'c'],
  ['silent: `me` vs the bare route', 'b0', 'a0'],
  ['Redis: `me` vs the bare route', 'd', 'a'],
  ['Redis Cluster: `me` vs the bare route', 'dc', 'a'],
  ['Redis Cluster vs one Redis', 'dc', 'd']
]

const fixed = (value: number, digits = 2) => Number.isFinite(value) ? value.toFixed(digits) : 'n/a'

export function report (results: Results): void {
  const { settings, runs } = results
  const TOP = settings.top
  const has = (key: string) => runs.of(key, TOP).length > 0
  const at = (key: string) => runs.at(key, TOP)
  const ratio = (x: string, y: string) => runs.ratio(x, y, TOP)
  const clean = (...keys: string[]) => runs.clean(TOP, ...keys)
  const lines: string[] = []
  const cpus = os.cpus()
  lines.push('# Benchmark results', '',
    `Written by \`npm run bench\` on ${new Date().toISOString()}.`, '',
    `- Machine: ${cpus[0]?.model ?? 'unknown CPU'} × ${cpus.length}, ${fixed(os.totalmem() / 2 ** 30, 1)} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}`,
    `- Other processes used ${fixed(100 * results.machine.others, 0)}% of the machine's CPU time during the run (load average before / after: ${fixed(results.machine.loadBefore)} / ${fixed(results.machine.loadAfter)})${results.machine.others > 0.1 ? ': **the machine was busy; CPU ratios and latencies of this run are not results; memory figures still are**' : ''}`,
    `- Settings: BENCH_ROUNDS=${settings.rounds} rounds of BENCH_DURATION=${settings.duration} s per server at ${settings.connections.join(', ')} connection(s) (servers alternating, a different one first each round), after a ${settings.warmup} s warm-up per server; BENCH_CALLS=${settings.calls}`,
    '- Requests: `POST /graphql` `{ me { id email } }` with the session cookies of a real session (signIn on that server), so both the access and the id token are verified; GET /session and the plugin-mode routes with the same cookies; every response checked to be a 200 with the expected bytes',
    `- Logging: every server but (c), (a0), (b0) and rungs 0 to 6 logs at \`info\` with our logger options (src/logger.ts) and one request line, to ${settings.logFile === '/dev/null' ? '/dev/null' : 'a file'}, synchronously as pino writes stdout: equal logging`,
    `- Rate limits raised on our servers: \`RATE_LIMITS=${settings.rateLimits}\` (for the signIn/refreshSession calls; \`me\` is not rate limited)`,
    '- CPU µs/req: the server process\'s CPU time (user + system, all its threads, from /proc) over a run, divided by the requests answered, median of the rounds: unlike req/s it does not depend on how fast the load generator, which shares the cores, can go.',
    '')

  // ------------------------------------------------------------ goals
  const goal = (text: string, measured: string, met: boolean | undefined, valid = true) =>
    `| ${text} | ${measured} | ${met === undefined ? 'not measured in this run' : !valid ? 'not valid (errors in the run)' : met ? 'met' : '**not met**'} |`
  const measuredRatio = (x: string, y: string, at: number) => has(x) && has(y) ? ratio(x, y) >= at : undefined
  const ops = results.overhead.operations
  const soakGrowth = results.soak === undefined ? NaN : growthOf(results.soak)
  lines.push(`## Goals of the issue (at ${TOP} connections)`, '', '| goal | measured | status |', '| --- | ---: | --- |',
    goal('GET /session ≥ 0.95 of the bare route (s/as)', fixed(ratio('s', 'as')), measuredRatio('s', 'as', 0.95), clean('s', 'as')),
    goal('plugin mode: a `requireUser` route ≥ 0.90 of the same route without it (p/p0)', fixed(ratio('p', 'p0')), measuredRatio('p', 'p0', 0.9), clean('p', 'p0')),
    goal('`me` ≥ 0.70 of the bare route, both logging at info (b/a)', fixed(ratio('b', 'a')), measuredRatio('b', 'a', 0.7), clean('a', 'b')),
    goal('our layers ≤ 30% over Mercurius with a constant `me` (b/m ≥ 0.77)', fixed(ratio('b', 'm')), measuredRatio('b', 'm', 1 / 1.3), clean('b', 'm')),
    ...ops.map((op) => goal(`${op.operation.split(' ')[0]} adds ≤ 1 ms over its Cognito calls (median)`, `${fixed(addedMedian(op))} ms`, op.server.total.length > 0 ? addedMedian(op) <= 1 : undefined)),
    goal('p99 of (b) ≤ 10 ms', `${at('b').p99} ms`, has('b') ? at('b').p99 <= 10 : undefined, clean('b')),
    goal(`peak RSS of (bt), ${results.image}, ≤ 150 MiB (VmHWM)`, `${fixed(results.peak.bt ?? NaN, 0)} MiB`, has('bt') ? (results.peak.bt ?? Infinity) <= 150 : undefined),
    goal('(bt) within 5% of (b)\'s throughput (bt/b)', fixed(ratio('bt', 'b')), measuredRatio('bt', 'b', 0.95), clean('b', 'bt')),
    goal(`RSS growth of (bt) < 10% over the soak${results.soak === undefined ? ' (BENCH_SOAK)' : ` (${results.soak.seconds} s)`}`, `${fixed(100 * soakGrowth, 1)}%`, results.soak === undefined ? undefined : soakGrowth < 0.1, results.soak?.problems === 0),
    results.dev === undefined
      ? goal('the development server\'s growth explained (BENCH_DEV_SECONDS)', 'n/a', undefined)
      : '| the development server\'s growth explained | each suspect apart, below | measured: read it with bench/ANALYSIS.md |',
    goal('our `/session` ahead of Better Auth\'s session check (s/ba ≥ 1)', fixed(ratio('s', 'ba')), measuredRatio('s', 'ba', 1), clean('s', 'ba')),
    goal('our `me` ahead of Better Auth\'s session check (b/ba ≥ 1)', fixed(ratio('b', 'ba')), measuredRatio('b', 'ba', 1), clean('b', 'ba')),
    goal('d/a ≥ 0.60 (Redis)', fixed(ratio('d', 'a')), measuredRatio('d', 'a', 0.6), clean('a', 'd')),
    goal('a Redis Cluster run beside it (dc/a, no target)', has('dc') ? fixed(ratio('dc', 'a')) : results.cluster.note || 'n/a', has('dc') && results.cluster.note === '' ? true : undefined, clean('dc')),
    '')

  // ------------------------------------------------------------ session checks and peers
  lines.push('## The session check, by kind (req/s ratios; CPU µs per request beside)', '',
    '| comparison | req/s ratio | CPU µs/req |', '| --- | ---: | --- |')
  for (const [label, x, y] of COMPARISONS) {
    if (has(x) && has(y)) lines.push(`| ${label} (${x}/${y}) | ${fixed(ratio(x, y))} | ${fixed(at(x).cpu, 0)} vs ${fixed(at(y).cpu, 0)} |`)
  }
  lines.push('')
  if (results.cluster.note !== '') lines.push(`Redis Cluster: ${results.cluster.note}.`, '')
  else if (results.cluster.keys !== undefined) lines.push(`Redis Cluster: keys on its three nodes after the runs: ${results.cluster.keys.join(', ')} (REDIS_CLUSTER honoured: the server wrote to the cluster).`, '')

  lines.push(...ladder(results), ...throughput(results), ...memory(results))
  lines.push('', ...overheadReport(results.overhead, settings.calls))
  if (results.soak !== undefined) {
    lines.push('', '## Memory soak of (bt)', '', ...describeSoak(results.soak, `(bt), ${results.image}`))
    if (results.soak.snapshots) lines.push('', `Heap snapshots of (bt) after the warm-up and at the end are in ${settings.heapDir}.`)
  }
  if (results.dev !== undefined) lines.push('', ...describeDev(results.dev))
  lines.push('')
  // Where the goals are missed, why: the engineers' reading of the ladder and the profiles, kept beside the numbers.
  const analysis = join(benchDir, 'ANALYSIS.md')
  if (existsSync(analysis)) lines.push(readFileSync(analysis, 'utf8'))
  const text = lines.join('\n')
  const out = process.env.BENCH_OUT ?? 'RESULTS.md'
  writeFileSync(join(benchDir, out), text)
  console.log(`\n${text}`)
  console.log(`bench: wrote bench/${out}`)
}

/** The cost ladder over sockets and by inject. */
function ladder ({ runs, settings, rungs, injected }: Results): string[] {
  const TOP = settings.top
  const lines = [`## The cost ladder (${TOP} connections)`, '',
    'Each rung adds one layer to the rung above it (bench/servers/ladder.ts); rung 0 is (a0), rung 8 is (b). "cost" is what the rung adds over the one before it, in CPU µs per request and in % of the bare route\'s.', '',
    '| rung | server | req/s | of bare | CPU µs/req | cost µs/req | cost % of bare | p99 ms | errors |', '| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |']
  const keys = ['a0', ...rungs.map((_n, i) => `L${i + 1}`), 'b']
  if (!keys.every((key) => runs.of(key, TOP).length > 0)) return ['## The cost ladder', '', 'Not driven in this run (BENCH_ONLY).', '', ...injectLadder(rungs, injected)]
  const bare = runs.at('a0', TOP)
  for (const [rung, key] of keys.entries()) {
    const r = runs.at(key, TOP)
    const previous = rung === 0 ? undefined : runs.at(keys[rung - 1] as string, TOP).cpu
    const cost = previous === undefined ? NaN : r.cpu - previous
    const label = rung === 0 ? 'bare Fastify route (a0)' : rung === keys.length - 1 ? '+ the full app: server-options.ts, app.ts (b)' : rungs[rung - 1]
    lines.push(`| ${rung} | ${label} | ${Math.round(r.rps)} | ${fixed(r.rps / bare.rps)} | ${fixed(r.cpu, 0)} | ${previous === undefined ? '' : fixed(cost, 0)} | ${previous === undefined ? '' : `${fixed(100 * cost / bare.cpu, 0)}%`} | ${r.p99} | ${r.problems === 0 ? 'none' : `**${r.problems}**`} |`)
  }
  return [...lines, '', ...injectLadder(rungs, injected)]
}

function injectLadder (rungs: string[], injected: Injected | undefined): string[] {
  if (injected === undefined) return []
  const bare = injected.inject[0]?.median ?? NaN
  const lines = ['### The same ladder by inject', '',
    'Rungs 0 to 8 and (m) built in one process (bench/servers/ladder.ts, `LADDER_RUNG=inject`) and driven with Fastify\'s `inject`, rungs alternating; the process\'s CPU time per request, median of the rounds. No sockets and no load generator: it resolves the layers\' own costs on a busy machine.', '',
    '| rung | server | CPU µs/req | cost µs/req | cost % of bare | rounds |', '| ---: | --- | ---: | ---: | ---: | --- |']
  for (const [rung, result] of injected.inject.entries()) {
    const previous = rung === 0 ? undefined : injected.inject[rung - 1]?.median
    const cost = previous === undefined ? NaN : result.median - previous
    const label = rung === 0 ? 'bare Fastify route' : rung === 8 ? '+ the full app: server-options.ts, app.ts' : rungs[rung - 1]
    lines.push(`| ${rung} | ${label} | ${fixed(result.median, 1)} | ${previous === undefined ? '' : fixed(cost, 1)} | ${previous === undefined ? '' : `${fixed(100 * cost / bare, 0)}%`} | ${result.rounds.map((x) => fixed(x, 0)).join(', ')} |`)
  }
  const reference = injected.reference
  const full = injected.inject[8]?.median ?? NaN
  if (reference !== undefined) {
    lines.push(`| (m) | Mercurius with our schema, a constant \`me\`, logging at info | ${fixed(reference.median, 1)} | | | ${reference.rounds.map((x) => fixed(x, 0)).join(', ')} |`, '',
      `By inject, our server costs ${fixed(full / reference.median)}× (m) (the goal: ≤ 1.30) and ${fixed(full / bare)}× the bare route.`)
  }
  return [...lines, '']
}

function throughput ({ runs, settings, contestants }: Results): string[] {
  const lines = ['## Throughput', '', `Median over ${settings.rounds} round(s); latency from autocannon (whole milliseconds); peak RSS is the highest VmRSS sampled during these runs.`, '',
    '| server | connections | req/s (each round) | CPU µs/req | p50 ms | p99 ms | peak RSS MiB | errors |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |']
  for (const x of contestants.filter((c) => !c.key.startsWith('L'))) {
    for (const connections of settings.connections) {
      const r = runs.at(x.key, connections)
      if (r.list.length === 0) continue
      const rounds = r.list.map((run) => Math.round(run.rps)).join(', ')
      lines.push(`| (${x.key}) ${x.name} | ${connections} | ${Math.round(r.rps)} (${rounds}) | ${fixed(r.cpu, 0)} | ${r.p50} | ${r.p99} | ${fixed(r.rss, 0)} | ${r.problems === 0 ? 'none' : `**${r.problems}** (${r.list.map((run) => JSON.stringify(run.problems)).join(' ')})`} |`)
    }
  }
  return [...lines, '']
}

function memory ({ runs, settings, contestants, peak, redisPeak, image }: Results): string[] {
  const servers = [...new Map(contestants.map((x) => [x.child, x])).values()]
  const lines = ['## Memory', '',
    `RSS after start-up and one request → peak (VmHWM) over the throughput runs and the latency calls, MiB: ${servers.map((x) => `(${x.key}) ${fixed(x.idleRss, 0)} → ${fixed(peak[x.key] ?? NaN, 0)}`).join(', ')}; redis-server ${fixed(redisPeak, 0)}. ` +
    'Every server runs compiled JavaScript (the bench builds the repository with tsc into bench/.tmp/build first), as `node dist/server.js` does in production.']
  const b = runs.at('b', settings.top)
  const tried = contestants.filter((x) => x.key === 'b' || x.key === 'bt' || x.key.startsWith('bx'))
  if (b.list.length > 0 && tried.length > 1) {
    lines.push('', `**Memory settings against none**: (b) without any, (bt) under the production image's (${image}, read from the Dockerfile's production stage), (bx…) under BENCH_NODE_ARGS. ` +
      'Peak is VmHWM after the throughput runs (and, for (b), the latency calls); req/s and CPU at the largest connection count, with each round\'s req/s.', '',
    '| server | start → peak RSS MiB | req/s of (b)\'s | req/s (each round) | CPU µs/req |', '| --- | ---: | ---: | ---: | ---: |')
    for (const x of tried) {
      const r = runs.at(x.key, settings.top)
      if (r.list.length === 0) continue
      lines.push(`| (${x.key}) ${x.name} | ${fixed(x.idleRss, 0)} → ${fixed(peak[x.key] ?? NaN, 0)} | ${fixed(r.rps / b.rps)} | ${Math.round(r.rps)} (${r.list.map((run) => Math.round(run.rps)).join(', ')}) | ${fixed(r.cpu, 0)} |`)
    }
  }
  return [...lines, '']
}
