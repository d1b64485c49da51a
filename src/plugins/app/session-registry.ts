// The sessions a user can see and end (Query.sessions, revokeSession). Cognito keeps no list of
// a user's sessions; every session starts through this server, so it keeps one: by session id
// (Cognito's `origin_jti`, shared by every token of one sign-in), bounded, each entry expiring
// with its session. Whether a session is still live is revocation's word, never the registry's.
import type { FastifyBaseLogger } from 'fastify'
import { LRUCache } from 'lru-cache'
import type { AppError } from '../../errors.ts'
import type { createSealer } from '../../seal.ts'
import { nowSeconds } from '../../time.ts'
import type { CognitoAdapter } from './cognito.ts'
import type { RedisClient } from './redis.ts'
import type { Revocation } from './revocation.ts'

/** One session as the registry keeps it. Times are epoch seconds. */
export interface SessionRecord {
  id: string
  userId: string
  /** When the sign-in happened (its first token's `iat`): a "not before" mark is compared with it. */
  createdAt: number
  lastSeenAt: number
  userAgent?: string
  ip?: string
  /** The session's current refresh token, sealed with COOKIE_SECRET: what ending it revokes at Cognito. */
  refresh?: string
  /** When the session ends at the latest (its refresh token's lifetime). */
  exp: number
}

/** Where the records live: process memory, or Redis shared by every instance. */
export interface SessionRegistryStore {
  put (record: SessionRecord): Promise<void>
  get (id: string): Promise<SessionRecord | undefined>
  /** The user's records that have not expired. */
  listOf (userId: string): Promise<SessionRecord[]>
  /** Sets `lastSeenAt` of a record that exists (never creates one). */
  touch (id: string, at: number): Promise<void>
  remove (id: string): Promise<void>
}

/** Bounds: sessions kept per user (a new one past it ends the oldest) and, in memory, in all. */
export const MAX_SESSIONS_PER_USER = 50
const MAX_SESSIONS = 100_000

/** Process memory, for one instance: at most MAX_SESSIONS records, the least recently written dropped first. */
export function createMemorySessionStore (now: () => number = nowSeconds): SessionRegistryStore {
  const byUser = new Map<string, Set<string>>()
  const records = new LRUCache<string, SessionRecord>({
    max: MAX_SESSIONS,
    // A record pushed out by the bound leaves its user's index too.
    dispose: (record, id, reason) => {
      if (reason !== 'evict') return
      const set = byUser.get(record.userId)
      set?.delete(id)
      if (set?.size === 0) byUser.delete(record.userId)
    }
  })
  const live = (id: string) => {
    const record = records.get(id)
    return record !== undefined && record.exp > now() ? record : undefined
  }
  const ids = (userId: string) => {
    const set = byUser.get(userId) ?? new Set<string>()
    for (const id of set) if (live(id) === undefined) set.delete(id)
    if (set.size === 0) byUser.delete(userId)
    return set
  }
  return {
    async put (record) {
      records.set(record.id, record)
      const set = ids(record.userId)
      set.add(record.id)
      byUser.set(record.userId, set)
      const oldest = [...set].map((id) => records.get(id) as SessionRecord).sort((a, b) => a.createdAt - b.createdAt)
      for (const drop of oldest.slice(0, Math.max(0, set.size - MAX_SESSIONS_PER_USER))) {
        set.delete(drop.id)
        records.delete(drop.id)
      }
    },
    async get (id) {
      return live(id)
    },
    async listOf (userId) {
      return [...ids(userId)].flatMap((id) => live(id) ?? [])
    },
    async touch (id, at) {
      const record = live(id)
      if (record !== undefined) record.lastSeenAt = at
    },
    async remove (id) {
      const record = records.get(id)
      records.delete(id)
      if (record !== undefined) byUser.get(record.userId)?.delete(id)
    }
  }
}

// Indexes a session under its user (scored by expiry), drops the user's expired entries and, past
// the bound, the ones that end first, and answers the ids it dropped; the index lives as long as its
// longest entry. One key only: on a Redis Cluster the records, keys of their own, live on other nodes.
const INDEX = `
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[3])
local dropped = {}
local extra = redis.call('ZCARD', KEYS[1]) - tonumber(ARGV[4])
if extra > 0 then
  dropped = redis.call('ZRANGE', KEYS[1], 0, extra - 1)
  redis.call('ZREMRANGEBYRANK', KEYS[1], 0, extra - 1)
end
if redis.call('EXPIRETIME', KEYS[1]) < tonumber(ARGV[1]) then redis.call('EXPIREAT', KEYS[1], ARGV[1]) end
return dropped`

// A record, written whole and expiring with its session.
const WRITE = `
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], unpack(ARGV, 2))
redis.call('EXPIREAT', KEYS[1], ARGV[1])
return 1`

const TOUCH = `
if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('HSET', KEYS[1], 'lastSeenAt', ARGV[1]) end
return 1`

