// Where app events go: a webhook URL (a signed POST in the Standard Webhooks format) or the app's own onEvent.
import { createHash } from 'node:crypto'
import { Webhook } from 'standardwebhooks'
import type { AppEvent } from '../app-events.ts'
import type { Pending, TargetRef } from './outbox.ts'

/** How one attempt ended: delivered, or why not (`gone`: the receiver answered 410, so stop). */
export type SendResult = { ok: true } | { ok: false, gone: boolean, reason: string }

/** One place events go. */
export interface Target extends TargetRef {
  /** `webhook` or `onEvent`, for the metrics. */
  kind: 'webhook' | 'onEvent'
  /** One attempt, bounded by `timeoutMs`. */
  send: (pending: Pending, timeoutMs: number) => Promise<SendResult>
}

/** A URL as logs and listings show it: its query (which may hold a receiver's token) left out. */
export function displayUrl (url: string): string {
  const parsed = new URL(url)
  return `${parsed.origin}${parsed.pathname}${parsed.search === '' ? '' : '?…'}`
}

/** Why a fetch failed, in a word or two (no URL, no header). */
function failureOf (err: unknown): string {
  const error = err as Error & { cause?: { code?: string } }
  if (error.name === 'TimeoutError' || error.name === 'AbortError') return 'timeout'
  return error.cause?.code ?? error.name
}

/**
 * A webhook receiver: each attempt is a POST of the event's JSON with `webhook-id` (the event's
 * id, the same on every attempt), `webhook-timestamp` (this attempt's, in seconds: receivers
 * refuse old ones) and `webhook-signature` (`v1,<base64>` per secret, space-separated: a receiver
 * that holds any one of them verifies). A 2xx within the timeout is a delivery; redirects are not
 * followed (a receiver moved is a configuration to change).
 */
export function webhookTarget (url: string, secrets: readonly string[]): Target {
  const signers = secrets.map((secret) => new Webhook(secret))
  return {
    // The URL's digest: a stable name for its consumer group, which shows nothing of the URL.
    key: `url:${createHash('sha256').update(url).digest('hex').slice(0, 16)}`,
    name: displayUrl(url),
    kind: 'webhook',
    async send (pending, timeoutMs) {
      const now = new Date()
      const signature = signers.map((signer) => signer.sign(pending.event.id, now, pending.body)).join(' ')
      try {
        const response = await fetch(url, {
          method: 'POST',
          redirect: 'manual',
          signal: AbortSignal.timeout(timeoutMs),
          headers: {
            'content-type': 'application/json',
            'user-agent': 'cognito-graphql-auth-webhooks',
            'webhook-id': pending.event.id,
            'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
            'webhook-signature': signature
          },
          body: pending.body
        })
        await response.body?.cancel().catch(() => {})
        if (response.status >= 200 && response.status < 300) return { ok: true }
        return { ok: false, gone: response.status === 410, reason: `HTTP ${response.status}` }
      } catch (err) {
        return { ok: false, gone: false, reason: failureOf(err) }
      }
    }
  }
}

/**
 * The app's own handler (authServer's `onEvent`), called with a copy of the event; a throw, or a
 * promise not settled within the timeout, is a failed attempt, retried as a webhook's is.
 */
export function handlerTarget (onEvent: (event: AppEvent) => unknown): Target {
  return {
    key: 'on-event',
    name: 'onEvent',
    kind: 'onEvent',
    async send (pending, timeoutMs) {
      let timer: NodeJS.Timeout | undefined
      const timeout = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(Object.assign(new Error('onEvent did not settle in time'), { name: 'TimeoutError' })), timeoutMs)
      })
      try {
        await Promise.race([(async () => await onEvent(JSON.parse(pending.body) as AppEvent))(), timeout])
        return { ok: true }
      } catch (err) {
        const error = err as Error
        return { ok: false, gone: false, reason: error.name === 'TimeoutError' ? 'timeout' : `threw: ${error.message}`.slice(0, 200) }
      } finally {
        clearTimeout(timer)
      }
    }
  }
}
