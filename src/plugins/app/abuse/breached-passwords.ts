// Breached-password checks by k-anonymity against a Have I Been Pwned–compatible range API.
import { createHash, timingSafeEqual } from 'node:crypto'
import fp from 'fastify-plugin'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { LRUCache } from 'lru-cache'
import { AppError } from '../../../errors.ts'
import { requestDeadline } from '../../../time.ts'

/** What a range query said of a password. */
export type BreachVerdict = 'breached' | 'clean' | 'unreachable'

/** One range line: the 35 hex characters after the prefix, a colon, how often it was seen (0: padding). */
const LINE = /^([0-9A-F]{35}):(\d+)$/
/** A real range (padded) is a few tens of kilobytes: anything far larger is not an answer. */
const MAX_RANGE_BYTES = 1 << 20
/** Ranges change when HIBP loads a breach, a few times a month: a day's staleness is harmless. */
const CACHE_TTL_MS = 24 * 3600 * 1000
/** 16^5 ranges exist; this many recent ones (a few MB) spare the API the common passwords' ranges. */
const CACHE_RANGES = 4096

/** The range's breached suffixes, or an Error: unreachable, not OK, too slow, too large or not a range. */
async function fetchRange (url: string, prefix: string, signal: AbortSignal): Promise<Buffer[]> {
  // Add-Padding: the answer's size no longer tells an observer of the traffic which range it was.
  const response = await fetch(`${url}/range/${prefix}`, { headers: { 'add-padding': 'true' }, signal, redirect: 'error' })
  if (!response.ok) throw new Error(`the range API answered ${response.status}`)
  const text = await response.text()
  if (text.length > MAX_RANGE_BYTES) throw new Error('the range API answered too much')
  const suffixes: Buffer[] = []
  for (const line of text.split(/\r?\n/)) {
    if (line === '') continue
    const match = LINE.exec(line.toUpperCase())
    if (match === null) throw new Error('the range API answered something that is not a range')
    if (match[2] !== '0') suffixes.push(Buffer.from(match[1] as string, 'latin1'))
  }
  return suffixes
}

/**
 * The checker: `check` hashes the password (SHA-1, as the range API indexes it), sends only the
 * first five hex characters, and looks for the other 35 among the range's lines, comparing every
 * line in constant time (no early exit), so neither the network nor timing tells which one matched.
 */
export function createBreachedPasswords (options: { url: string, timeoutMs: number }) {
  const cache = new LRUCache<string, Buffer[]>({ max: CACHE_RANGES, ttl: CACHE_TTL_MS })
  return {
    /** Whether `password` is in the range API's breaches; `unreachable` when no answer came by `deadline` (epoch ms). */
    async check (password: string, deadline = Infinity): Promise<{ verdict: BreachVerdict, error?: Error }> {
      const hash = createHash('sha1').update(password, 'utf8').digest('hex').toUpperCase()
      const prefix = hash.slice(0, 5)
      const suffix = Buffer.from(hash.slice(5), 'latin1')
      let range = cache.get(prefix)
      if (range === undefined) {
        const budget = Math.min(options.timeoutMs, deadline - Date.now())
        if (budget <= 0) return { verdict: 'unreachable', error: new Error('no time left in the request\'s budget') }
        try {
          range = await fetchRange(options.url, prefix, AbortSignal.timeout(budget))
        } catch (err) {
          return { verdict: 'unreachable', error: err as Error }
        }
        cache.set(prefix, range)
      }
      let found = false
      for (const line of range) found = timingSafeEqual(line, suffix) || found
      return { verdict: found ? 'breached' : 'clean' }
    }
  }
}

/** What the resolvers ask of a password a user chose. */
export interface BreachedPasswords {
  /** Throws PASSWORD_BREACHED for a breached password (and SERVICE_UNAVAILABLE when unreachable and failing closed). */
  check: (at: { request: FastifyRequest, reply: FastifyReply }, password: string) => Promise<void>
}

declare module 'fastify' {
  interface FastifyInstance {
    breachedPasswords: BreachedPasswords
  }
}

/**
 * `fastify.breachedPasswords`: every password a user chooses (sign-up, change, reset,
 * NEW_PASSWORD_REQUIRED) goes through `check` once it passed the length rule, before Cognito.
 * Off (nothing leaves the server) when PWNED_PASSWORDS is `off`.
 */
async function breachedPasswords (fastify: FastifyInstance): Promise<void> {
  const { url, failOpen, timeoutMs } = fastify.config.abuse.pwnedPasswords
  const checker = url === undefined ? undefined : createBreachedPasswords({ url, timeoutMs })
  const count = (outcome: string) => fastify.metrics?.countAbuseCheck('breached-password', outcome)
  fastify.decorate<BreachedPasswords>('breachedPasswords', {
    async check ({ request, reply }, password) {
      if (checker === undefined) return
      const { verdict, error } = await checker.check(password, requestDeadline(reply, fastify.config))
      if (verdict === 'unreachable') {
        count(failOpen ? 'unreachable-open' : 'unreachable-closed')
        request.log.warn({ err: error, failOpen }, `the breached-password range API is unreachable: the password is ${failOpen ? 'accepted unchecked' : 'refused for now'}`)
        if (failOpen) return
        throw new AppError('SERVICE_UNAVAILABLE')
      }
      count(verdict)
      if (verdict === 'clean') return
      fastify.audit.record(request, { event: 'password-breached', outcome: 'failure', code: 'PASSWORD_BREACHED' })
      throw new AppError('PASSWORD_BREACHED')
    }
  })
}

export default fp(breachedPasswords, { name: 'breached-passwords', dependencies: ['config', 'audit', 'metrics'] })
