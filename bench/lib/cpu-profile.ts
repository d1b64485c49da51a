// Summarises a V8 CPU profile (.cpuprofile) by what the time was spent on: each sample goes to the
// innermost frame of its stack that a rule below names (so crypto inside seal.ts is sealing, and
// Node's HTTP client inside the AWS SDK is the SDK), and by function (self time). Samples are
// counted, not weighed by their time deltas: a sample after a stretch the profiler did not see
// (an idle event loop it failed to mark, a sampler thread that waited for a CPU on a busy machine)
// carries that whole stretch as its delta. The shares are then scaled to a CPU time measured by
// the process itself (process.cpuUsage), when given. Used for the breakdown of a sign-in and a
// refresh (bench/lib/overhead.ts); also runs alone on the profiles of BENCH_CPU_PROF:
// `npx tsx bench/lib/cpu-profile.ts <file.cpuprofile> [calls]`.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { median } from '../stats.ts'

interface CallFrame { functionName: string, url: string, lineNumber: number }
interface ProfileNode { id: number, callFrame: CallFrame, children?: number[] }
export interface CpuProfile { nodes: ProfileNode[], samples: number[], timeDeltas: number[] }

/** The bench's own profiling and commands: left out of the shares. */
const PROFILER = 'the profiler and the bench\'s commands (left out)'

