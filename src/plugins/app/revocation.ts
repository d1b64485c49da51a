import { digest } from '../../digest.ts'
import { nowSeconds } from '../../time.ts'
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import type { Redis } from 'ioredis'
import { DEVICE_TTL_SECONDS } from './devices.ts'

/**
 * Where revocations live. Two primitives, both expiring: a set of denied (or admitted) keys,
 * and a per-user "not before" second. The memory store serves one instance; a shared store
 * (Redis) implements the same interface for several.
 */
export interface RevocationStore {
  /** Remembers `key` until `until` (epoch seconds). */
  add (key: string, until: number): Promise<void>
  has (key: string): Promise<boolean>
  /** Remembers `key` until `until` unless it is already known; true when this call added it (atomic). */
  addIfAbsent (key: string, until: number): Promise<boolean>
  /** Forgets `key`. */
  remove (key: string): Promise<void>
  /** Records that every token of `sub` issued at or before `second` is void, until `until`. */
  setNotBefore (sub: string, second: number, until: number): Promise<void>
  notBefore (sub: string): Promise<number | undefined>
  close (): Promise<void>
}

/** Process memory; expired entries are swept once a minute. */
export function createMemoryRevocationStore (): RevocationStore {
  const keys = new Map<string, number>()
  const marks = new Map<string, { second: number, until: number }>()
  const sweep = setInterval(() => {
    const now = nowSeconds()
    for (const [key, until] of keys) if (until <= now) keys.delete(key)
    for (const [sub, mark] of marks) if (mark.until <= now) marks.delete(sub)
  }, 60_000)
  sweep.unref()

  return {
    async add (key, until) {
      keys.set(key, Math.max(until, keys.get(key) ?? 0))
    },
    async has (key) {
      const until = keys.get(key)
      return until !== undefined && until > nowSeconds()
    },
    async addIfAbsent (key, until) {
      // Checked and set with no await in between: two claims of one code cannot both win.
      const current = keys.get(key)
      if (current !== undefined && current > nowSeconds()) return false
      keys.set(key, until)
      return true
    },
    async remove (key) {
      keys.delete(key)
    },
    async setNotBefore (sub, second, until) {
      const current = marks.get(sub)
      marks.set(sub, { second: Math.max(second, current?.second ?? 0), until: Math.max(until, current?.until ?? 0) })
    },
    async notBefore (sub) {
      const mark = marks.get(sub)
      return mark !== undefined && mark.until > nowSeconds() ? mark.second : undefined
    },
    async close () {
      clearInterval(sweep)
    }
  }
}

// Keeps the later of two marks: a mark never moves back.
const SET_NOT_BEFORE = `
local current = redis.call('GET', KEYS[1])
if not current or tonumber(current) < tonumber(ARGV[1]) then
  redis.call('SET', KEYS[1], ARGV[1], 'EXAT', ARGV[2])
end
return 1`

/** Redis, shared by every instance. Keys expire by themselves (EXAT). */
export function createRedisRevocationStore (redis: Redis, prefix = 'auth-revocation:'): RevocationStore {
  return {
    async add (key, until) {
      await redis.set(prefix + key, '1', 'EXAT', until)
    },
    async has (key) {
      return (await redis.exists(prefix + key)) === 1
    },
    async addIfAbsent (key, until) {
      return (await redis.set(prefix + key, '1', 'EXAT', until, 'NX')) === 'OK'
    },
    async remove (key) {
      await redis.del(prefix + key)
    },
    async setNotBefore (sub, second, until) {
      await redis.eval(SET_NOT_BEFORE, 1, `${prefix}nb:${sub}`, second, until)
    },
    async notBefore (sub) {
      const value = await redis.get(`${prefix}nb:${sub}`)
      return value === null ? undefined : Number(value)
    },
    // The connection belongs to the redis plugin.
    async close () {}
  }
}

/** How often a mirror re-reads Redis whole, to heal a pub/sub message that was lost. */
const RESYNC_MS = 30_000

interface RevocationMessage { op: 'add' | 'nb' | 'del', key: string, second?: number, until: number }

/**
 * Redis as the shared truth, mirrored in process memory so that the checks on every request
 * cost no network round trip. Writes go to Redis and are published; every instance applies
 * them to its mirror on receipt (milliseconds). Pub/sub is at-most-once, so the mirror is
 * re-read whole every RESYNC_MS, and while the subscription is down reads go to Redis directly:
 * a revocation reaches every instance within milliseconds, within RESYNC_MS at worst.
 */
