// fastify.limits: the buckets of src/rate-limit-rules.ts on @fastify/rate-limit's stores.
import fp from 'fastify-plugin'
import rateLimit from '@fastify/rate-limit'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { AppError } from '../../errors.ts'
import ipaddr from 'ipaddr.js'
import type { LimitName, LimitRule, LimitRules } from '../../rate-limit-rules.ts'

export type { LimitKey, LimitName, LimitRule } from '../../rate-limit-rules.ts'

/** The buckets of a password check: `signIn`, `changePassword` and every step-up. */
export const PASSWORD_CHECK: LimitName[] = ['signIn.address', 'signIn.email', 'signIn.device', 'signIn.account']
/** The buckets of every code entry, whichever operation takes the code. */
export const CODE_ENTRY: LimitName[] = ['code.user', 'code.address']
/** The buckets of every operation that sends a code. */
export const DELIVERY: LimitName[] = ['delivery.email', 'delivery.address']

/** Failures that count against a `failuresOnly` bucket: a wrong secret, not a broken service. */
const FAILURES = new Set(['INVALID_CREDENTIALS', 'CODE_MISMATCH', 'CODE_EXPIRED', 'CHALLENGE_EXPIRED', 'USER_NOT_CONFIRMED'])

/** Who is asking, as far as the limits are concerned. */
export interface Caller {
  address: string
  /** The verified user (sub), when signed in. */
  user?: string
  /** The identifier the operation names (a normalised email), when it names one. */
  email?: string
  /** A device the account named by `email` signed in on before, when the request comes from one. */
  device?: string
}

type Limiter = ReturnType<FastifyInstance['createRateLimit']>

/** Counters kept per bucket in memory. */
const MEMORY_KEYS = 100_000

/**
 * The address a limit counts: an IPv6 client is counted by its /64, since one host usually
 * holds the whole network and could otherwise take a fresh address for every attempt.
 */
export function addressKey (address: string): string {
  if (!ipaddr.isValid(address)) return address
  const parsed = ipaddr.process(address)
  if (parsed.kind() === 'ipv4') return parsed.toString()
  return `${(parsed as ipaddr.IPv6).toNormalizedString().split(':').slice(0, 4).join(':')}::/64`
}
const kKey = Symbol('limit key')

/**
 * Per-operation limits counted per field invocation, so aliases and batches each count.
 * Built on @fastify/rate-limit's own machinery and stores: memory, or Redis with REDIS_URL.
 */
function createLimits (fastify: FastifyInstance, rules: LimitRules) {
  const limiters = new Map<LimitName, Limiter>()
  for (const [name, rule] of Object.entries(rules) as Array<[LimitName, LimitRule]>) {
    limiters.set(name, fastify.createRateLimit({
      max: rule.max,
      timeWindow: rule.window * 1000,
      keyGenerator: (req) => (req as unknown as { [kKey]: string })[kKey],
      // Per limiter (the memory store's default is 5000 keys): enough that an attacker cannot
      // evict a victim's counter by spraying identities. Typed out of @fastify/rate-limit's d.ts.
      ...({ cache: MEMORY_KEYS } as object)
    }))
  }

  /** The key of one bucket for this caller, or undefined when the caller has no such identity. */
  function keyOf (name: LimitName, caller: Caller): string | undefined {
    const rule = rules[name]
    if (rule.exceptKnownDevice === true && caller.device !== undefined) return undefined
    const identity = {
      address: addressKey(caller.address),
      user: caller.user ?? `address:${caller.address}`,
      email: caller.email,
      account: caller.email ?? caller.user,
      device: caller.device
    }[rule.key]
    return identity === undefined ? undefined : `${name}:${identity}`
  }

  async function run (request: FastifyRequest, name: LimitName, key: string, increment: boolean) {
    const limiter = limiters.get(name) as Limiter
    // The limiter reads the key through keyGenerator and the route config from the request.
    const subject = { routeOptions: request.routeOptions, [kKey]: key } as unknown as FastifyRequest
    return await limiter(subject, { increment })
  }

  /** Attempts running now, per failure-only key (this instance's; Redis holds the failures themselves). */
  const inFlight = new Map<string, number>()

  return {
    rules,

    /**
     * Checks the buckets before the operation runs: counting ones are incremented, failure-only
     * ones are read, with the attempts still running counted as failures to come (so a burst of
     * parallel guesses cannot slip through before the first failure lands). Throws
     * TOO_MANY_REQUESTS (with retryAfter) when any is spent, SERVICE_UNAVAILABLE when the store
     * does not answer; else returns what ends the attempt.
     */
    async enforce (request: FastifyRequest, names: readonly LimitName[], caller: Caller): Promise<() => void> {
      const held: string[] = []
      const release = () => {
        for (const key of held) {
          const left = (inFlight.get(key) ?? 1) - 1
          if (left > 0) inFlight.set(key, left)
          else inFlight.delete(key)
        }
      }
      try {
        for (const name of names) {
          const key = keyOf(name, caller)
          if (key === undefined) continue
          const rule = rules[name]
          const result = await run(request, name, key, rule.failuresOnly !== true)
          // Without an allow-list the limiter never answers isAllowed; this narrows the type.
          if (result.isAllowed) continue
          const pending = inFlight.get(key) ?? 0
          const spent = rule.failuresOnly === true ? result.remaining - pending <= 0 : result.isExceeded
          if (spent) {
            request.log.warn({ limit: name, key: rule.key }, 'rate limited')
            throw new AppError('TOO_MANY_REQUESTS', undefined, { retryAfter: Math.max(1, result.ttlInSeconds) })
          }
          if (rule.failuresOnly === true) {
            inFlight.set(key, pending + 1)
            held.push(key)
          }
        }
      } catch (err) {
        release()
        if (err instanceof AppError) throw err
        request.log.error({ err }, 'the rate-limit store failed')
        throw new AppError('SERVICE_UNAVAILABLE')
      }
      return release
    },

    /** Takes one from a counting bucket without refusing anything: false when it is spent (or the store fails). */
    async take (request: FastifyRequest, name: LimitName, caller: Caller): Promise<boolean> {
      const key = keyOf(name, caller)
      if (key === undefined) return false
      try {
        const result = await run(request, name, key, true)
        return result.isAllowed || !result.isExceeded
      } catch (err) {
        request.log.error({ err }, 'the rate-limit store failed')
        return false
      }
    },

    /** Counts a failed attempt against the failure-only buckets. */
    async recordFailure (request: FastifyRequest, names: readonly LimitName[], caller: Caller, err: unknown): Promise<void> {
      if (!(err instanceof AppError) || !FAILURES.has(err.code)) return
      for (const name of names) {
        const key = keyOf(name, caller)
        if (key !== undefined && rules[name].failuresOnly === true) await run(request, name, key, true)
      }
    }
  }
}

export type RateLimits = ReturnType<typeof createLimits>

declare module 'fastify' {
  interface FastifyInstance {
    limits: RateLimits
  }
}

async function rateLimits (fastify: FastifyInstance): Promise<void> {
  await fastify.register(rateLimit, {
    global: false,
    ...(fastify.redis !== undefined ? { redis: fastify.redis, nameSpace: 'auth-rate-limit:' } : {})
  })
  // The rules were read and checked with the rest of the configuration (RATE_LIMITS included), at start.
  fastify.decorate('limits', createLimits(fastify, fastify.config.rateLimits))
}

export default fp(rateLimits, { name: 'rate-limits', dependencies: ['config', 'redis'] })
