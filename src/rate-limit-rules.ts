// The rate-limit buckets: whom each counts, how many, over what window.
import { DEVICE_TTL_SECONDS } from './time.ts'

/**
 * The rate-limit rules as data: the buckets, their defaults, and the development factor. The
 * configuration (config.ts) reads RATE_LIMITS on top of them at start; the rate-limits plugin
 * counts with the result. No Fastify here, so that the configuration can read the table.
 */

/**
 * Whom a limit counts: the client address; the signed-in user (or the address when signed
 * out); the identifier given (an email); the account, by email or else by user, so that code
 * entries before and after sign-in count together; or a device where the account signed in
 * before (see `signIn.device`).
 */
export type LimitKey = 'address' | 'user' | 'email' | 'account' | 'device'

/** One bucket's rule: whom it counts, how many, over what window. */
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
  // Federated sign-ins started (GET /auth/oauth/:provider) and completed with a code (the callback).
  'oauth.address': { key: 'address', max: 30, window: 600 },
  'cognito.user': { key: 'user', max: 300, window: 60 }
} satisfies Record<string, LimitRule>

/** A bucket's name (`signIn.address` …). */
export type LimitName = keyof typeof DEFAULT_LIMITS

/** A rule for every bucket. */
export type LimitRules = Record<LimitName, LimitRule>

/**
 * Under NODE_ENV=development the buckets counted per address and per email allow this many times
 * the defaults: a developer's own end-to-end suite signs up and signs in from one address, over
 * and over, and should not be locked out for an hour by the 11th sign-up. Production keeps the
 * table above, and so does NODE_ENV=test (the tests assert its numbers). RATE_LIMITS applies on
 * top, as given.
 */
export const DEVELOPMENT_FACTOR = 20

/** The default limits of an environment (NODE_ENV): DEFAULT_LIMITS, or their development multiples. */
export function defaultLimits (nodeEnv: string): LimitRules {
  const rules = DEFAULT_LIMITS as LimitRules
  if (nodeEnv !== 'development') return rules
  return Object.fromEntries(Object.entries(rules).map(([name, rule]) => [
    name,
    rule.key === 'address' || rule.key === 'email' ? { ...rule, max: rule.max * DEVELOPMENT_FACTOR } : rule
  ])) as LimitRules
}