export function createMirroredRedisRevocationStore (redis: Redis, subscriber: Redis, prefix = 'auth-revocation:', onError: (err: Error) => void = () => {}): RevocationStore & { ready: Promise<void> } {
  const shared = createRedisRevocationStore(redis, prefix)
  const mirror = createMemoryRevocationStore()
  const channel = `${prefix}events`
  let synced = false

  const apply = async (message: RevocationMessage) => {
    if (message.op === 'add') await mirror.add(message.key, message.until)
    else if (message.op === 'del') await mirror.remove(message.key)
    else await mirror.setNotBefore(message.key, message.second ?? 0, message.until)
  }
  const publish = async (message: RevocationMessage) => {
    await apply(message)
    await redis.publish(channel, JSON.stringify(message))
  }

  /** Reads every live entry of Redis into the mirror. */
  async function resync (): Promise<void> {
    let cursor = '0'
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000)
      cursor = next
      for (const full of keys) {
        const key = full.slice(prefix.length)
        const until = await redis.call('EXPIRETIME', full) as number
        if (until <= 0) continue
        if (key.startsWith('nb:')) {
          const second = await redis.get(full)
          if (second !== null) await mirror.setNotBefore(key.slice(3), Number(second), until)
        } else {
          await mirror.add(key, until)
        }
      }
    } while (cursor !== '0')
  }

  subscriber.on('message', (_channel: string, text: string) => {
    apply(JSON.parse(text) as RevocationMessage).catch(onError)
  })
  // ioredis re-subscribes after a reconnect; the mirror is only trusted again once re-read.
  subscriber.on('close', () => { synced = false })
  subscriber.on('ready', () => {
    resync().then(() => { synced = true }, onError)
  })
  const ready = subscriber.subscribe(channel).then(resync).then(() => { synced = true })
  const timer = setInterval(() => { resync().catch(onError) }, RESYNC_MS)
  timer.unref()

  return {
    ready,
    async add (key, until) {
      await shared.add(key, until)
      await publish({ op: 'add', key, until })
    },
    async has (key) {
      return synced ? await mirror.has(key) : await shared.has(key)
    },
    async addIfAbsent (key, until) {
      // A claim must be atomic across instances: Redis decides.
      const added = await shared.addIfAbsent(key, until)
      if (added) await publish({ op: 'add', key, until })
      return added
    },
    async remove (key) {
      await shared.remove(key)
      await publish({ op: 'del', key, until: 0 })
    },
    async setNotBefore (sub, second, until) {
      await shared.setNotBefore(sub, second, until)
      await publish({ op: 'nb', key: sub, second, until })
    },
    async notBefore (sub) {
      return synced ? await mirror.notBefore(sub) : await shared.notBefore(sub)
    },
    async close () {
      clearInterval(timer)
      await mirror.close()
      subscriber.disconnect()
    }
  }
}

/** The claims revocation looks at. `origin_jti` is shared by every token of one authentication. */
export interface TokenClaims {
  sub: string
  jti: string
  origin_jti?: string
  iat: number
  exp: number
}

export interface RevocationOptions {
  store: RevocationStore
  /** How long a "not before" mark must last: the longest life of an access token (Cognito's maximum is one day). */
  maxTokenLifetimeSeconds: number
  /** How far this server's clock and Cognito's may be apart. */
  skewSeconds?: number
  /** How long a "not before" mark is kept: at least the token lifetime, and as long as what is bound to it (known devices). */
  markLifetimeSeconds?: number
}

/** How long a "user changed" mark is kept: longer than a finished refresh is reused (30 s). */
const CHANGE_MARK_SECONDS = 120

const sessionKey = (claims: Pick<TokenClaims, 'jti' | 'origin_jti'>) => `session:${claims.origin_jti ?? claims.jti}`
/** An admission names the mark it was made under: a later mark is not covered by it. */
const admittedKey = (claims: TokenClaims, mark: number) => `admitted:${mark}:${claims.origin_jti ?? claims.jti}`
const refreshKey = (refreshToken: string) => `refresh:${digest(refreshToken)}`

/**
 * The rules of ending sessions (README "Ending sessions", docs/cookies.md), on top of a store.
 *
 * A global sign-out sets a per-user "not before" mark compared with the tokens' `iat`, which
 * Cognito's clock wrote in whole seconds. So the mark reaches `skewSeconds` past this server's
 * clock: every token Cognito issued up to then is void, whichever way the clocks differ, and so
 * is a refresh Cognito served while its own sign-out was still under way. A fresh
 * authentication made through this server in that window is admitted explicitly (`admit`), by
 * the code that performed it, and only against the mark it was made under: every later global
 * sign-out moves the mark at least one second on, so no admission outlives it.
 */
