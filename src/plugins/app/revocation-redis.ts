// Revocations in Redis, shared by every instance (one server or a cluster), and mirrored in each
// instance's memory so that the checks made on every request cost no round trip.
import { Cluster, type Redis } from 'ioredis'
import type { RedisClient } from './redis.ts'
import { createMemoryRevocationStore, type RevocationStore } from './revocation-store.ts'

// Keeps the later of two marks: a mark never moves back.
const SET_NOT_BEFORE = `
local current = redis.call('GET', KEYS[1])
if not current or tonumber(current) < tonumber(ARGV[1]) then
  redis.call('SET', KEYS[1], ARGV[1], 'EXAT', ARGV[2])
end
return 1`

/** The key prefixes: denials and marks (mirrored), and one-time claims (never mirrored). */
export interface RevocationKeys {
  prefix?: string
  claimPrefix?: string
}

/** How long the journal keeps an entry: far longer than a connected reader ever lags behind. */
const JOURNAL_SECONDS = 300
/** How long one read of the journal waits for new entries before it asks again. */
const FOLLOW_BLOCK_MS = 1000
/**
 * How long after the journal last answered the mirror is still trusted. A Redis that went silent
 * (a lost network closes nothing) leaves the last read waiting: past this, reads go to Redis
 * itself and fail, rather than answering from a mirror that may miss another instance's writes.
 */
const TRUST_MS = FOLLOW_BLOCK_MS + 500
/** The pause before trying again while Redis does not answer. */
const RETRY_MS = 500

/** One write, as the journal carries it to every instance: a denial (`add`) or a mark (`nb`). */
interface JournalEntry { op: 'add' | 'nb', key: string, second?: number, until: number }

/**
 * Redis, shared by every instance. Keys expire by themselves (EXAT). Every denial and mark is also
 * appended to the journal (a Redis stream, trimmed to JOURNAL_SECONDS), sent together with the
 * write, so that every instance's mirror hears of it (createMirroredRedisRevocationStore); the
 * write fails if either does. Every command names one key, so on a Redis Cluster each goes to the
 * node of its own slot.
 */
export function createRedisRevocationStore (redis: RedisClient, { prefix = 'auth-revocation:', claimPrefix = 'auth-claim:' }: RevocationKeys = {}): RevocationStore {
  const journaled = async (entry: JournalEntry, write: Promise<unknown>) => {
    const trim = `${Date.now() - JOURNAL_SECONDS * 1000}`
    await Promise.all([write, redis.xadd(`${prefix}journal`, 'MINID', '~', trim, '*', 'e', JSON.stringify(entry))])
  }
  return {
    async add (key, until) {
      await journaled({ op: 'add', key, until }, redis.set(prefix + key, '1', 'EXAT', until))
    },
    async has (key) {
      return (await redis.exists(prefix + key)) === 1
    },
    async claim (key, until) {
      return (await redis.set(claimPrefix + key, '1', 'EXAT', until, 'NX')) === 'OK'
    },
    async release (key) {
      await redis.del(claimPrefix + key)
    },
    async setNotBefore (sub, second, until) {
      await journaled({ op: 'nb', key: sub, second, until }, redis.eval(SET_NOT_BEFORE, 1, `${prefix}nb:${sub}`, second, until))
    },
    async notBefore (sub) {
      const value = await redis.get(`${prefix}nb:${sub}`)
      return value === null ? undefined : Number(value)
    },
    // The connection belongs to the redis plugin.
    async close () {}
  }
}

export interface MirroredStoreOptions extends RevocationKeys {
  /** The connection for commands (the redis plugin's). */
  redis: RedisClient
  /** A connection of the mirror's own, without a command timeout: it waits on the journal (createRedisClient's `blocking`). */
  reader: RedisClient
  /** Told when the mirror loses Redis (once per outage). */
  onError?: (err: Error) => void
}

/** The nodes that hold keys: every master of a cluster, or the one server. */
const keyHolders = (redis: RedisClient): Redis[] => redis instanceof Cluster ? redis.nodes('master') : [redis]

const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms).unref())

