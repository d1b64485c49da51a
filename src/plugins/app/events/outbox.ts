// The outbox: where app events wait for each target (a webhook URL, the app's onEvent); the shapes, and the in-memory one.
import { EventEmitter, once } from 'node:events'
import type { AppEvent } from '../app-events.ts'

/** One event waiting for one target. */
export interface Pending {
  /** Its place in the outbox (a Redis stream id, `<ms>-<seq>`): the order of the acts. */
  id: string
  event: AppEvent
  /** The JSON every delivery sends: the same bytes each time. */
  body: string
  userId: string
  /** The outbox id of the user's previous event ('' for none): delivered (or given up) first. */
  prev: string
  /** Put back by an operator (`webhooks replay`): sent even to a URL that answered 410. */
  replay: boolean
  /** Deliveries tried so far, and when the next may start (epoch ms). */
  attempts: number
  nextAt: number
}

/** Who an outbox queue delivers to: `key` is stable across restarts and instances; `name` is for people. */
export interface TargetRef { key: string, name: string }

/** The events one target has still to get, as this instance works through them. */
export interface TargetQueue {
  /** New events for this instance, waiting up to `waitMs` for one. */
  next: (max: number, waitMs: number) => Promise<Pending[]>
  /** Events another instance took and left (it stopped): theirs to finish now. */
  reclaim: () => Promise<Pending[]>
  /** Tells the others these are still being worked on (not to be reclaimed). */
  keep: (ids: string[]) => Promise<void>
  /** Whether the event before `pending` of its user is delivered or given up, for this target. */
  previousSettled: (pending: Pending) => Promise<boolean>
  /** Records a failed attempt (`attempts`, `nextAt`), so another instance goes on with the same schedule. */
  later: (pending: Pending) => Promise<void>
  done: (pending: Pending) => Promise<void>
  giveUp: (pending: Pending, reason: string) => Promise<void>
  /** The receiver answered 410 Gone: deliveries to it stop (until a replay gets through). */
  isGone: () => Promise<boolean>
  setGone: (gone: boolean) => Promise<void>
  close: () => Promise<void>
}

/** Where app events wait: memory, or a Redis stream (redis-outbox.ts). */
export interface Outbox {
  readonly durable: boolean
  /** Adds an event for every target, after the events of its user already in. */
  append: (event: AppEvent) => Promise<void>
  open: (target: TargetRef) => Promise<TargetQueue>
  /** Seconds the oldest event not yet delivered to an open target has waited; undefined when none waits. */
  oldestAge: () => Promise<number | undefined>
  close: () => Promise<void>
}

/** Orders outbox ids (`<ms>-<seq>`) as the outbox does. */
export function compareIds (a: string, b: string): number {
  const [am = 0, as = 0] = a.split('-').map(Number)
  const [bm = 0, bs = 0] = b.split('-').map(Number)
  return am - bm || as - bs
}

/** The epoch ms an outbox id was made at. */
export const idTime = (id: string): number => Number(id.split('-')[0])

/** One target's events in memory: this process is its only consumer. */
class MemoryQueue {
  readonly fresh: Pending[] = []
  readonly unsettled = new Map<string, Pending>()
  readonly signal = new EventEmitter()
  gone = false

  push (pending: Pending): void {
    this.fresh.push(pending)
    this.unsettled.set(pending.id, pending)
    this.signal.emit('added')
  }
}

/**
 * The outbox in this process's memory: lost on restart (the server says so at start). What gives
 * up is logged only: no other process can list or replay it.
 */
export function createMemoryOutbox (): Outbox {
  const queues = new Map<string, MemoryQueue>()
  const lastOfUser = new Map<string, string>()
  let sequence = 0
  const nextId = () => `${Date.now()}-${sequence++}`

  const open = async (target: TargetRef): Promise<TargetQueue> => {
    const queue = queues.get(target.key) ?? new MemoryQueue()
    queues.set(target.key, queue)
    const settle = (pending: Pending) => { queue.unsettled.delete(pending.id) }
    return {
      async next (max, waitMs) {
        if (queue.fresh.length === 0) await Promise.race([once(queue.signal, 'added'), new Promise((resolve) => setTimeout(resolve, waitMs).unref())])
        return queue.fresh.splice(0, max)
      },
      reclaim: async () => [],
      keep: async () => {},
      previousSettled: async (pending) => !queue.unsettled.has(pending.prev),
      later: async () => {},
      done: async (pending) => settle(pending),
      giveUp: async (pending) => settle(pending),
      isGone: async () => queue.gone,
      async setGone (gone) { queue.gone = gone },
      async close () { queue.signal.emit('added') }
    }
  }

  return {
    durable: false,
    async append (event) {
      const id = nextId()
      const prev = lastOfUser.get(event.data.userId) ?? ''
      lastOfUser.set(event.data.userId, id)
      const body = JSON.stringify(event)
      for (const queue of queues.values()) queue.push({ id, event, body, userId: event.data.userId, prev, replay: false, attempts: 0, nextAt: 0 })
    },
    open,
    async oldestAge () {
      let oldest: number | undefined
      for (const queue of queues.values()) {
        for (const id of queue.unsettled.keys()) oldest = Math.min(oldest ?? Infinity, idTime(id))
      }
      return oldest === undefined ? undefined : (Date.now() - oldest) / 1000
    },
    async close () {
      for (const queue of queues.values()) queue.signal.emit('added')
    }
  }
}
