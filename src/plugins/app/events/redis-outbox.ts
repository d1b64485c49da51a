// The outbox in a Redis stream: one consumer group per target, so every instance shares the work and each event goes once per target.
import { hostname } from 'node:os'
import { randomBytes } from 'node:crypto'
import { openRedis, type RedisClient } from '../redis.ts'
import type { AppEvent } from '../app-events.ts'
import { idTime, type Outbox, type Pending, type TargetQueue, type TargetRef } from './outbox.ts'

// Every key below shares the `{auth-events}` hash slot, so scripts and transactions may touch several (Redis Cluster).

const PREFIX = '{auth-events}'
export const OUTBOX_KEY = `${PREFIX}:outbox`
export const FAILED_KEY = `${PREFIX}:failed`
const lastKey = (userId: string) => `${PREFIX}:last:${userId}`
const attemptsKey = (target: string) => `${PREFIX}:attempts:${target}`
const goneKey = (target: string) => `${PREFIX}:gone:${target}`

/** How long the outbox keeps an event: far beyond the retry schedule (about 28 hours). */
export const OUTBOX_RETENTION_MS = 7 * 86_400_000
/** How long a delivery that gave up stays listed and replayable. */
export const FAILED_RETENTION_MS = 30 * 86_400_000
/** A consumer (a stopped instance) with nothing pending and idle this long is removed from its group. */
const STALE_CONSUMER_MS = 3_600_000

// The user's previous event and this one's place, in one step: the order of a user's events is the order of their acts.
const APPEND = `
local prev = redis.call('GET', KEYS[2]) or ''
local id = redis.call('XADD', KEYS[1], 'MINID', '~', ARGV[1], '*', 'event', ARGV[3], 'user', ARGV[4], 'prev', prev)
redis.call('SET', KEYS[2], id, 'PX', ARGV[2])
return id`

// Resets the idle time of the entries this consumer still holds, and only those: one another instance reclaimed stays theirs.
const KEEP = `
for i = 3, #ARGV do
  local pending = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[i], ARGV[i], 1)
  if pending[1] and pending[1][2] == ARGV[2] then redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[i], 'JUSTID') end
end
return 0`

type Entry = [string, string[] | null]

/** The entries of one stream's XREADGROUP answer: `[[key, entries]]` over RESP2, `[key, entries]` where a RESP3 map is flattened. */
function entriesOfRead (answer: unknown): Entry[] {
  if (!Array.isArray(answer) || answer.length === 0) return []
  const pair = (typeof answer[0] === 'string' ? answer : answer[0]) as [string, Entry[] | undefined]
  return pair[1] ?? []
}

/** A stream entry's fields as an object. */
function fieldsOf (flat: readonly unknown[]): Record<string, string> {
  const fields: Record<string, string> = {}
  for (let i = 0; i + 1 < flat.length; i += 2) fields[String(flat[i])] = String(flat[i + 1])
  return fields
}

/** An outbox entry as a pending delivery; undefined when it is not for `target` (a replay for another) or unreadable. */
function pendingOf ([id, flat]: Entry, target: string): Pending | undefined {
  if (!Array.isArray(flat)) return undefined
  const fields = fieldsOf(flat)
  if (fields.only !== undefined && fields.only !== target) return undefined
  try {
    const event = JSON.parse(fields.event ?? '') as AppEvent
    return { id, event, body: fields.event as string, userId: fields.user ?? event.data.userId, prev: fields.prev ?? '', replay: fields.replay === '1', attempts: 0, nextAt: 0 }
  } catch {
    return undefined
  }
}

/** `[attempts, nextAt]` as `later` stored them. */
function parseAttempts (value: string | null): [number, number] {
  const [attempts = 0, nextAt = 0] = (value ?? '').split(':').map(Number)
  return [Number.isFinite(attempts) ? attempts : 0, Number.isFinite(nextAt) ? nextAt : 0]
}

