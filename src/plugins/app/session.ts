// The session manager decorated on the instance (sessions): the request's caller, and start, refresh, renew and end of a session.
import { randomBytes } from 'node:crypto'
import fp from 'fastify-plugin'
import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { LRUCache } from 'lru-cache'
import type { Config, PoolConfig } from '../../config.ts'
import { digest } from '../../digest.ts'
import { AppError } from '../../errors.ts'
import { createSealer } from '../../seal.ts'
import type { HeldChallenge } from './challenge.ts'
import type { CognitoAdapter, PendingChallenge, RememberedDevice, Tokens } from './cognito.ts'
import { DEVICE_TTL_SECONDS } from '../../time.ts'
import { deviceStands, knownDevice, trustDevice, type DeviceBinding, type DeviceState } from './devices.ts'
import { createFollowUps } from './follow-ups.ts'
import { failingAsUnavailable } from './redis.ts'
import type { Revocation } from './revocation.ts'
import { cookieJar, sealedCookie, type CookieSettings, type SealedCookie, type SealedCookieOptions } from './sealed-cookie.ts'
import * as lifecycle from './session-lifecycle.ts'
import type { EndAllOptions, RefreshState, Session, SessionDeps, SignInFactor } from './session-lifecycle.ts'
import { createPasskeyReview } from './passkey-review.ts'
import { createRequestCaller, type RequestCaller } from './request-caller.ts'
import { createMemorySessionStore, createRedisSessionStore, createSessionRegistry, type SessionRegistryStore } from './session-registry.ts'
import { createTokenVerifier } from './token-verifier.ts'

export type { Authentication, Session, SignInFactor, UserProfile } from './session-lifecycle.ts'
export type { RequestCaller } from './request-caller.ts'

const kCaller = Symbol('caller')

declare module 'fastify' {
  interface FastifyRequest {
    [kCaller]: RequestCaller | null
  }
}

/** What the sealed email-change cookie carries: the address a user asked to change to, bound to that user. */
export interface EmailChangeState {
  sub: string
  email: string
  /**
   * Cognito refused the address (another account has it): nothing was sent and nothing is
   * pending, but the client is answered as if it were, so that it learns nothing.
   */
  taken: boolean
  exp: number
}

/** A pending email change is remembered as long as Cognito's verification code lives. */
const EMAIL_CHANGE_TTL_SECONDS = 86400
/** Cognito keeps a challenge session for three minutes. */
const CHALLENGE_TTL_SECONDS = 180
/**
 * The challenge cookie's sealed size: Cognito's challenge sessions (about a kilobyte on AWS) and a
 * stand-in's fit in it, so the cookie is as long for an unknown email as for an account.
 */
const CHALLENGE_PADDING = 2048
/** How long a finished refresh is reused for requests that still carry the old refresh cookie. */
const REFRESH_REUSE_MS = 30_000

/**
 * Answers a held challenge at most once. Cognito's challenge sessions answer once; this server
 * holds to that itself, so a replayed challenge cookie gets nothing even from an identity
 * provider that would take it again. The claim comes first: an answer sent to a spent challenge
 * reaches nothing, and its code is neither verified nor used up (the user can still sign in with
 * it). A refused answer Cognito lets be retried (a wrong emailed code) gives the claim back and
 * keeps the cookie; a challenge Cognito no longer honours, a refused passkey or password, or a
 * wrong MFA code (`challengeEnded`: Cognito spends the session on those) clears it (the user signs
 * in again).
 */
async function answerChallenge<T> (cookie: SealedCookie<HeldChallenge>, revocation: Revocation, reply: FastifyReply, held: HeldChallenge, respond: () => Promise<T>): Promise<T> {
  const spent = `challenge:${digest(held.session)}`
  if (!(await revocation.claimOnce(spent, held.exp))) {
    cookie.clear(reply)
    throw new AppError('CHALLENGE_EXPIRED')
  }
  try {
    return await respond()
  } catch (err) {
    if (err instanceof AppError && (ENDS_CHALLENGE.has(err.code) || (err.extensions as { challengeEnded?: unknown } | undefined)?.challengeEnded === true)) cookie.clear(reply)
    else if (!(err instanceof AppError && err.code === 'CODE_MISMATCH' && await lastTry(revocation, spent, held.exp))) await revocation.release(spent)
    throw err
  }
}

