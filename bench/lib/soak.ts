// A server's memory under the issue's load: 50 connections, each with a session of its own,
// asking `me` and every 50th request `refreshSession` (taking the cookies it sets), at a fixed
// rate. VmRSS every second, and the server's own account of its memory (process.memoryUsage, by
// the `memory` command of servers/commands.ts) every few seconds, so that growth can be told
// apart: the JavaScript heap, external memory (buffers), or native memory outside both.
import type { ChildProcess } from 'node:child_process'
import autocannon, { type Result } from 'autocannon'
import { absorb, cookieHeader, ME, REFRESH, type Jar } from './client.ts'
import { command, memoryOf } from './processes.ts'

export interface MemoryUsage { rss: number, heapTotal: number, heapUsed: number, external: number, arrayBuffers: number }
export interface SoakOptions {
  url: string
  child: ChildProcess
  /** One session per connection. */
  jars: Jar[]
  seconds: number
  /** Requests a second asked for, in all. */
  rate: number
  /** Whether the server answers the `memory` command (a bench server, or one with the probe preloaded). */
  reportsMemory: boolean
  /** Send SIGUSR2 after the warm-up and at the end (a server started with --heapsnapshot-signal=SIGUSR2). */
  heapSnapshots?: boolean
}
export interface Soak {
  seconds: number
  rate: number
  sessions: number
  requests: number
  refreshes: number
  problems: number
  rssAfterWarmup: number
  rssEnd: number
  rssMax: number
  hwm: number
  samples: Array<[number, number]>
  /** process.memoryUsage() in MiB, after the warm-up and at the end. */
  usage: { afterWarmup?: MemoryUsage, end?: MemoryUsage }
  snapshots: boolean
}

const MiB = 2 ** 20
const inMiB = (usage: Record<string, any>): MemoryUsage =>
  ({ rss: usage.rss / MiB, heapTotal: usage.heapTotal / MiB, heapUsed: usage.heapUsed / MiB, external: usage.external / MiB, arrayBuffers: usage.arrayBuffers / MiB })

/** The warm-up the growth is counted from: the first fifth, at most a minute. */
export const warmupOf = (seconds: number) => Math.min(60, seconds / 5)

export async function soak (options: SoakOptions): Promise<Soak> {
  const { url, child, jars, seconds } = options
  const warmup = warmupOf(seconds)
  const samples: Array<[number, number]> = []
  const usage: Soak['usage'] = {}
  const started = Date.now()
  let rssAfterWarmup = NaN
  let snapshots = false
  const memory = async () => options.reportsMemory ? inMiB(await command(child, 'memory', 10_000)) : undefined
  const sampler = setInterval(() => {
    const t = (Date.now() - started) / 1000
    const rss = memoryOf(child.pid, 'VmRSS')
    samples.push([t, rss])
    if (Number.isNaN(rssAfterWarmup) && t >= warmup) {
      rssAfterWarmup = rss
      memory().then((u) => { usage.afterWarmup = u }, () => {})
      if (options.heapSnapshots === true) snapshots = child.kill('SIGUSR2')
    }
  }, 1000)
  let next = 0
  let refreshes = 0
  const withJar = (request: { headers?: Record<string, string> }, context: { jar?: Jar }) => {
    context.jar ??= jars[next++ % jars.length] as Jar
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
      url: `${url}/graphql`,
      connections: jars.length,
      duration: seconds,
      timeout: 10,
      overallRate: options.rate,
      requests: [...Array.from({ length: 49 }, () => meRequest), refreshRequest]
    } as Parameters<typeof autocannon>[0])
  } finally {
    clearInterval(sampler)
  }
  usage.end = await memory().catch(() => undefined)
  if (options.heapSnapshots === true) {
    snapshots &&= child.kill('SIGUSR2')
    // Writing a snapshot of a heap this size takes seconds; the server is stopped after it.
    await new Promise((resolve) => setTimeout(resolve, 15_000))
  }
  const rssValues = samples.map(([, rss]) => rss)
  return {
    seconds,
    rate: result.requests.average,
    sessions: jars.length,
    requests: result.requests.total,
    refreshes,
    problems: result.non2xx + result.errors + result.timeouts,
    rssAfterWarmup,
    rssEnd: rssValues.at(-1) ?? NaN,
    rssMax: Math.max(...rssValues),
    hwm: memoryOf(child.pid, 'VmHWM'),
    samples,
    usage,
    snapshots
  }
}

const fixed = (value: number, digits = 0) => Number.isFinite(value) ? value.toFixed(digits) : 'n/a'
export const growthOf = (result: Soak) => result.rssEnd / result.rssAfterWarmup - 1
const usageLine = (u: MemoryUsage | undefined) => u === undefined ? 'n/a' : `heap used ${fixed(u.heapUsed)} of ${fixed(u.heapTotal)}, external ${fixed(u.external)} (array buffers ${fixed(u.arrayBuffers)})`

/** One paragraph on a soak: the load, RSS after the warm-up → end, the memory by kind, and RSS over time. */
export function describeSoak (result: Soak, name: string): string[] {
  const growth = growthOf(result)
  const every = Math.max(1, Math.round(result.samples.length / 10))
  const rest = (u: MemoryUsage | undefined) => u === undefined ? NaN : u.rss - u.heapTotal - u.external
  return [
    `${name}: ${result.seconds} s at ${fixed(result.rate)} req/s answered on average, ${result.sessions} connections each with a session of its own, \`me\` and every 50th request \`refreshSession\`: ` +
    `${result.requests} requests, ${result.refreshes} refreshes, ${result.problems} non-2xx, errors or timeouts. ` +
    `RSS after the warm-up (${fixed(warmupOf(result.seconds))} s) ${fixed(result.rssAfterWarmup)} MiB → ${fixed(result.rssEnd)} MiB at the end (${growth >= 0 ? '+' : ''}${fixed(100 * growth, 1)}%), highest ${fixed(result.rssMax)} MiB; VmHWM ${fixed(result.hwm)} MiB.`,
    '',
    `Its own account (MiB), after the warm-up: ${usageLine(result.usage.afterWarmup)}, the rest of RSS (code, stacks, malloc) ${fixed(rest(result.usage.afterWarmup))}; ` +
    `at the end: ${usageLine(result.usage.end)}, the rest ${fixed(rest(result.usage.end))}.`,
    '',
    `RSS over time (s → MiB): ${result.samples.filter((_s, i) => i % every === 0 || i === result.samples.length - 1).map(([t, rss]) => `${fixed(t)} → ${fixed(rss)}`).join(', ')}`
  ]
}
