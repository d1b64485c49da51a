// Cognito calls retried in the background after an operation already succeeded.
import type { FastifyBaseLogger } from 'fastify'
import { AppError } from '../../errors.ts'
import { withDeadline } from './cognito.ts'

export interface FollowUpOptions {
  logger: FastifyBaseLogger
  /** Attempts of one follow-up, the first included. */
  attempts?: number
  /** The pause before the second attempt; it doubles after each failure. */
  firstDelayMs?: number
  /** Follow-ups waiting for a retry at most; past it a new failure is logged and dropped. */
  maxPending?: number
}

/**
 * Best effort after the fact: a Cognito call that follows an operation which already succeeded
 * (the global sign-out after a password change or reset, whose local "not before" mark is
 * written already). Its failure is not the operation's: it is logged and retried in the
 * background, a bounded number of times with a doubling pause, with a bounded number waiting.
 * An answer of INVALID_CREDENTIALS means there is nothing left to end (the token or user is
 * gone), one of NOT_SUPPORTED that the endpoint lacks the operation: no retry for either.
 */
export function createFollowUps ({ logger, attempts = 5, firstDelayMs = 1000, maxPending = 100 }: FollowUpOptions) {
  const waiting = new Set<NodeJS.Timeout>()
  const final = (err: unknown) => err instanceof AppError && (err.code === 'INVALID_CREDENTIALS' || err.code === 'NOT_SUPPORTED')

  function retry (what: string, call: () => Promise<void>, attempt: number): void {
    if (attempt > attempts) {
      logger.error({ followUp: what, attempts }, 'a follow-up Cognito call failed every attempt: it is given up')
      return
    }
    if (waiting.size >= maxPending) {
      logger.error({ followUp: what, maxPending }, 'too many follow-up Cognito calls wait for a retry: this one is dropped')
      return
    }
    const timer = setTimeout(() => {
      waiting.delete(timer)
      // Outside the request that failed: its Cognito budget (carried into this timer) is spent.
      withDeadline(Number.POSITIVE_INFINITY, call).then(
        () => logger.info({ followUp: what, attempt }, 'a follow-up Cognito call succeeded on a retry'),
        (err: unknown) => {
          if (final(err)) return
          logger.warn({ followUp: what, attempt, code: (err as AppError).code }, 'a follow-up Cognito call failed again')
          retry(what, call, attempt + 1)
        })
    }, firstDelayMs * 2 ** (attempt - 2))
    timer.unref()
    waiting.add(timer)
  }

  return {
    /** Runs `call` now; a failure is logged and retried in the background, never thrown. */
    async run (what: string, call: () => Promise<void>): Promise<void> {
      try {
        await call()
      } catch (err) {
        if (final(err)) return
        logger.warn({ followUp: what, code: (err as AppError).code }, 'a follow-up Cognito call failed after the operation succeeded: it will be retried')
        retry(what, call, 2)
      }
    },

    /** Follow-ups waiting for a retry. */
    get pending (): number {
      return waiting.size
    },

    /** Stops every retry (the server is closing). */
    close (): void {
      for (const timer of waiting) clearTimeout(timer)
      waiting.clear()
    }
  }
}

export type FollowUps = ReturnType<typeof createFollowUps>