/** Wrong codes a held challenge takes: the last one spends it, whatever Cognito would allow, so that a stand-in runs out as a real one does. */
const CODE_TRIES = 3

/** Counts a wrong code against the held challenge `spent`; true when it was the last one it takes. */
async function lastTry (revocation: Revocation, spent: string, until: number): Promise<boolean> {
  for (let n = 1; n < CODE_TRIES; n++) if (await revocation.claimOnce(`${spent}:miss:${n}`, until)) return false
  return true
}

/** Failures after which a held challenge is over. */
const ENDS_CHALLENGE: ReadonlySet<string> = new Set(['CHALLENGE_EXPIRED', 'INVALID_CREDENTIALS'])

/** What the session manager is wired from. */
export interface SessionManagerOptions {
  config: Config
  pool: PoolConfig
  cognito: CognitoAdapter
  revocation: Revocation
  logger: FastifyBaseLogger
  /** Newest first: cookies are sealed with the first and opened with any. */
  cookieSecrets: string[]
  /** Public keys to trust without fetching them. */
  jwks?: { keys: unknown[] }
  /** Where the session registry keeps its records; process memory when absent. */
  registryStore?: SessionRegistryStore
  /** Runs before a refresh reaches Cognito (the refresh rate limit); throws to refuse it. */
  beforeRefresh?: (request: FastifyRequest) => Promise<void>
  /** Told of every transparent refresh: the user's id when it renewed the session, undefined when the session was over. */
  onTransparentRefresh?: (request: FastifyRequest, userId: string | undefined) => void
  /** Told when a replayed, already rotated refresh token ended a session. */
  onRefreshTokenReused?: (request: FastifyRequest, userId: string | undefined) => void
  /** Told when a session's start removed passkeys added just before the user's sessions were ended (passkey-review.ts). */
  onPasskeysRemoved?: (request: FastifyRequest, userId: string, ids: string[]) => void
}

/** How a session is started: the factor its sign-in was made with, the OAuth nonce, the passkey a passkey sign-in used. */
export interface StartOptions { via?: SignInFactor, nonce?: string, passkeyId?: string }

/**
 * Sessions in cookies: writes them after a sign-in, reads and verifies them on every request,
 * refreshes them transparently, and ends them (session-lifecycle.ts); holds the sealed cookies
 * beside them: a pending challenge, a pending email change, a known device (devices.ts).
 */
