// The user's own security activity (Query.securityEvents), derived from the audit stream
// (fastify.audit, src/plugins/app/audit.ts) and from nothing else: what happened is the audit's
// word, this file only chooses which events a user sees and whose account they are about. Kept
// 90 days, in Redis with REDIS_URL (every instance writes and reads the same lists), else in this
// process's memory, bounded per account and in all.
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import type { RedisClient as Redis } from './redis.ts'
import { LRUCache } from 'lru-cache'
import type { AuditEventName } from './audit-events.ts'
import type { AuditEvent } from './audit.ts'

/** One event as `Query.securityEvents` answers it. */
export interface SecurityEvent {
  type: string
  at: Date
  method: string | null
  ip: string | null
  userAgent: string | null
}

/** An event as stored: epoch milliseconds, absent rather than null. */
interface StoredEvent {
  type: string
  at: number
  method?: string
  ip?: string
  userAgent?: string
}

/** Where the lists live, one per account key (`u:<sub>` or `e:<email>`), newest first. */
export interface SecurityEventStore {
  push (key: string, event: StoredEvent): Promise<void>
  list (key: string): Promise<StoredEvent[]>
  remove (key: string): Promise<void>
}

export const RETENTION_SECONDS = 90 * 86_400
/** Events kept per account: the newest, as many as `securityEvents` answers at most. */
export const MAX_EVENTS_PER_ACCOUNT = 100
/** Accounts kept in memory (failed sign-ins name any email): the least recently written go first. */
const MAX_ACCOUNTS = 10_000
const MAX_USER_AGENT = 256

/**
 * The audit events a user sees, and whose they are: `actor`, the signed-in user who acted (or
 * whose session the act started); `named`, the account the act named by email (done without a
 * session, or by an administrator, whose own id the audit event carries). Failures are shown
 * only for sign-ins (`sign-in-failed`), always of the account named: the one someone tried.
 */
const SHOWN: Readonly<Partial<Record<AuditEventName, 'actor' | 'named'>>> = {
  'sign-in': 'actor',
  'federated-sign-in': 'actor',
  'sign-out': 'actor',
  'session-revoked': 'actor',
  'sessions-revoked': 'actor',
  'refresh-token-reused': 'actor',
  'password-changed': 'actor',
  'password-reset-requested': 'named',
  'password-reset': 'named',
  'mfa-changed': 'actor',
  'passkey-added': 'actor',
  'passkey-removed': 'actor',
  'device-remembered': 'actor',
  'device-forgotten': 'actor',
  'profile-changed': 'actor',
  'signed-out-by-admin': 'named',
  'password-reset-by-admin': 'named',
  'account-disabled': 'named',
  'account-enabled': 'named'
}

/** Failures that say nothing about the account (bad input, our outages): not shown. */
const NOT_ATTEMPTS = new Set(['BAD_USER_INPUT', 'SERVICE_UNAVAILABLE', 'INTERNAL_SERVER_ERROR', 'TOO_MANY_REQUESTS', 'NOT_SUPPORTED'])

const userKey = (userId: string) => `u:${userId}`
const emailKey = (email: string) => `e:${email}`

/** The account key an audit event is shown under, and what it is shown as; undefined for an event no user sees. */
export function securityEventOf (event: AuditEvent): { key: string, stored: StoredEvent } | undefined {
  const whose = SHOWN[event.event]
  if (whose === undefined || event.outcome === 'challenge') return undefined
  const failed = event.outcome === 'failure'
  if (failed && (event.event !== 'sign-in' || NOT_ATTEMPTS.has(event.code ?? ''))) return undefined
  const named = event.email === undefined ? undefined : emailKey(event.email)
  const actor = event.userId === undefined ? undefined : userKey(event.userId)
  const key = whose === 'named' || failed ? named : actor ?? named
  if (key === undefined) return undefined
  const method = event.method ?? event.provider
  return {
    key,
    stored: {
      type: failed ? `${event.event}-failed` : event.event,
      at: Date.parse(event.at),
      ...(method !== undefined ? { method } : {}),
      ...(event.address !== '' ? { ip: event.address } : {}),
      ...(event.userAgent !== undefined ? { userAgent: event.userAgent.slice(0, MAX_USER_AGENT) } : {})
    }
  }
}

