// One call to a CAPTCHA provider's siteverify (Turnstile, hCaptcha, reCAPTCHA speak the same form), bounded in time.
import { randomUUID } from 'node:crypto'
import type { CaptchaProvider } from '../../../abuse-config.ts'

export interface CaptchaSettings {
  provider: CaptchaProvider
  secret: string
  verifyUrl: string
}

/** What siteverify said, or that it said nothing usable in time. */
export type SiteverifyVerdict =
  | { kind: 'answer', success: boolean, errorCodes: string[], hostname?: string, action?: string }
  | { kind: 'unreachable', error: Error }

/** A provider that has not answered in this long is down, whatever the request's budget still allows. */
const SITEVERIFY_TIMEOUT_MS = 3000

/**
 * Verifies `token` with the provider: `secret`, `response`, `remoteip`, and for Turnstile an
 * `idempotency_key`, so that the one retry after a network failure is not taken for a replay.
 */
export async function siteverify (settings: CaptchaSettings, { token, remoteip, deadline }: { token: string, remoteip: string, deadline: number }): Promise<SiteverifyVerdict> {
  const form = new URLSearchParams({ secret: settings.secret, response: token, remoteip })
  if (settings.provider === 'turnstile') form.set('idempotency_key', randomUUID())
  let lastError = new Error('no time left in the request\'s budget')
  for (let attempt = 0; attempt < 2; attempt++) {
    const budget = Math.min(SITEVERIFY_TIMEOUT_MS, deadline - Date.now())
    if (budget <= 0) break
    try {
      const response = await fetch(settings.verifyUrl, { method: 'POST', body: form, signal: AbortSignal.timeout(budget), redirect: 'error' })
      if (!response.ok) throw new Error(`siteverify answered ${response.status}`)
      const body = await response.json() as Record<string, unknown>
      if (typeof body.success !== 'boolean') throw new Error('siteverify answered something that is not its JSON')
      const codes = body['error-codes']
      return {
        kind: 'answer',
        success: body.success,
        errorCodes: Array.isArray(codes) ? codes.map(String) : [],
        hostname: typeof body.hostname === 'string' ? body.hostname : undefined,
        action: typeof body.action === 'string' ? body.action : undefined
      }
    } catch (err) {
      lastError = err as Error
      // Only Turnstile can tell a retry from a replay; the others would answer `timeout-or-duplicate`.
      if (settings.provider !== 'turnstile' || (err as Error).name === 'TimeoutError') break
    }
  }
  return { kind: 'unreachable', error: lastError }
}