export function createSessionManager (options: SessionManagerOptions) {
  const { config, revocation } = options
  const jar = cookieJar(config.cookie)
  const sealer = createSealer(options.cookieSecrets)
  const refreshCookie = sealedCookie<RefreshState>({ jar, sealer, name: 'refresh', purpose: 'refresh', ttl: config.cookie.maxAgeSeconds })
  const challengeCookie = sealedCookie<HeldChallenge>({ jar, sealer, name: 'challenge', purpose: 'challenge', ttl: CHALLENGE_TTL_SECONDS, padTo: CHALLENGE_PADDING })
  const emailChangeCookie = sealedCookie<EmailChangeState, string>({
    jar, sealer, name: 'email-change', purpose: 'email-change', ttl: EMAIL_CHANGE_TTL_SECONDS, bind: (change, userId) => change.sub === userId
  })
  const deviceCookie = sealedCookie<DeviceState, DeviceBinding>({ jar, sealer, name: 'device', purpose: 'device', ttl: DEVICE_TTL_SECONDS, bind: deviceStands })
  const verifier = createTokenVerifier({ pool: options.pool, jwks: options.jwks, logger: options.logger })
  const registry = createSessionRegistry({ store: options.registryStore ?? createMemorySessionStore(), sealer, revocation, cognito: options.cognito, logger: options.logger })
  const reviewPasskeys = createPasskeyReview({ cognito: options.cognito, revocation, windowSeconds: config.passkeyRemovalWindowSeconds })
  const rooms: SessionDeps = {
    config,
    cognito: options.cognito,
    revocation,
    registry,
    followUps: createFollowUps({ logger: options.logger }),
    logger: options.logger,
    verifier,
    jar,
    names: { access: jar.name('access'), id: jar.name('id') },
    refreshCookie,
    challengeCookie,
    refreshes: new LRUCache<string, Promise<Tokens>>({ max: 10_000, ttl: REFRESH_REUSE_MS }),
    beforeRefresh: options.beforeRefresh,
    onTransparentRefresh: options.onTransparentRefresh,
    onRefreshTokenReused: options.onRefreshTokenReused
  }

  /** The request's caller, made on first use: one verification and one revocation look-up per request. */
  const requestCaller = (request: FastifyRequest, reply: FastifyReply): RequestCaller =>
    (request[kCaller] ??= createRequestCaller(() => lifecycle.readCredentials(rooms, request), (read) => lifecycle.authenticate(rooms, request, reply, read)))
  /** Makes `session` the request's caller from now on, and answers it. */
  const becomes = (request: FastifyRequest, reply: FastifyReply, session: Session): Session => {
    requestCaller(request, reply).set(session)
    return session
  }

  return {
    /** The caller of the request (peek: without refreshing; get: refreshed when due), read once per request. */
    caller: requestCaller,
    /** Fetches the pool's signing keys; true once they are in memory. */
    loadKeys: () => verifier.loadKeys(),
    /** The explicit `refreshSession`: renews from the refresh cookie even when the access token is still valid. */
    refresh: async (request: FastifyRequest, reply: FastifyReply) => becomes(request, reply, await lifecycle.refresh(rooms, request, reply)),
    /**
     * Starts a session from a finished authentication (with `nonce`: an OAuth sign-in, whose id
     * token must carry it). After a compromise the passkeys added just before it go first
     * (passkey-review.ts); a sign-in made with one of them does not start (INVALID_CREDENTIALS).
     */
    async start (request: FastifyRequest, reply: FastifyReply, tokens: Tokens, expected: StartOptions = {}): Promise<Session> {
      const session = await lifecycle.start(rooms, request, reply, tokens, expected)
      let review
      try {
        review = await reviewPasskeys(session, expected.passkeyId)
      } catch (err) {
        await lifecycle.end(rooms, request, reply, session)
        throw err
      }
      if (review.removed.length > 0) options.onPasskeysRemoved?.(request, session.userId, review.removed)
      if (review.refused) {
        await lifecycle.end(rooms, request, reply, session)
        throw new AppError('INVALID_CREDENTIALS')
      }
      return becomes(request, reply, session)
    },
    /** Ends this session (its tokens denied, its refresh token revoked, its cookies cleared); the rest of the request has no caller. */
    async end (request: FastifyRequest, reply: FastifyReply, session: Session | null, opts?: { revokeAtCognito?: boolean }): Promise<void> {
      await lifecycle.end(rooms, request, reply, session, opts)
      requestCaller(request, reply).set(null)
    },
    /** Ends every session of a user (`afterTheFact`: Cognito's sign-out is best effort, retried in the background). */
    endAll: (user: EndAllOptions) => lifecycle.endAll(rooms, user),
    /** The live sessions of the session's user, the caller's marked `current`. */
    list: (session: Session) => registry.list(session.userId, session.sessionId),
    /** Ends one session of the session's user by id; false for any id that is not one (another user's included). */
    revoke: (session: Session, id: string) => registry.revoke(session.userId, id),
    /** Ends every other session of the session's user: how many it ended. */
    revokeOthers: (session: Session) => registry.revokeOthers(session.userId, session.sessionId),
    /** Notes that a user changed at Cognito (groups): their next refresh asks Cognito, even one repeated at once. */
    userChanged: (userId: string) => revocation.markUserChanged(userId),
    /** Follow-up Cognito calls waiting for a retry. */
    get pendingFollowUps () { return rooms.followUps.pending },
    /** Stops what runs in the background. */
    close: () => rooms.followUps.close(),
    /** Renews the tokens of `session` after a change to the user, so that they carry it at once. */
    renew: async (request: FastifyRequest, reply: FastifyReply, session: Session) => becomes(request, reply, await lifecycle.renew(rooms, request, reply, session)),

    /** Another sealed cookie of the server's, sealed with the session's secrets; `sameSite` where it must differ from the session cookies'. */
    sealedCookie: <T extends { exp: number }, B = void>(cookie: Omit<SealedCookieOptions<T, B>, 'jar' | 'sealer'>, sameSite?: CookieSettings['sameSite']) =>
      sealedCookie<T, B>({ ...cookie, jar: sameSite === undefined ? jar : cookieJar({ ...config.cookie, sameSite }), sealer }),

    /** Holds a pending challenge in its own sealed, short-lived cookie, bound to the user it is for. */
    holdChallenge (reply: FastifyReply, challenge: Pick<PendingChallenge, 'name' | 'session' | 'decoy' | 'method'>, user: { email: string, username: string }): void {
      const { name, session, decoy, method } = challenge
      challengeCookie.write(reply, { name, session, ...user, ...(decoy === true ? { decoy } : {}), ...(method !== undefined ? { method } : {}) })
    },
    readChallenge: (request: FastifyRequest) => challengeCookie.read(request),
    /** Runs `respond` as the one answer the held challenge gets (see answerChallenge). */
    answerChallenge: <T>(reply: FastifyReply, held: HeldChallenge, respond: () => Promise<T>) => answerChallenge(challengeCookie, revocation, reply, held, respond),

    /** Remembers a pending email change of the session's user in its own sealed cookie, bound to that user. */
    holdEmailChange (reply: FastifyReply, session: Session, change: { email: string, taken: boolean }): void {
      emailChangeCookie.write(reply, { sub: session.userId, ...change })
    },
    /** The pending email change of the session's user, if this browser started one. */
    readEmailChange: (request: FastifyRequest, session: Session) => emailChangeCookie.read(request, session.userId),
    clearEmailChange: (reply: FastifyReply) => emailChangeCookie.clear(reply),

    /** Marks this browser as a known device of an account after a successful sign-in (see devices.ts). */
    trustDevice: (request: FastifyRequest, reply: FastifyReply, account: { email: string, userId: string }, mayMint: () => Promise<boolean>, tracked?: RememberedDevice | null) =>
      trustDevice(deviceCookie, revocation, request, reply, account, mayMint, tracked),
    /** The id of this browser as a known device of `email`, if it still is one. */
    deviceOf: async (request: FastifyRequest, email: string) => (await knownDevice(deviceCookie, revocation, request, email))?.id,
    /** The device Cognito tracks for this browser, when it is a known device of `email` (another user's, ended or tampered: none). */
    trackedDevice: async (request: FastifyRequest, email: string) => (await knownDevice(deviceCookie, revocation, request, email))?.cognito
  }
}