/** Process memory, for one instance: MAX_ACCOUNTS lists of MAX_EVENTS_PER_ACCOUNT, each list living RETENTION_SECONDS after its last write. */
export function createMemorySecurityEventStore (): SecurityEventStore {
  const lists = new LRUCache<string, StoredEvent[]>({ max: MAX_ACCOUNTS, ttl: RETENTION_SECONDS * 1000 })
  return {
    async push (key, event) {
      lists.set(key, [event, ...(lists.get(key) ?? [])].slice(0, MAX_EVENTS_PER_ACCOUNT))
    },
    async list (key) {
      return lists.get(key) ?? []
    },
    async remove (key) {
      lists.delete(key)
    }
  }
}

/** Redis, shared by every instance: one list per account (one key, so one slot of a cluster), trimmed and expiring with each write. */
export function createRedisSecurityEventStore (redis: Redis, prefix = 'auth-security-events:'): SecurityEventStore {
  return {
    async push (key, event) {
      await redis.multi().lpush(prefix + key, JSON.stringify(event)).ltrim(prefix + key, 0, MAX_EVENTS_PER_ACCOUNT - 1).expire(prefix + key, RETENTION_SECONDS).exec()
    },
    async list (key) {
      return (await redis.lrange(prefix + key, 0, MAX_EVENTS_PER_ACCOUNT - 1)).flatMap((text) => {
        try {
          return [JSON.parse(text) as StoredEvent]
        } catch {
          return []
        }
      })
    },
    async remove (key) {
      await redis.del(prefix + key)
    }
  }
}

export interface SecurityEventsOptions {
  store: SecurityEventStore
  /** Epoch milliseconds. */
  now?: () => number
}

/** Recording from audit events, and the list of one user's. */
export function createSecurityEvents ({ store, now = Date.now }: SecurityEventsOptions) {
  return {
    /** Keeps what a user sees of an audit event; a deleted account's lists go with it. */
    async record (event: AuditEvent): Promise<void> {
      if (event.event === 'account-deleted' && event.outcome === 'success') {
        // An administrator's deletion carries the administrator's id: only the email named is the account's.
        const keys = [event.email === undefined ? undefined : emailKey(event.email), event.operation === 'deleteAccount' && event.userId !== undefined ? userKey(event.userId) : undefined]
        await Promise.all(keys.flatMap((key) => key === undefined ? [] : [store.remove(key)]))
        return
      }
      const shown = securityEventOf(event)
      if (shown !== undefined) await store.push(shown.key, shown.stored)
    },

    /** The newest `first` events of the user: those of their id and of their email (acts that named it), within the retention. */
    async list (account: { userId: string, email?: string }, first: number): Promise<SecurityEvent[]> {
      const keys = [userKey(account.userId), ...(account.email !== undefined ? [emailKey(account.email)] : [])]
      const since = now() - RETENTION_SECONDS * 1000
      const events = (await Promise.all(keys.map(async (key) => await store.list(key)))).flat()
      return events
        .filter((event) => event.at > since)
        .sort((a, b) => b.at - a.at)
        .slice(0, first)
        .map((event) => ({ type: event.type, at: new Date(event.at), method: event.method ?? null, ip: event.ip ?? null, userAgent: event.userAgent ?? null }))
    }
  }
}

export type SecurityEvents = ReturnType<typeof createSecurityEvents>

declare module 'fastify' {
  interface FastifyInstance {
    /** The users' own security activity, from the audit stream. */
    securityEvents: SecurityEvents
  }
}

async function securityEvents (fastify: FastifyInstance): Promise<void> {
  const store = fastify.redis === undefined ? createMemorySecurityEventStore() : createRedisSecurityEventStore(fastify.redis)
  const instance = createSecurityEvents({ store })
  // A listener of the audit stream: a failure to keep an event is logged, never a failed request.
  fastify.audit.on('event', (event: AuditEvent) => {
    instance.record(event).catch((err: unknown) => fastify.log.warn({ err: (err as Error).message, event: event.event }, 'could not keep a security event'))
  })
  fastify.decorate('securityEvents', instance)
}

export default fp(securityEvents, { name: 'security-events', dependencies: ['audit', 'redis'] })
