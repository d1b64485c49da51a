// Throughput: one contestant (a server process and the request sent to it) driven by autocannon
// for a while, with every answer checked against the expected bytes, the server's CPU time per
// request from /proc and its highest RSS sampled meanwhile; and the statistics over rounds.
import type { ChildProcess } from 'node:child_process'
import autocannon, { type Result } from 'autocannon'
import { median } from '../stats.ts'
import { memoryOf, processTicks, TICKS_PER_SECOND } from './processes.ts'

/** One thing autocannon drives: a server (its process, for memory and CPU) and the request sent to it. */
export interface Contestant {
  key: string
  name: string
  url: string
  path: string
  method: 'GET' | 'POST'
  body?: string
  child: ChildProcess
  cookie: string
  expectBody: string
  idleRss: number
}

export interface Run { rps: number, p50: number, p99: number, rss: number, requests: number, cpuSeconds: number, problems: { non2xx: number, errors: number, timeouts: number, mismatches: number } }

export async function drive (target: Contestant, connections: number, duration: number): Promise<Run> {
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

/** The runs of every contestant, by key and connection count. */
export class Runs {
  private readonly runs = new Map<string, Run[]>()

  add (key: string, connections: number, run: Run): void {
    this.runs.set(`${key}@${connections}`, [...this.of(key, connections), run])
  }

  of (key: string, connections: number): Run[] {
    return this.runs.get(`${key}@${connections}`) ?? []
  }

  /** The medians over rounds (CPU per request: the median of the rounds', since one round on a busy machine can be far off), the highest RSS, the problems. */
  at (key: string, connections: number) {
    const list = this.of(key, connections)
    const problems = list.reduce((sum, run) => sum + Object.values(run.problems).reduce((x, y) => x + y, 0), 0)
    const cpu = median(list.map((r) => 1e6 * r.cpuSeconds / r.requests))
    return { rps: median(list.map((r) => r.rps)), p50: median(list.map((r) => r.p50)), p99: median(list.map((r) => r.p99)), rss: Math.max(...list.map((r) => r.rss)), cpu, problems, list }
  }

  /** x's req/s over y's. */
  ratio (x: string, y: string, connections: number): number {
    return this.at(x, connections).rps / this.at(y, connections).rps
  }

  /** Whether these keys' runs had no error, and were run at all. */
  clean (connections: number, ...keys: string[]): boolean {
    return keys.every((key) => this.of(key, connections).length > 0 && this.at(key, connections).problems === 0)
  }
}