const FIELDS = ['userId', 'createdAt', 'lastSeenAt', 'userAgent', 'ip', 'refresh', 'exp'] as const

function fromHash (id: string, hash: Record<string, string>): SessionRecord | undefined {
  if (hash.userId === undefined || hash.exp === undefined) return undefined
  return {
    id,
    userId: hash.userId,
    createdAt: Number(hash.createdAt),
    lastSeenAt: Number(hash.lastSeenAt),
    exp: Number(hash.exp),
    ...(hash.userAgent !== undefined ? { userAgent: hash.userAgent } : {}),
    ...(hash.ip !== undefined ? { ip: hash.ip } : {}),
    ...(hash.refresh !== undefined ? { refresh: hash.refresh } : {})
  }
}

/**
 * Redis, shared by every instance: a hash per session and a sorted set per user; every key expires
 * by itself. Every command names one key (a Redis Cluster keeps them on different nodes): a record
 * is written before it is indexed, and an index entry whose record is gone is skipped, so a failure
 * between the two leaves nothing a user would see.
 */
export function createRedisSessionStore (redis: RedisClient, prefix = 'auth-session:', now: () => number = nowSeconds): SessionRegistryStore {
  const sessionKey = (id: string) => `${prefix}s:${id}`
  const userKey = (userId: string) => `${prefix}u:${userId}`
  return {
    async put (record) {
      const fields = FIELDS.flatMap((name) => record[name] === undefined ? [] : [name, String(record[name])])
      await redis.eval(WRITE, 1, sessionKey(record.id), record.exp, ...fields)
      const dropped = await redis.eval(INDEX, 1, userKey(record.userId), record.exp, record.id, now(), MAX_SESSIONS_PER_USER) as string[]
      await Promise.all(dropped.map(async (id) => await redis.del(sessionKey(id))))
    },
    async get (id) {
      return fromHash(id, await redis.hgetall(sessionKey(id)))
    },
    async listOf (userId) {
      const ids = await redis.zrangebyscore(userKey(userId), `(${now()}`, '+inf')
      // Sent together, each to its record's node: one round trip per node, not one per session.
      const hashes = await Promise.all(ids.map(async (id) => await redis.hgetall(sessionKey(id))))
      return ids.flatMap((id, i) => fromHash(id, hashes[i] ?? {}) ?? [])
    },
    async touch (id, at) {
      await redis.eval(TOUCH, 1, sessionKey(id), at)
    },
    async remove (id) {
      const userId = await redis.hget(sessionKey(id), 'userId')
      await Promise.all([redis.del(sessionKey(id)), ...(userId !== null ? [redis.zrem(userKey(userId), id)] : [])])
    }
  }
}

/** A session as `Query.sessions` shows it. */
export interface SessionView {
  id: string
  current: boolean
  createdAt: Date
  lastSeenAt: Date | null
  userAgent: string | null
  ip: string | null
}

/** What starting (or rotating) a session tells the registry. */
export interface SessionStart {
  id: string
  /** The id the session had before a rotating refresh, when Cognito gave it a new one. */
  previousId?: string
  userId: string
  /** The first token's `iat`. */
  createdAt: number
  exp: number
  refreshToken?: string
  userAgent?: string
  ip?: string
}

export interface SessionRegistryOptions {
  store: SessionRegistryStore
  sealer: ReturnType<typeof createSealer>
  revocation: Revocation
  cognito: CognitoAdapter
  logger: FastifyBaseLogger
  /** At most one `lastSeenAt` write per session in this many seconds (per instance). */
  touchIntervalSeconds?: number
  now?: () => number
}

const SEAL_PURPOSE = 'session-registry'
/** A user agent is shown, not parsed: a long one is cut. */
const MAX_USER_AGENT = 256

/** A recorded session as the user sees it; `currentId` marks the caller's. */
function viewOf (record: SessionRecord, currentId: string | undefined): SessionView {
  return {
    id: record.id,
    current: record.id === currentId,
    createdAt: new Date(record.createdAt * 1000),
    lastSeenAt: new Date(record.lastSeenAt * 1000),
    userAgent: record.userAgent ?? null,
    ip: record.ip ?? null
  }
}