/** What a frame belongs to, by its file (and for V8's own pseudo-frames, by name); the first rule that matches names it. */
export const CATEGORIES: Array<{ name: string, file?: RegExp, fn?: RegExp }> = [
  { name: PROFILER, file: /^node:inspector|\/bench\/servers\/commands\.[jt]s$/ },
  { name: 'garbage collection', fn: /^\(garbage collector\)$/ },
  { name: 'verification of tokens (token-verifier.ts, aws-jwt-verify)', file: /\/(token-verifier\.[jt]s$|aws-jwt-verify\/)/ },
  { name: 'sealing cookies (seal.ts, sealed-cookie.ts)', file: /\/src\/(seal|plugins\/app\/sealed-cookie)\.[jt]s$/ },
  { name: 'session registry (session-registry.ts)', file: /\/session-registry\.[jt]s$/ },
  { name: 'device cookie (devices.ts)', file: /\/src\/plugins\/app\/devices?[-.]/ },
  { name: 'audit and follow-ups (audit.ts, follow-ups.ts, webhooks)', file: /\/src\/plugins\/app\/(audit|follow-ups|webhooks?)[-.]/ },
  { name: 'rate limits and their store (rate-limits.ts, @fastify/rate-limit)', file: /\/(src\/plugins\/app\/rate-limits|src\/rate-limit-rules)\.[jt]s$|\/@fastify\/rate-limit\// },
  { name: 'revocation (revocation.ts)', file: /\/src\/plugins\/app\/revocation\.[jt]s$/ },
  { name: 'the AWS SDK client (@aws-sdk, @smithy; its HTTP requests)', file: /\/node_modules\/(@aws-sdk|@smithy|@aws-crypto)\// },
  { name: 'our Cognito adapter (src/plugins/app/cognito*)', file: /\/src\/plugins\/app\/cognito/ },
  { name: 'our session flow (session*.ts, current-user.ts)', file: /\/src\/plugins\/app\/(session|current-user)[-.]/ },
  { name: 'GraphQL: Mercurius, graphql-js, graphql-armor', file: /\/node_modules\/(mercurius|graphql|@escape\.tech|graphql-jit)\// },
  { name: 'our GraphQL layer (src/graphql)', file: /\/src\/graphql\// },
  { name: 'logging (pino, logger.ts)', file: /\/node_modules\/(pino|sonic-boom|thread-stream|fast-redact)|\/src\/logger\.[jt]s$/ },
  { name: 'security headers (helmet)', file: /\/node_modules\/helmet\/|\/src\/plugins\/external\/helmet\.[jt]s$/ },
  { name: 'metrics (prom-client, metrics.ts)', file: /\/node_modules\/prom-client\/|\/src\/plugins\/app\/metrics\.[jt]s$/ },
  { name: 'cookies (@fastify/cookie)', file: /\/node_modules\/(@fastify\/cookie|cookie|cookie-signature)\// },
  { name: 'Fastify', file: /\/node_modules\/(fastify|find-my-way|avvio|light-my-request|@fastify\/|fast-json-stringify|secure-json-parse)\// },
  { name: 'Node\'s HTTP and sockets, both ways (parsing, writing, the client\'s agent)', file: /^node:(_http_|net$|internal\/stream_base_commons|internal\/http)/, fn: /^(writev|writeUtf8String|writeBuffer|writeLatin1String)$/ },
  { name: 'the rest of src/', file: /\/src\// },
  { name: 'other dependencies', file: /\/node_modules\// }
]
const UNNAMED = 'Node itself, unattributed (promises, timers, sockets, V8)'

export interface ProfileSummary {
  /** Non-idle samples, the profiler's own left out. */
  samples: number
  /** The CPU time the shares are scaled to: measured by the process (process.cpuUsage) or, without it, samples × the sampling interval. */
  cpuMs: number
  categories: Array<{ name: string, ms: number }>
  /** The functions with the most self time. */
  functions: Array<{ name: string, where: string, selfMs: number }>
}

const where = (frame: CallFrame) => frame.url === '' ? '' : `${frame.url.replace(/^file:\/\/.*?\/(node_modules|src|bench)\//, '$1/')}:${frame.lineNumber + 1}`

function categoryOf (frame: CallFrame): string | undefined {
  const file = frame.url.startsWith('file://') ? fileURLToPath(frame.url) : frame.url
  return CATEGORIES.find((rule) => (rule.file !== undefined && rule.file.test(file)) || (rule.fn !== undefined && rule.fn.test(frame.functionName)))?.name
}

/** The profile's samples by category and by function, scaled to `cpuMs` (default: samples × `intervalUs`). */
export function summarise (profile: CpuProfile, options: { cpuMs?: number, intervalUs?: number, top?: number } = {}): ProfileSummary {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]))
  const parents = new Map<number, number>()
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id)
  // The category of each node: its own, or its nearest caller's that has one.
  const category = new Map<number, string>()
  const categoryOfNode = (id: number): string => {
    const known = category.get(id)
    if (known !== undefined) return known
    const node = nodes.get(id)
    const parent = parents.get(id)
    const found = (node === undefined ? undefined : categoryOf(node.callFrame)) ?? (parent === undefined ? UNNAMED : categoryOfNode(parent))
    category.set(id, found)
    return found
  }
  const byCategory = new Map<string, number>()
  const bySelf = new Map<string, { name: string, where: string, selfMs: number }>()
  let samples = 0
  for (const id of profile.samples) {
    const node = nodes.get(id)
    const name = node?.callFrame.functionName ?? ''
    if (node === undefined || name === '(idle)' || name === '(root)') continue
    const kind = categoryOfNode(id)
    if (kind === PROFILER) continue
    samples++
    byCategory.set(kind, (byCategory.get(kind) ?? 0) + 1)
    const key = `${name}@${where(node.callFrame)}`
    const entry = bySelf.get(key) ?? { name: name === '' ? '(anonymous)' : name, where: where(node.callFrame), selfMs: 0 }
    entry.selfMs++
    bySelf.set(key, entry)
  }
  const cpuMs = options.cpuMs ?? samples * (options.intervalUs ?? median(profile.timeDeltas)) / 1000
  const scale = samples === 0 ? 0 : cpuMs / samples
  return {
    samples,
    cpuMs,
    categories: [...byCategory].map(([name, n]) => ({ name, ms: n * scale })).sort((x, y) => y.ms - x.ms),
    functions: [...bySelf.values()].map((f) => ({ ...f, selfMs: f.selfMs * scale })).sort((x, y) => y.selfMs - x.selfMs).slice(0, options.top ?? 15)
  }
}

/** Markdown lines: the categories per call (and in % of the profile's CPU), then the top functions. */
export function describe (summary: ProfileSummary, calls: number): string[] {
  const per = (ms: number) => (ms / calls).toFixed(3)
  return [
    '| where | ms per call | % of CPU |', '| --- | ---: | ---: |',
    ...summary.categories.map(({ name, ms }) => `| ${name} | ${per(ms)} | ${(100 * ms / summary.cpuMs).toFixed(0)}% |`),
    `| **all CPU** | **${per(summary.cpuMs)}** | 100% |`,
    '', 'Functions with the most self time (ms per call): ' + summary.functions.slice(0, 10).map((f) => `${f.name} (${f.where || 'native'}) ${per(f.selfMs)}`).join('; ') + '.'
  ]
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [file, calls = '1'] = process.argv.slice(2)
  if (file === undefined) throw new Error('usage: npx tsx bench/lib/cpu-profile.ts <file.cpuprofile> [calls]')
  console.log(describe(summarise(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, { top: 25 }), Number(calls)).join('\n'))
}