/** Opens one target's consumer group (made at the stream's end the first time: a new URL gets the events from now on). */
function openQueue (redis: RedisClient, blocking: RedisClient, target: TargetRef, consumer: string, claimIdleMs: number): TargetQueue {
  const group = target.key
  const attempts = attemptsKey(group)

  /** The entries for this target, with their attempts so far; those that are not (deleted, replays for another target) are acknowledged. */
  async function adopt (entries: Entry[], deleted: string[] = []): Promise<Pending[]> {
    const pendings: Pending[] = []
    const skipped = [...deleted]
    for (const entry of entries) {
      const pending = pendingOf(entry, group)
      if (pending === undefined) skipped.push(entry[0])
      else pendings.push(pending)
    }
    if (skipped.length > 0) await redis.call('XACK', OUTBOX_KEY, group, ...skipped)
    if (pendings.length > 0) {
      const stored = await redis.hmget(attempts, ...pendings.map((pending) => pending.id))
      pendings.forEach((pending, index) => { [pending.attempts, pending.nextAt] = parseAttempts(stored[index] ?? null) })
    }
    return pendings
  }

  /** Removes the consumers of stopped instances that hold nothing any more. */
  async function forgetStaleConsumers (): Promise<void> {
    const consumers = await redis.call('XINFO', 'CONSUMERS', OUTBOX_KEY, group) as unknown[][]
    for (const flat of consumers) {
      const info = fieldsOf(flat)
      if (info.name !== consumer && Number(info.pending) === 0 && Number(info.idle) > STALE_CONSUMER_MS) {
        await redis.call('XGROUP', 'DELCONSUMER', OUTBOX_KEY, group, info.name as string)
      }
    }
  }

  return {
    async next (max, waitMs) {
      return await adopt(entriesOfRead(await blocking.call('XREADGROUP', 'GROUP', group, consumer, 'COUNT', max, 'BLOCK', waitMs, 'STREAMS', OUTBOX_KEY, '>')))
    },
    async reclaim () {
      const claimed: Pending[] = []
      let cursor = '0-0'
      // A bounded sweep per call: what is left waits for the next one.
      for (let round = 0; round < 10; round++) {
        const [next, entries, deleted] = await redis.call('XAUTOCLAIM', OUTBOX_KEY, group, consumer, claimIdleMs, cursor, 'COUNT', 100) as [string, Entry[], string[]?]
        claimed.push(...await adopt(entries, deleted))
        cursor = next
        if (cursor === '0-0') break
      }
      await forgetStaleConsumers()
      return claimed
    },
    async keep (ids) {
      for (let i = 0; i < ids.length; i += 200) await redis.eval(KEEP, 1, OUTBOX_KEY, group, consumer, ...ids.slice(i, i + 200))
    },
    async previousSettled (pending) {
      if (pending.prev === '') return true
      const still = await redis.call('XPENDING', OUTBOX_KEY, group, pending.prev, pending.prev, 1) as unknown[]
      return still.length === 0
    },
    async later (pending) {
      await redis.hset(attempts, pending.id, `${pending.attempts}:${pending.nextAt}`)
    },
    async done (pending) {
      await redis.multi().call('XACK', OUTBOX_KEY, group, pending.id).hdel(attempts, pending.id).exec()
    },
    async giveUp (pending, reason) {
      const { event } = pending
      await redis.multi()
        .call('XADD', FAILED_KEY, 'MINID', '~', String(Date.now() - FAILED_RETENTION_MS), '*',
          'event', pending.body, 'user', pending.userId, 'eventId', event.id, 'type', event.type,
          'target', target.name, 'targetKey', group, 'reason', reason, 'attempts', String(pending.attempts))
        .call('XACK', OUTBOX_KEY, group, pending.id)
        .hdel(attempts, pending.id)
        .exec()
    },
    isGone: async () => await redis.exists(goneKey(group)) === 1,
    async setGone (gone) {
      if (gone) await redis.set(goneKey(group), new Date().toISOString())
      else await redis.del(goneKey(group))
    },
    async close () {
      blocking.disconnect()
    }
  }
}

/**
 * The outbox in a Redis stream (`{auth-events}:outbox`), durable across restarts: each target is
 * a consumer group, each instance a consumer of it, so each event is delivered once per target
 * however many instances run; what a stopped instance held is reclaimed (XAUTOCLAIM) once it has
 * been idle `claimIdleMs`. Entries older than OUTBOX_RETENTION_MS are trimmed as new ones come.
 */
/**
 * `blockingClient` makes a connection of its own for each target (redis.ts's `blocking` kind:
 * without the command timeout, since XREADGROUP … BLOCK holds it while it waits).
 */