/** The registry: `record` for every session started, `touch` on every request, `list` and `revoke` for the user. */
export function createSessionRegistry ({ store, sealer, revocation, cognito, logger, touchIntervalSeconds = 60, now = nowSeconds }: SessionRegistryOptions) {
  /** When this instance last wrote each session's `lastSeenAt`: the check that keeps writes off most requests. */
  const written = new LRUCache<string, number>({ max: 100_000 })
  const warn = (message: string) => (err: unknown) => logger.warn({ code: (err as AppError).code, err: (err as Error).message }, message)
  /** A record whose session a sign-out, a "not before" mark or revokeSession has ended. */
  const ended = async (record: SessionRecord) =>
    await revocation.isDenied({ sub: record.userId, sessionId: record.id, iat: record.createdAt, exp: record.exp })

  /** Ends a recorded session at once on every instance and revokes its refresh token, here and at Cognito. */
  async function end (record: SessionRecord): Promise<void> {
    await revocation.endSession(record.id)
    await store.remove(record.id)
    const token = sealer.unseal<string>(SEAL_PURPOSE, record.refresh)
    if (token === undefined) return
    await revocation.revokeRefreshToken(token, record.exp)
    // The session is over here whatever Cognito says; an already void token is no failure.
    await cognito.revokeRefreshToken(token).catch((err: unknown) => {
      if ((err as AppError).code !== 'INVALID_CREDENTIALS') warn('could not revoke the refresh token of an ended session at Cognito')(err)
    })
  }

  /**
   * Makes room for a new session of `userId`: past MAX_SESSIONS_PER_USER the oldest sessions end
   * (not only leave the list): a session the user can neither see nor revoke must not stay signed in.
   */
  async function makeRoom (userId: string, keeping: ReadonlySet<string>): Promise<void> {
    const others = (await store.listOf(userId)).filter((record) => !keeping.has(record.id))
    const extra = others.length + 1 - MAX_SESSIONS_PER_USER
    if (extra <= 0) return
    for (const record of others.sort((x, y) => x.createdAt - y.createdAt).slice(0, extra)) await end(record)
  }

  return {
    /**
     * Records a session that starts (sign-in, challenge, password change, federated) or a refresh
     * that rotated its refresh token; a new session past the bound ends the user's oldest.
     */
    async record (start: SessionStart): Promise<void> {
      const earlier = await store.get(start.previousId ?? start.id)
      if (earlier === undefined) await makeRoom(start.userId, new Set([start.id, start.previousId ?? start.id]))
      const at = now()
      await store.put({
        id: start.id,
        userId: start.userId,
        createdAt: earlier?.createdAt ?? start.createdAt,
        lastSeenAt: at,
        exp: start.exp,
        ...(start.userAgent !== undefined ? { userAgent: start.userAgent.slice(0, MAX_USER_AGENT) } : {}),
        ...(start.ip !== undefined ? { ip: start.ip } : {}),
        ...(start.refreshToken !== undefined ? { refresh: sealer.seal(SEAL_PURPOSE, start.refreshToken) } : earlier?.refresh !== undefined ? { refresh: earlier.refresh } : {})
      })
      if (earlier !== undefined && earlier.id !== start.id) await store.remove(earlier.id)
      written.set(start.id, at)
    },

    /**
     * Notes that a session was seen now: synchronous and cheap on most requests (a memory
     * lookup); at most once per interval a write is started and not awaited.
     */
    touch (id: string): void {
      const at = now()
      const last = written.get(id)
      if (last !== undefined && at - last < touchIntervalSeconds) return
      written.set(id, at)
      store.touch(id, at).catch(warn('could not record when a session was last seen'))
    },

    /** The user's live sessions, newest first; `currentId` marks the caller's (a session read live on this request). */
    async list (userId: string, currentId: string | undefined): Promise<SessionView[]> {
      const records = await store.listOf(userId)
      const views: SessionView[] = []
      for (const record of records) {
        // The caller's own session was read live on this request: no second look-up for it.
        if (record.id !== currentId && await ended(record)) {
          store.remove(record.id).catch(warn('could not forget an ended session'))
          continue
        }
        views.push(viewOf(record, currentId))
      }
      return views.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
    },

    /**
     * Ends one session of `userId` at once on every instance (revocation's per-session denial)
     * and revokes its refresh token, here and at Cognito. False, and nothing done, for an id that
     * is not a live session of this user: another user's id answers exactly as an unknown one.
     */
    async revoke (userId: string, id: string): Promise<boolean> {
      const record = await store.get(id)
      if (record === undefined || record.userId !== userId || await ended(record)) return false
      await end(record)
      return true
    },

    /** Ends every live session of `userId` but `currentId`, each as `revoke` ends one: how many it ended. */
    async revokeOthers (userId: string, currentId: string | undefined): Promise<number> {
      const others = (await store.listOf(userId)).filter((record) => record.id !== currentId)
      let ended = 0
      for (const record of others) if (await this.revoke(userId, record.id)) ended++
      return ended
    },

    /** The session's current refresh token, when the registry holds it (to end a session family at Cognito). */
    async refreshTokenOf (id: string): Promise<{ token: string, exp: number } | undefined> {
      const record = await store.get(id)
      const token = sealer.unseal<string>(SEAL_PURPOSE, record?.refresh)
      return record === undefined || token === undefined ? undefined : { token, exp: record.exp }
    },

    /** Forgets a session that ended (its denial is revocation's; this only keeps the list short). */
    forget (id: string): void {
      written.delete(id)
      store.remove(id).catch(warn('could not forget an ended session'))
    }
  }
}

export type SessionRegistry = ReturnType<typeof createSessionRegistry>