export function createRevocation ({ store, maxTokenLifetimeSeconds, skewSeconds = 5, markLifetimeSeconds = maxTokenLifetimeSeconds }: RevocationOptions) {
  return {
    /**
     * Denies every token of the session `claims` belongs to. Not only until the presented token
     * expires: a copy of the cookies refreshed earlier holds a later-expiring token of the same
     * session, so the denial lasts as long as any access token issued until now can live.
     */
    async endSession (claims: Pick<TokenClaims, 'jti' | 'origin_jti'> & { exp?: number }): Promise<void> {
      await store.add(sessionKey(claims), Math.max(claims.exp ?? 0, nowSeconds() + maxTokenLifetimeSeconds))
    },

    /** Denies a refresh token, so a refresh in flight when the session ended sets no cookies. */
    async revokeRefreshToken (refreshToken: string, until: number): Promise<void> {
      await store.add(refreshKey(refreshToken), until)
    },

    async isRefreshTokenRevoked (refreshToken: string): Promise<boolean> {
      return await store.has(refreshKey(refreshToken))
    },

    /** Voids every token of the user issued up to now (and `skewSeconds` on). Call it before Cognito's global sign-out. */
    async endAllSessions (sub: string): Promise<void> {
      const now = nowSeconds()
      // Always past the current mark, so that this sign-out voids what an earlier one admitted
      // (the store keeps the later of two marks written at once by two instances).
      const current = await store.notBefore(sub)
      await store.setNotBefore(sub, Math.max(now + skewSeconds, (current ?? 0) + 1), now + markLifetimeSeconds)
    },

    /** Lets a fresh authentication, made by the caller just now, through the mark that reaches past it (that mark only). */
    async admit (claims: TokenClaims): Promise<void> {
      const mark = await store.notBefore(claims.sub)
      if (mark !== undefined && claims.iat <= mark) await store.add(admittedKey(claims, mark), claims.exp)
    },

    /** Whether a verified token belongs to a session that has ended. */
    async isDenied (claims: TokenClaims): Promise<boolean> {
      if (await store.has(sessionKey(claims))) return true
      const mark = await store.notBefore(claims.sub)
      if (mark === undefined || claims.iat > mark) return false
      return !(await store.has(admittedKey(claims, mark)))
    },

    /**
     * Notes that the user changed at Cognito (an administrator's group change): a refresh
     * finished before now is not handed out again (session-lifecycle.ts, refreshOnce).
     */
    async markUserChanged (sub: string): Promise<void> {
      const now = nowSeconds()
      await store.setNotBefore(`changed:${sub}`, now, now + CHANGE_MARK_SECONDS)
    },

    /** Whether the user changed in or after the second tokens were issued (unknown tokens count as changed). */
    async changedSince (issued: { sub: string, iat: number } | undefined): Promise<boolean> {
      if (issued === undefined) return true
      const mark = await store.notBefore(`changed:${issued.sub}`)
      return mark !== undefined && mark >= issued.iat
    },

    /**
     * The user's current "not before" mark (0 when none): what is bound to it (a known device)
     * lives until the next global sign-out moves it.
     */
    async markOf (sub: string): Promise<number> {
      return await store.notBefore(sub) ?? 0
    },

    /**
     * Claims a one-time value (a TOTP code of a user, say) until `until`: true the first time,
     * false for every replay, across instances when the store is shared.
     */
    async claimOnce (value: string, until: number): Promise<boolean> {
      return await store.addIfAbsent(`once:${value}`, until)
    },

    /** Gives a claimed value back (a code Cognito refused was not used). */
    async release (value: string): Promise<void> {
      await store.remove(`once:${value}`)
    },

    close: () => store.close()
  }
}

export type Revocation = ReturnType<typeof createRevocation>

declare module 'fastify' {
  interface FastifyInstance {
    revocation: Revocation
  }
}

export interface RevocationPluginOptions {
  /** A store to use instead of Redis (REDIS_URL) or process memory. */
  store?: RevocationStore
}

async function revocation (fastify: FastifyInstance, opts: RevocationPluginOptions): Promise<void> {
  let store = opts.store
  if (store === undefined && fastify.redis !== undefined) {
    const mirrored = createMirroredRedisRevocationStore(fastify.redis, fastify.redis.duplicate(), undefined, (err) => fastify.log.warn({ err: err.message }, 'revocation mirror'))
    await mirrored.ready
    store = mirrored
  }
  store ??= createMemoryRevocationStore()
  const instance = createRevocation({ store, maxTokenLifetimeSeconds: 86_400, skewSeconds: fastify.config.clockSkewSeconds, markLifetimeSeconds: DEVICE_TTL_SECONDS })
  fastify.decorate('revocation', instance)
  fastify.addHook('onClose', async () => await instance.close())
}

export default fp(revocation, { name: 'revocation', dependencies: ['redis'] })