export function createRedisOutbox (redis: RedisClient, options: { claimIdleMs: number, blockingClient: () => RedisClient }): Outbox {
  const consumer = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`
  const opened = new Map<string, TargetQueue>()

  return {
    durable: true,
    async append (event) {
      await redis.eval(APPEND, 2, OUTBOX_KEY, lastKey(event.data.userId), String(Date.now() - OUTBOX_RETENTION_MS), String(OUTBOX_RETENTION_MS), JSON.stringify(event), event.data.userId)
    },
    async open (target) {
      try {
        await redis.call('XGROUP', 'CREATE', OUTBOX_KEY, target.key, '$', 'MKSTREAM')
      } catch (err) {
        if (!String((err as Error).message).startsWith('BUSYGROUP')) throw err
      }
      const blocking = options.blockingClient()
      // Not connected yet: the worker's reads fail (and are retried) until it is.
      await openRedis(blocking)
      const queue = openQueue(redis, blocking, target, consumer, options.claimIdleMs)
      opened.set(target.key, queue)
      return queue
    },
    async oldestAge () {
      const groups = (await redis.call('XINFO', 'GROUPS', OUTBOX_KEY) as unknown[][]).map((flat) => fieldsOf(flat))
      let oldest: number | undefined
      for (const group of groups.filter((info) => info.name !== undefined && opened.has(info.name))) {
        const [count, first] = await redis.call('XPENDING', OUTBOX_KEY, group.name as string) as [number, string | null]
        const [undelivered] = await redis.call('XRANGE', OUTBOX_KEY, `(${group['last-delivered-id'] ?? '0-0'}`, '+', 'COUNT', 1) as Entry[]
        for (const id of [Number(count) > 0 ? first : null, undelivered?.[0]]) {
          if (typeof id === 'string') oldest = Math.min(oldest ?? Infinity, idTime(id))
        }
      }
      return oldest === undefined ? undefined : Math.max(0, (Date.now() - oldest) / 1000)
    },
    async close () {
      await Promise.all([...opened.values()].map(async (queue) => await queue.close()))
    }
  }
}

/** A delivery that gave up, as `npm run admin -- webhooks failed` lists it. */
export interface FailedDelivery {
  id: string
  eventId: string
  type: string
  /** The target as logs name it (a URL without its query, or `onEvent`). */
  target: string
  /** `gone` (the receiver answered 410), or the last attempt's failure. */
  reason: string
  attempts: number
  at: string
}

function failedOf ([id, flat]: Entry): FailedDelivery & { fields: Record<string, string> } {
  const fields = fieldsOf(flat ?? [])
  return { id, eventId: fields.eventId ?? '', type: fields.type ?? '', target: fields.target ?? '', reason: fields.reason ?? '', attempts: Number(fields.attempts ?? 0), at: new Date(idTime(id)).toISOString(), fields }
}

/** The deliveries that gave up in the last FAILED_RETENTION_MS, newest first. */
export async function failedDeliveries (redis: RedisClient, limit = 100): Promise<FailedDelivery[]> {
  const entries = await redis.call('XREVRANGE', FAILED_KEY, '+', '-', 'COUNT', limit) as Entry[]
  return entries.map((entry) => { const { fields: _fields, ...failed } = failedOf(entry); return failed })
}

/**
 * Puts failed deliveries back in the outbox for their target alone (`id`: a failed delivery's id, or
 * an event's `evt_…` for every failed delivery of it): running servers deliver them again, with
 * the same `webhook-id`, even to a URL that answered 410 (which a 2xx then reopens). Answers those requeued.
 */
export async function requeueFailed (redis: RedisClient, id: string): Promise<FailedDelivery[]> {
  const entries = id.startsWith('evt_')
    ? await redis.call('XREVRANGE', FAILED_KEY, '+', '-', 'COUNT', 10_000) as Entry[]
    : await redis.call('XRANGE', FAILED_KEY, id, id) as Entry[]
  const found = entries.map(failedOf).filter((failed) => failed.id === id || failed.eventId === id)
  for (const failed of found) {
    const { fields } = failed
    await redis.multi()
      .call('XADD', OUTBOX_KEY, 'MINID', '~', String(Date.now() - OUTBOX_RETENTION_MS), '*',
        'event', fields.event ?? '', 'user', fields.user ?? '', 'prev', '', 'only', fields.targetKey ?? '', 'replay', '1')
      .call('XDEL', FAILED_KEY, failed.id)
      .exec()
  }
  return found.map(({ fields: _fields, ...failed }) => failed)
}
