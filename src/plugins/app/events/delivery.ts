// Delivering one target's events: in order per user, retried on Standard Webhooks' schedule, shared with the other instances.
import { setTimeout as sleep } from 'node:timers/promises'
import type { FastifyBaseLogger } from 'fastify'
import { compareIds, type Pending, type TargetQueue } from './outbox.ts'
import type { SendResult, Target } from './targets.ts'

/** Standard Webhooks' retry schedule: after the first attempt, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (about 28 hours). */
export const RETRY_DELAYS_MS: readonly number[] = [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000]

/** How deliveries are paced; the defaults are the documented ones (tests shorten them). */
export interface DeliveryOptions {
  /** The waits between attempts; one attempt more than there are waits, then the delivery gives up. */
  retryDelaysMs: readonly number[]
  /** Each wait is stretched or shrunk by up to this fraction, at random (receivers coming back are not stampeded). */
  jitter: number
  /** An attempt that has no answer by then failed (a 2xx within it is a delivery). */
  timeoutMs: number
  /**
   * An event its instance has not touched this long (it stopped) is taken over by another
   * (XAUTOCLAIM). Each instance touches what it holds, and looks for such events, every quarter
   * of it: taken over within 1.25 times this (25 s by default).
   */
  claimIdleMs: number
  /** How often a user's next event checks whether the previous one (held elsewhere) is settled. */
  pollMs: number
}

export const DEFAULT_DELIVERY: DeliveryOptions = { retryDelaysMs: RETRY_DELAYS_MS, jitter: 0.1, timeoutMs: 15_000, claimIdleMs: 20_000, pollMs: 1_000 }

/** Events held at once per target: beyond it, the rest wait in the outbox. */
const MAX_HELD = 1_000
/** Attempts running at once per target. */
const CONCURRENCY = 8

/** What the worker reports, for the metrics. */
export type DeliveryOutcome = 'delivered' | 'retried' | 'failed' | 'gone'

/**
 * Delivers one target's events from `queue`. A user's events go one at a time, in the order of
 * their acts (a later one waits while an earlier one is retried, here or on another instance); a
 * failed attempt is retried after the schedule's next wait; after the last, the delivery gives up
 * (logged, listed by `webhooks failed`). A 410 stops deliveries to the target (logged); only a
 * replay is still sent, and its 2xx lifts the stop.
 */
export class DeliveryWorker {
  private readonly held = new Map<string, Pending>()
  private readonly running = new Map<string, Promise<void>>()
  /** Held events whose user's previous event is known to be settled. */
  private readonly checked = new Set<string>()
  private stopped = false
  private gone = false
  private wake: NodeJS.Timeout | undefined
  private readonly maintenance: NodeJS.Timeout
  private readonly reading: Promise<void>

  private readonly queue: TargetQueue
  private readonly target: Target
  private readonly options: DeliveryOptions
  private readonly log: FastifyBaseLogger
  private readonly count: (pending: Pending, outcome: DeliveryOutcome) => void

  constructor (queue: TargetQueue, target: Target, options: DeliveryOptions, log: FastifyBaseLogger, count: (pending: Pending, outcome: DeliveryOutcome) => void) {
    this.queue = queue
    this.target = target
    this.options = options
    this.log = log
    this.count = count
    // The first maintenance first: a 410 met before this start holds from the first event on.
    this.reading = this.maintain().then(async () => await this.readLoop())
    this.maintenance = setInterval(() => { this.maintain().catch(() => {}) }, Math.max(10, Math.floor(options.claimIdleMs / 4))).unref()
  }

  async stop (): Promise<void> {
    this.stopped = true
    clearInterval(this.maintenance)
    clearTimeout(this.wake)
    // What is under way ends (bounded by the timeout); what is held stays in the outbox for the next instance.
    await Promise.allSettled(this.running.values())
    await this.queue.close()
    await this.reading
  }

  private logOf (pending: Pending): FastifyBaseLogger {
    return this.log.child({ eventId: pending.event.id, type: pending.event.type, target: this.target.name, attempt: pending.attempts })
  }

  private release (pending: Pending): void {
    this.held.delete(pending.id)
    this.checked.delete(pending.id)
  }

  private delayAfter (attempts: number): number {
    const base = this.options.retryDelaysMs[attempts - 1] ?? 0
    return Math.round(base * (1 + this.options.jitter * (2 * Math.random() - 1)))
  }