/**
 * Redis as the shared truth, mirrored in process memory. Every write goes to Redis and to its
 * journal (createRedisRevocationStore); each instance follows the journal on a connection of
 * its own (a blocking XREAD: milliseconds after the write) and applies what it reads to its mirror.
 * The journal is read from where the last read ended, so nothing is lost while the connection
 * holds, nothing is read twice, and there is no periodic re-read; only when the mirror (re)connects
 * does it load every live entry, in pipelined batches, one node after the other. Until then, and
 * whenever the journal has not answered for TRUST_MS, reads go to Redis itself (and fail when it
 * is down). Entries only ever grow (a later expiry, a later mark), so applying one twice, or out
 * of order, changes nothing.
 *
 * One-time claims are not mirrored: each is written once and read once, by the instance that
 * claims it, so they go to Redis alone, under a prefix of their own that the load never reads.
 */
export function createMirroredRedisRevocationStore (options: MirroredStoreOptions): RevocationStore & { ready: Promise<void> } {
  const { redis, reader, prefix = 'auth-revocation:', onError = () => {} } = options
  const shared = createRedisRevocationStore(redis, options)
  const mirror = createMemoryRevocationStore()
  const journal = `${prefix}journal`
  let synced = false
  let closed = false
  /** When the journal last answered (epoch ms). */
  let heard = 0
  const trusted = () => synced && Date.now() - heard < TRUST_MS
  let becameReady: () => void = () => {}
  const ready = new Promise<void>((resolve) => { becameReady = resolve })

  const apply = async (entry: JournalEntry) => {
    if (entry.op === 'add') await mirror.add(entry.key, entry.until)
    else await mirror.setNotBefore(entry.key, entry.second ?? 0, entry.until)
  }

  /** Reads every live entry of Redis into the mirror: one SCAN batch, one pipeline, at a time. */
  async function load (): Promise<void> {
    for (const node of keyHolders(redis)) {
      let cursor = '0'
      do {
        const [next, found] = await node.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000)
        cursor = next
        const keys = found.filter((key) => key !== journal)
        if (keys.length === 0) continue
        const pipeline = node.pipeline()
        for (const key of keys) pipeline.call('EXPIRETIME', key).get(key)
        const answers = await pipeline.exec() ?? []
        for (const [i, full] of keys.entries()) {
          const until = Number(answers[2 * i]?.[1])
          const value = answers[2 * i + 1]?.[1] as string | null | undefined
          if (!(until > 0) || value == null) continue
          const key = full.slice(prefix.length)
          await apply(key.startsWith('nb:') ? { op: 'nb', key: key.slice(3), second: Number(value), until } : { op: 'add', key, until })
        }
      } while (cursor !== '0')
    }
  }

  /** Follows the journal for as long as the store lives; (re)loads everything after each (re)connection. */
  async function follow (): Promise<void> {
    let last = '0-0'
    // Ends when the store is closed (its reader disconnected, the read in flight fails).
    for (;;) {
      if (closed) return
      try {
        if (!synced) {
          if (redis.status !== 'ready' || reader.status !== 'ready') {
            await sleep(RETRY_MS)
            continue
          }
          // The journal's newest entry before the load: whatever comes after it is read next.
          last = (await redis.xrevrange(journal, '+', '-', 'COUNT', 1))[0]?.[0] ?? '0-0'
          await load()
          synced = true
          heard = Date.now()
          becameReady()
        }
        const answer = await reader.xread('COUNT', 1000, 'BLOCK', FOLLOW_BLOCK_MS, 'STREAMS', journal, last) as Array<[string, Array<[string, string[]]>]> | null
        heard = Date.now()
        for (const [, entries] of answer ?? []) {
          for (const [id, fields] of entries) {
            last = id
            await apply(JSON.parse(fields[1] ?? '{}') as JournalEntry)
          }
        }
      } catch (err) {
        if (closed) return
        if (synced) onError(err as Error)
        synced = false
        await sleep(RETRY_MS)
      }
    }
  }

  reader.connect().catch(() => {})
  follow().catch(onError)

  return {
    ready,
    async add (key, until) {
      await shared.add(key, until)
      await apply({ op: 'add', key, until })
    },
    async has (key) {
      return trusted() ? await mirror.has(key) : await shared.has(key)
    },
    // A claim must be atomic across instances: Redis alone decides.
    claim: shared.claim,
    release: shared.release,
    async setNotBefore (sub, second, until) {
      await shared.setNotBefore(sub, second, until)
      await apply({ op: 'nb', key: sub, second, until })
    },
    async notBefore (sub) {
      return trusted() ? await mirror.notBefore(sub) : await shared.notBefore(sub)
    },
    async close () {
      closed = true
      await mirror.close()
      reader.disconnect()
    }
  }
}
