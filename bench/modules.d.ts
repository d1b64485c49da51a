// Types for the bench's dev-only packages that ship none (only what the bench uses).

declare module 'express'

declare module 'autocannon' {
  export interface Options {
    url: string
    method?: string
    headers?: Record<string, string>
    body?: string
    connections?: number
    /** Seconds. */
    duration?: number
    /** A response whose body differs counts as a mismatch. */
    expectBody?: string
    /** Seconds before a request counts as a timeout. */
    timeout?: number
  }
  export interface Histogram { average: number, mean: number, p50: number, p99: number, max: number, total: number }
  export interface Result {
    requests: Histogram
    /** Milliseconds, 2xx responses only. */
    latency: Histogram
    /** Seconds. */
    duration: number
    errors: number
    timeouts: number
    mismatches: number
    non2xx: number
    '2xx': number
  }
  /** A thenable (no `finally`). */
  export default function autocannon (options: Options): PromiseLike<Result>
}