/** Sessions and the sealed cookies beside them (see createSessionManager). */
export type SessionManager = ReturnType<typeof createSessionManager>

declare module 'fastify' {
  interface FastifyInstance {
    sessions: SessionManager
  }
}

async function session (fastify: FastifyInstance): Promise<void> {
  const { pool, jwks } = fastify.userPool
  const cookieSecrets = fastify.userPool.cookieSecrets ?? [randomBytes(32).toString('base64url')]
  if (fastify.userPool.cookieSecrets === undefined) fastify.log.warn('COOKIE_SECRET is not set: sessions will not survive a restart')
  const manager = createSessionManager({
    config: fastify.config,
    pool,
    cognito: fastify.cognito,
    revocation: fastify.revocation,
    logger: fastify.log.child({ plugin: 'session' }),
    cookieSecrets,
    jwks,
    registryStore: fastify.redis === undefined ? undefined : failingAsUnavailable(createRedisSessionStore(fastify.redis), 'session registry', fastify.log.child({ plugin: 'session' })),
    beforeRefresh: async (request) => { await fastify.limits.enforce(request, ['refresh.address'], { address: request.ip }) },
    onTransparentRefresh: (request, userId) => {
      fastify.audit.record(request, { event: 'refresh', outcome: userId === undefined ? 'failure' : 'success', operation: 'transparent', userId, ...(userId === undefined ? { code: 'UNAUTHENTICATED' } : {}) })
    },
    onRefreshTokenReused: (request, userId) => {
      fastify.audit.record(request, { event: 'refresh-token-reused', outcome: 'failure', code: 'UNAUTHENTICATED', userId })
    },
    onPasskeysRemoved: (request, userId, ids) => {
      // One event per passkey removed, as deletePasskey records one.
      for (let n = 0; n < ids.length; n++) fastify.audit.record(request, { event: 'passkey-removed', outcome: 'success', operation: 'passkey-review', userId })
    }
  })
  fastify.decorateRequest(kCaller, null)
  fastify.decorate('sessions', manager)
  fastify.addHook('onClose', async () => manager.close())
  // Readiness waits for the keys; a failure here must not stop the process from serving /health.
  fastify.addHook('onReady', async () => { manager.loadKeys().catch(() => {}) })
}

export default fp(session, { name: 'session', dependencies: ['config', 'user-pool', 'cognito', 'revocation', 'cookies', 'rate-limits', 'audit'] })
