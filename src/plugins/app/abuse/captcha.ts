// The CAPTCHA: when a request needs a token (sign-up; an address or account under attack), and whether the one it carries is good.
import { createHash } from 'node:crypto'
import fp from 'fastify-plugin'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { AppError } from '../../../errors.ts'
import { requestDeadline } from '../../../time.ts'
import type { AuditEvent } from '../audit.ts'
import { addressKey } from '../rate-limits.ts'
import { siteverify, type CaptchaSettings } from './siteverify.ts'

/** Failed sign-ins are counted over this window (as `signIn.email` counts them). */
const FAILURE_WINDOW_MS = 3600 * 1000
/** Tokens live at most five minutes at every provider: remembered that long, each is good once. */
const SPENT_WINDOW_MS = 300 * 1000
/** Failures that show someone guessing: a wrong password or code, not a broken service. */
const GUESSES = new Set(['INVALID_CREDENTIALS', 'CODE_MISMATCH', 'CODE_EXPIRED'])
/** Counters kept in memory (without Redis), as the rate limits keep theirs. */
const MEMORY_KEYS = 100_000
const kKey = Symbol('captcha key')

/** What a field asks of the CAPTCHA. */
export interface CaptchaCheck {
  /** The GraphQL field (`signUp` …): a token's `action`, when it has one, must name it. */
  operation: 'signUp' | 'signIn' | 'forgotPassword' | 'resendConfirmationCode'
  /** The account the input names (a normalised email). */
  email: string
  token: string | null | undefined
  /** Needed whatever the failure counts say (sign-up). */
  always?: boolean
}

export interface Captcha {
  /** What `Query.captcha` answers: null when no provider is configured. */
  widget: { provider: string, siteKey: string } | null
  /** Throws CAPTCHA_REQUIRED unless the request needs no token, or carries a good one (spent by this call). */
  check: (at: { request: FastifyRequest, reply: FastifyReply }, check: CaptchaCheck) => Promise<void>
}

declare module 'fastify' {
  interface FastifyInstance {
    captcha: Captcha
  }
}

/** Hostnames a token may have been solved on: this server's public origin and the browser origins it serves. */
function hostnamesOf (config: FastifyInstance['config']): Set<string> {
  const origins = [config.publicOrigin, ...config.corsOrigins].filter((origin): origin is string => origin !== undefined)
  return new Set(origins.flatMap((origin) => URL.canParse(origin) ? [new URL(origin).hostname] : []))
}

function counters (fastify: FastifyInstance, max: number) {
  const limiter = (limit: number, windowMs: number) => fastify.createRateLimit({
    max: limit,
    timeWindow: windowMs,
    keyGenerator: (req) => (req as unknown as { [kKey]: string })[kKey],
    ...({ cache: MEMORY_KEYS } as object)
  })
  const failures = limiter(max, FAILURE_WINDOW_MS)
  const spent = limiter(1, SPENT_WINDOW_MS)
  const run = async (which: typeof failures, key: string, increment: boolean) =>
    await which({ routeOptions: {}, [kKey]: key } as unknown as FastifyRequest, { increment })
  const keys = (address: string, email: string | undefined) => [`captcha.address:${addressKey(address)}`, ...(email === undefined ? [] : [`captcha.account:${email}`])]
  return {
    /** Counts one failed sign-in against the address and the account. */
    async fail (address: string, email: string | undefined) {
      for (const key of keys(address, email)) await run(failures, key, true)
    },
    /** Whether the address or the account has failed `max` times in the window. */
    async underAttack (address: string, email: string): Promise<boolean> {
      for (const key of keys(address, email)) {
        if (((await run(failures, key, false)) as { remaining: number }).remaining <= 0) return true
      }
      return false
    },
    /** Marks a token as seen; true when it had been seen before (by any instance sharing the store). */
    async seenBefore (token: string): Promise<boolean> {
      const key = `captcha.spent:${createHash('sha256').update(token).digest('hex')}`
      return ((await run(spent, key, true)) as { isExceeded: boolean }).isExceeded
    }
  }
}

/**
 * `fastify.captcha` with CAPTCHA_PROVIDER: `check` at sign-up always, and at sign-in, password
 * resets and code requests once the address or the account has CAPTCHA_AFTER_FAILURES failed
 * sign-ins in the window. The failures are read from the audit events, so no sign-in code counts them.
 */
async function captcha (fastify: FastifyInstance): Promise<void> {
  const settings = fastify.config.abuse.captcha
  if (settings === undefined) {
    fastify.decorate<Captcha>('captcha', { widget: null, async check () {} })
    return
  }
  const counts = counters(fastify, settings.afterFailures)
  const hostnames = hostnamesOf(fastify.config)
  const count = (outcome: string) => fastify.metrics?.countAbuseCheck('captcha', outcome)

  const onAuditEvent = (event: AuditEvent) => {
    if (event.event !== 'sign-in' || event.outcome !== 'failure' || !GUESSES.has(event.code ?? '')) return
    counts.fail(event.address, event.email).catch((err: unknown) => fastify.log.error({ err }, 'the CAPTCHA failure count could not be stored'))
  }
  fastify.audit.on('event', onAuditEvent)
  fastify.addHook('onClose', async () => { fastify.audit.off('event', onAuditEvent) })

  fastify.decorate<Captcha>('captcha', {
    widget: { provider: settings.provider, siteKey: settings.siteKey },
    async check ({ request, reply }, { operation, email, token, always = false }) {
      if (!always && !(await counts.underAttack(request.ip, email))) return
      const reject = (outcome: 'required' | 'failed', reason: string): never => {
        count(outcome)
        fastify.audit.record(request, { event: 'captcha', outcome: outcome === 'required' ? 'challenge' : 'failure', code: 'CAPTCHA_REQUIRED', operation, email })
        request.log.info({ reason, operation }, 'CAPTCHA refused')
        throw new AppError('CAPTCHA_REQUIRED')
      }
      if (token == null || token === '') return reject('required', 'no token')
      if (token.length > 4096) return reject('failed', 'the token is too long')
      if (await counts.seenBefore(token)) return reject('failed', 'the token was used before')
      const verdict = await siteverify(settings as CaptchaSettings, { token, remoteip: request.ip, deadline: requestDeadline(reply, fastify.config) })
      if (verdict.kind === 'unreachable') {
        count(settings.failOpen ? 'unreachable-open' : 'unreachable-closed')
        request.log.warn({ err: verdict.error, failOpen: settings.failOpen }, `the CAPTCHA provider is unreachable: the request is ${settings.failOpen ? 'let through' : 'refused'}`)
        if (settings.failOpen) return
        throw new AppError('CAPTCHA_REQUIRED')
      }
      if (!verdict.success) return reject('failed', `the provider refused it (${verdict.errorCodes.join(', ')})`)
      if (hostnames.size > 0 && (verdict.hostname === undefined || !hostnames.has(verdict.hostname))) return reject('failed', 'it was solved on another site')
      if (verdict.action !== undefined && verdict.action !== '' && verdict.action !== operation) return reject('failed', 'it was solved for another action')
      count('passed')
      fastify.audit.record(request, { event: 'captcha', outcome: 'success', operation, email })
    }
  })
}

export default fp(captcha, { name: 'captcha', dependencies: ['config', 'audit', 'metrics', 'rate-limits'] })
