import fp from 'fastify-plugin'
import rateLimit from '@fastify/rate-limit'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { AppError } from '../../errors.ts'
import ipaddr from 'ipaddr.js'
import { ConfigError, parseDuration } from '../../config.ts'
import { DEVICE_TTL_SECONDS } from './devices.ts'

/**
 * Whom a limit counts: the client address; the signed-in user (or the address when signed
 * out); the identifier given (an email); the account, by email or else by user, so that code
 * entries before and after sign-in count together; or a device where the account signed in
 * before (see `signIn.device`).
 */
export type LimitKey = 'address' | 'user' | 'email' | 'account' | 'device'

export interface LimitRule {
  key: LimitKey
  max: number
  /** Seconds. */
  window: number
  /** Count only failed attempts (read before the call, incremented on failure). */
  failuresOnly?: boolean
  /** Not counted for a browser that is a known device of the account (it has its own bucket). */
  exceptKnownDevice?: boolean
}

/**
 * The default limits, by bucket. Several operations share a bucket where an attacker could
 * otherwise spread attempts over them (every code entry counts against the same user).
 * Override any rule with RATE_LIMITS, e.g. `{"signIn.address":{"max":20,"window":"1m"}}`.
 */
export const DEFAULT_LIMITS = {
  'signIn.address': { key: 'address', max: 10, window: 60 },
  // Failures per email count only attempts from devices the account has not signed in on, and a
  // known device has a bucket of its own: a stranger who fails on purpose cannot lock the owner out.
  'signIn.email': { key: 'email', max: 20, window: 3600, failuresOnly: true, exceptKnownDevice: true },
  'signIn.device': { key: 'device', max: 20, window: 3600, failuresOnly: true },
  // The account's ceiling over every device, known or not: known devices cannot add up past it.
  'signIn.account': { key: 'email', max: 50, window: 3600, failuresOnly: true },
  // Known devices made per account, over a device's lifetime (src/plugins/app/devices.ts).
  'device.email': { key: 'email', max: 10, window: DEVICE_TTL_SECONDS },
  'signUp.address': { key: 'address', max: 10, window: 3600 },
  'delivery.email': { key: 'email', max: 5, window: 3600 },
  'delivery.address': { key: 'address', max: 20, window: 3600 },
  'code.user': { key: 'account', max: 10, window: 900, failuresOnly: true },
  'code.address': { key: 'address', max: 30, window: 900 },
  'refresh.address': { key: 'address', max: 150, window: 300 },
  'cognito.user': { key: 'user', max: 300, window: 60 }
} satisfies Record<string, LimitRule>

export type LimitName = keyof typeof DEFAULT_LIMITS

/**
 * Under NODE_ENV=development the buckets counted per address and per email allow this many times
 * the defaults: a developer's own end-to-end suite signs up and signs in from one address, over
 * and over, and should not be locked out for an hour by the 11th sign-up. Production keeps the
 * table above, and so does NODE_ENV=test (the tests assert its numbers). RATE_LIMITS applies on
 * top, as given.
 */
export const DEVELOPMENT_FACTOR = 20

/** The default limits of an environment (NODE_ENV): DEFAULT_LIMITS, or their development multiples. */
export function defaultLimits (nodeEnv: string): Record<LimitName, LimitRule> {
  const rules = DEFAULT_LIMITS as Record<LimitName, LimitRule>
  if (nodeEnv !== 'development') return rules
  return Object.fromEntries(Object.entries(rules).map(([name, rule]) => [
    name,
    rule.key === 'address' || rule.key === 'email' ? { ...rule, max: rule.max * DEVELOPMENT_FACTOR } : rule
  ])) as Record<LimitName, LimitRule>
}

/** The buckets of a password check: `signIn`, `changePassword` and every step-up. */
export const PASSWORD_CHECK: LimitName[] = ['signIn.address', 'signIn.email', 'signIn.device', 'signIn.account']
const CODE_ENTRY: LimitName[] = ['code.user', 'code.address']
const DELIVERY: LimitName[] = ['delivery.email', 'delivery.address']

/**
 * Which buckets each GraphQL field draws on. Fields not listed (`me`) are not limited here;
 * every refresh (explicit or transparent) draws on `refresh.address` in the session manager,
 * and every step-up password check on PASSWORD_CHECK (src/graphql/step-up.ts).
 */
export const FIELD_LIMITS: Record<string, LimitName[]> = {
  signIn: PASSWORD_CHECK,
  signUp: ['signUp.address'],
  forgotPassword: DELIVERY,
  resendConfirmationCode: DELIVERY,
  resendEmailVerificationCode: DELIVERY,
  confirmSignUp: CODE_ENTRY,
  confirmForgotPassword: CODE_ENTRY,
  respondToChallenge: CODE_ENTRY,
  verifyEmail: CODE_ENTRY,
  verifyTotp: CODE_ENTRY,
  changePassword: [...PASSWORD_CHECK, 'cognito.user'],
  signOut: ['cognito.user'],
  updateProfile: ['cognito.user'],
  setupTotp: ['cognito.user'],
  disableTotp: ['cognito.user'],
  deleteAccount: ['cognito.user'],
  adminDeleteUser: ['cognito.user']
}

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

/** RATE_LIMITS, read into rules (what an override leaves out comes from `defaults`); a ConfigError names what is wrong. */
export function parseLimitOverrides (json: string | undefined, defaults: Record<LimitName, LimitRule> = DEFAULT_LIMITS): Partial<Record<LimitName, LimitRule>> {
  if (json === undefined || json.trim() === '') return {}
  let raw: unknown
  try {
    raw = JSON.parse(json)
  } catch {
    throw new ConfigError('RATE_LIMITS is not JSON: write {"signIn.address":{"max":20,"window":"1m"}}')
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ConfigError('RATE_LIMITS must be a JSON object of limits by name')
  const result: Partial<Record<LimitName, LimitRule>> = {}
  for (const [name, override] of Object.entries(raw as Record<string, { max?: unknown, window?: unknown }>)) {
    if (!(name in DEFAULT_LIMITS)) throw new ConfigError(`RATE_LIMITS: unknown limit ${name}; known: ${Object.keys(DEFAULT_LIMITS).join(', ')}`)
    const base = defaults[name as LimitName]
    const max = override.max ?? base.max
    if (!Number.isInteger(max) || (max as number) < 0) throw new ConfigError(`RATE_LIMITS: ${name}.max must be a whole number`)
    let window = base.window
    if (override.window !== undefined) {
      try {
        window = parseDuration(String(override.window))
      } catch {
        throw new ConfigError(`RATE_LIMITS: ${name}.window must be a duration such as 60, 15m or 1h`)
      }
    }
    result[name as LimitName] = { ...base, max: max as number, window }
  }
  return result
}

/**
 * Per-operation limits counted per field invocation, so aliases and batches each count.
 * Built on @fastify/rate-limit's own machinery and stores: memory, or Redis with REDIS_URL.
 */
function createLimits (fastify: FastifyInstance, rules: Record<LimitName, LimitRule>) {
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
  const defaults = defaultLimits(fastify.config.env.NODE_ENV)
  const rules = { ...defaults, ...parseLimitOverrides(fastify.config.env.RATE_LIMITS, defaults) } as Record<LimitName, LimitRule>
  fastify.decorate('limits', createLimits(fastify, rules))
}

export default fp(rateLimits, { name: 'rate-limits', dependencies: ['config', 'redis'] })