  private async settle (pending: Pending, result: SendResult): Promise<void> {
    const { queue } = this
    if (result.ok) {
      await queue.done(pending)
      if (this.gone && pending.replay) {
        this.gone = false
        await queue.setGone(false)
        this.logOf(pending).info('a replay reached the receiver that had answered 410: deliveries to it resume')
      }
      this.count(pending, 'delivered')
    } else if (result.gone) {
      this.gone = true
      await queue.setGone(true)
      await queue.giveUp(pending, 'gone')
      this.logOf(pending).error('the receiver answered 410 Gone: deliveries to it stop (npm run admin -- webhooks replay resumes them)')
      this.count(pending, 'gone')
    } else if (pending.attempts > this.options.retryDelaysMs.length) {
      await queue.giveUp(pending, result.reason)
      this.logOf(pending).error({ reason: result.reason }, 'delivery gave up after the last retry (npm run admin -- webhooks failed lists it)')
      this.count(pending, 'failed')
    } else {
      pending.nextAt = Date.now() + this.delayAfter(pending.attempts)
      await queue.later(pending)
      this.logOf(pending).warn({ reason: result.reason, retryAt: new Date(pending.nextAt).toISOString() }, 'delivery failed; retrying later')
      this.count(pending, 'retried')
      return
    }
    this.release(pending)
  }

  /** One attempt of `pending`, unless the event before it of its user is still unsettled (held elsewhere). */
  private async attempt (pending: Pending): Promise<void> {
    try {
      // Checked again where it is kept: a replay on another instance may have lifted it.
      if (this.gone && !pending.replay && await this.queue.isGone()) {
        await this.queue.giveUp(pending, 'gone')
        this.count(pending, 'gone')
        this.release(pending)
        return
      }
      if (!this.checked.has(pending.id)) {
        if (!(await this.queue.previousSettled(pending))) {
          pending.nextAt = Date.now() + this.options.pollMs
          return
        }
        this.checked.add(pending.id)
      }
      pending.attempts += 1
      await this.settle(pending, await this.target.send(pending, this.options.timeoutMs))
    } catch (err) {
      // The outbox failed (Redis away): the event stays held and is tried again.
      this.log.warn({ err, target: this.target.name }, 'the event outbox failed; trying again')
      pending.nextAt = Date.now() + this.options.pollMs
    }
  }

  /** Starts what may start: the first held event of each user, when due, up to CONCURRENCY at once; wakes up for the next due. */
  private pump (): void {
    if (this.stopped) return
    clearTimeout(this.wake)
    const now = Date.now()
    const heads = new Map<string, Pending>()
    for (const pending of [...this.held.values()].sort((a, b) => compareIds(a.id, b.id))) {
      if (!heads.has(pending.userId)) heads.set(pending.userId, pending)
    }
    let due = Infinity
    for (const pending of heads.values()) {
      // At CONCURRENCY, the end of a running attempt pumps again.
      if (this.running.has(pending.id) || this.running.size >= CONCURRENCY) continue
      if (pending.nextAt > now) {
        due = Math.min(due, pending.nextAt)
        continue
      }
      const run = this.attempt(pending).finally(() => {
        this.running.delete(pending.id)
        this.pump()
      })
      this.running.set(pending.id, run)
    }
    if (due !== Infinity) this.wake = setTimeout(() => this.pump(), due - now).unref()
  }

  private hold (pendings: Pending[]): void {
    for (const pending of pendings) if (!this.held.has(pending.id)) this.held.set(pending.id, pending)
    if (pendings.length > 0) this.pump()
  }

  private async readLoop (): Promise<void> {
    while (!this.stopped) {
      try {
        if (this.held.size >= MAX_HELD) await sleep(this.options.pollMs)
        else this.hold(await this.queue.next(100, Math.min(5_000, this.options.claimIdleMs)))
      } catch (err) {
        if (this.stopped) return
        this.log.warn({ err, target: this.target.name }, 'reading the event outbox failed; trying again')
        await sleep(this.options.pollMs)
      }
    }
  }

  /** Keeps what this instance holds, takes over what a stopped one left, and learns of a 410 another instance met. */
  private async maintain (): Promise<void> {
    try {
      await this.queue.keep([...this.held.keys()])
      this.hold(await this.queue.reclaim())
      this.gone = await this.queue.isGone()
    } catch (err) {
      this.log.warn({ err, target: this.target.name }, 'the event outbox failed; trying again')
    }
  }
}
