// Revocation: which sessions have ended (by session id, until their tokens expire) and the check every verified token passes.
import { digest } from '../../digest.ts'
import { DEVICE_TTL_SECONDS, nowSeconds } from '../../time.ts'
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { failingAsUnavailable } from './redis.ts'
import { createMirroredRedisRevocationStore } from './revocation-redis.ts'
import { createMemoryRevocationStore, type RevocationStore } from './revocation-store.ts'

export { createMemoryRevocationStore, type RevocationStore } from './revocation-store.ts'

/**
 * A token as revocation sees it: whose it is, the session it belongs to (sessionIdOf,
 * session-model.ts: every token of one sign-in shares it), when it was issued and when it expires.
 */
export interface SessionToken {
  sub: string
  sessionId: string
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

const sessionKey = (sessionId: string) => `session:${sessionId}`
/** An admission names the mark it was made under: a later mark is not covered by it. */
const admittedKey = (token: SessionToken, mark: number) => `admitted:${mark}:${token.sessionId}`
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
     * Denies every token of the session `sessionId`. Not only until the presented token expires
     * (`until`): a copy of the cookies refreshed earlier holds a later-expiring token of the same
     * session, so the denial lasts as long as any access token issued until now can live.
     */
    async endSession (sessionId: string, until = 0): Promise<void> {
      await store.add(sessionKey(sessionId), Math.max(until, nowSeconds() + maxTokenLifetimeSeconds))
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
    async admit (token: SessionToken): Promise<void> {
      const mark = await store.notBefore(token.sub)
      if (mark !== undefined && token.iat <= mark) await store.add(admittedKey(token, mark), token.exp)
    },

    /** Whether a verified token belongs to a session that has ended. */
    async isDenied (token: SessionToken): Promise<boolean> {
      if (await store.has(sessionKey(token.sessionId))) return true
      const mark = await store.notBefore(token.sub)
      if (mark === undefined || token.iat > mark) return false
      return !(await store.has(admittedKey(token, mark)))
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
      return await store.claim(value, until)
    },

    /** Gives a claimed value back (a code Cognito refused was not used). */
    async release (value: string): Promise<void> {
      await store.release(value)
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
  const { redis, blockingRedis } = fastify
  if (store === undefined && redis !== undefined && blockingRedis !== undefined) {
    const log = fastify.log.child({ plugin: 'revocation' })
    const mirrored = createMirroredRedisRevocationStore({
      redis,
      // Its own connection: the mirror waits on it for the journal's next entries.
      reader: blockingRedis(),
      onError: (err) => log.warn({ err: err.message }, 'the revocation mirror lost Redis: reading it directly until it is back')
    })
    // With Redis up, the first requests already read the mirror; with Redis down, the server starts anyway.
    if (redis.status === 'ready') await Promise.race([mirrored.ready, new Promise((resolve) => setTimeout(resolve, 2000).unref())])
    store = failingAsUnavailable(mirrored, 'revocation', log)
  }
  store ??= createMemoryRevocationStore()
  const instance = createRevocation({ store, maxTokenLifetimeSeconds: 86_400, skewSeconds: fastify.config.clockSkewSeconds, markLifetimeSeconds: DEVICE_TTL_SECONDS })
  fastify.decorate('revocation', instance)
  fastify.addHook('onClose', async () => await instance.close())
}

export default fp(revocation, { name: 'revocation', dependencies: ['redis'] })
