import { randomBytes } from 'node:crypto'
import fp from 'fastify-plugin'
import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { CookieSerializeOptions } from '@fastify/cookie'
import { CognitoJwtVerifier } from 'aws-jwt-verify'
import { JwtExpiredError } from 'aws-jwt-verify/error'
import type { CognitoAccessTokenPayload, CognitoIdTokenPayload } from 'aws-jwt-verify/jwt-model'
import { LRUCache } from 'lru-cache'
import type { Config, PoolConfig } from '../../config.ts'
import { AppError } from '../../errors.ts'
import { createSealer, type Sealer } from '../../seal.ts'
import { digest } from '../../digest.ts'
import { withDeadline, type CognitoAdapter, type PendingChallenge, type Tokens } from './cognito.ts'
import type { Revocation } from './revocation.ts'
import { DEVICE_TTL_SECONDS, deviceStands, type DeviceState } from './devices.ts'

/** A verified session: what resolvers know of the caller, read from the tokens alone. */
export interface Session {
  accessToken: string
  access: CognitoAccessTokenPayload
  /** The verified id token; absent when the caller brought only a Bearer access token. */
  id: CognitoIdTokenPayload | undefined
  /** The refresh token and Cognito username from the sealed cookie, when there is one. */
  refresh: RefreshState | undefined
}

/** What the sealed refresh cookie carries. */
interface RefreshState {
  token: string
  /** Cognito's username (SECRET_HASH is computed over it). */
  username: string
  /** End of the session's absolute lifetime, epoch seconds. */
  exp: number
  /** Last request seen, epoch seconds (for the idle timeout). */
  seen: number
  /** The user and the session (`origin_jti`) the tokens belong to: a sign-out denies them even without a valid access cookie. */
  sub?: string
  sid?: string
}

/** What the sealed challenge cookie carries: Cognito's challenge session, bound to one user. */
export interface ChallengeState {
  name: string
  session: string
  email: string
  username: string
  exp: number
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

/** The outcome of reading a request's credentials. */
export interface Authentication {
  session: Session | null
  /** Why there is no session when that is not the caller's fault (Cognito down during a refresh). */
  error?: AppError
}

const REFRESH = 'refresh'
const CHALLENGE = 'challenge'
const DEVICE = 'device'
const EMAIL_CHANGE = 'email-change'
/** A pending email change is remembered as long as Cognito's verification code lives. */
const EMAIL_CHANGE_TTL_SECONDS = 86400
/** Cognito keeps a challenge session for three minutes. */
const CHALLENGE_TTL_SECONDS = 180
/** How long a finished refresh is reused for requests that still carry the old refresh cookie. */
const REFRESH_REUSE_MS = 30_000
/** Verified tokens kept per kind (access, id): about 1 KiB each. */
const VERIFIED_CACHE_SIZE = 10_000

const nowSeconds = () => Math.floor(Date.now() / 1000)

/**
 * Verified tokens by their full text, each until its `exp`, at most `max` of them (the oldest
 * goes first). A Map, not an LRU: this sits on every request, and insertion order is enough.
 */
export function createVerifiedCache<T extends { exp: number }> (max: number) {
  const entries = new Map<string, T>()
  return {
    get (token: string): T | undefined {
      const claims = entries.get(token)
      if (claims === undefined) return undefined
      if (claims.exp * 1000 > Date.now()) return claims
      entries.delete(token)
      return undefined
    },
    set (token: string, claims: T): T {
      if (entries.size >= max) entries.delete(entries.keys().next().value as string)
      entries.set(token, claims)
      return claims
    },
    get size (): number {
      return entries.size
    }
  }
}

export interface SessionManagerOptions {
  config: Config
  pool: PoolConfig
  cognito: CognitoAdapter
  revocation: Revocation
  logger: FastifyBaseLogger
  /** Newest first: cookies are sealed with the first and opened with any. */
  cookieSecrets: string[]
  /** Public keys to trust without fetching them (the embedded emulator's). */
  jwks?: { keys: unknown[] }
  /** Runs before a refresh reaches Cognito (the refresh rate limit); throws to refuse it. */
  beforeRefresh?: (request: FastifyRequest) => Promise<void>
  /** Told of every transparent refresh: the user's sub when it renewed the session, undefined when the session was over. */
  onTransparentRefresh?: (request: FastifyRequest, userId: string | undefined) => void
}

/**
 * Sessions in cookies: writes them after a sign-in, reads and verifies them on every request,
 * refreshes them transparently, and ends them.
 */
export function createSessionManager (options: SessionManagerOptions) {
  const { config, pool, cognito, revocation, logger } = options
  const sealer: Sealer = createSealer(options.cookieSecrets)
  const prefix = config.cookie.secure ? '__Host-' : ''
  const names = {
    access: `${prefix}access`,
    id: `${prefix}id`,
    refresh: `${prefix}refresh`,
    challenge: `${prefix}challenge`,
    device: `${prefix}device`,
    emailChange: `${prefix}email-change`
  }
  const baseCookie: CookieSerializeOptions = {
    httpOnly: true,
    secure: config.cookie.secure,
    sameSite: config.cookie.sameSite,
    path: '/'
  }

  const accessVerifier = CognitoJwtVerifier.create({ userPoolId: pool.userPoolId, clientId: pool.clientId, tokenUse: 'access' })
  const idVerifier = CognitoJwtVerifier.create({ userPoolId: pool.userPoolId, clientId: pool.clientId, tokenUse: 'id' })
  if (options.jwks !== undefined) {
    // aws-jwt-verify fetches keys over https only; the emulator's are handed over instead.
    const jwks = options.jwks as Parameters<typeof accessVerifier.cacheJwks>[0]
    accessVerifier.cacheJwks(jwks)
    idVerifier.cacheJwks(jwks)
  }
  let keysLoaded = options.jwks !== undefined

  /** Refreshes in flight or just finished, by refresh token: one Cognito call per refresh cookie. */
  const refreshes = new LRUCache<string, Promise<Tokens>>({ max: 10_000, ttl: REFRESH_REUSE_MS })

  /**
   * Tokens already verified, by their full text (so one can never stand for another), each until
   * it expires. A signature is checked once per token, not once per request; revocation is still
   * checked on every request (revocation.ts), so a cached token of an ended session is refused.
   */
  const verifiedAccess = createVerifiedCache<CognitoAccessTokenPayload>(VERIFIED_CACHE_SIZE)
  const verifiedId = createVerifiedCache<CognitoIdTokenPayload>(VERIFIED_CACHE_SIZE)

  async function verifyAccess (token: string): Promise<CognitoAccessTokenPayload | 'expired' | undefined> {
    const cached = verifiedAccess.get(token)
    if (cached !== undefined) return cached
    try {
      const claims = await accessVerifier.verify(token)
      // A token that never expires is no token Cognito issued: aws-jwt-verify checks `exp` only when present.
      if (typeof claims.exp !== 'number') return undefined
      return verifiedAccess.set(token, claims)
    } catch (err) {
      return err instanceof JwtExpiredError ? 'expired' : undefined
    }
  }

  async function verifyId (token: string | undefined, sub: string): Promise<CognitoIdTokenPayload | undefined> {
    if (token === undefined) return undefined
    let claims = verifiedId.get(token)
    if (claims === undefined) {
      try {
        const verified = await idVerifier.verify(token)
        if (typeof verified.exp !== 'number') return undefined
        claims = verifiedId.set(token, verified)
      } catch {
        return undefined
      }
    }
    return claims.sub === sub ? claims : undefined
  }

  function setCookie (reply: FastifyReply, name: string, value: string, maxAge: number): void {
    reply.setCookie(name, value, { ...baseCookie, maxAge })
    reply.header('cache-control', 'no-store')
  }

  function clearSessionCookies (reply: FastifyReply): void {
    for (const name of [names.access, names.id, names.refresh]) setCookie(reply, name, '', 0)
  }

  function readRefresh (request: FastifyRequest): RefreshState | undefined {
    const state = sealer.unseal<RefreshState>(REFRESH, request.cookies[names.refresh])
    return state !== undefined && state.exp > nowSeconds() ? state : undefined
  }

  /** Verifies freshly issued tokens and writes them as cookies; the refresh cookie only when Cognito sent a new refresh token. */
  async function writeSession (reply: FastifyReply, tokens: Tokens, refresh: RefreshState | undefined): Promise<Session> {
    const session = await sessionOf(tokens, refresh)
    writeCookies(reply, tokens, session, refresh)
    return session
  }

  /** Verifies freshly issued tokens; the refresh state is new when Cognito sent a new refresh token. */
  async function sessionOf (tokens: Tokens, refresh: RefreshState | undefined): Promise<Session> {
    const access = await verifyAccess(tokens.accessToken)
    if (access === undefined || access === 'expired') throw new AppError('SERVICE_UNAVAILABLE')
    const id = await verifyId(tokens.idToken, access.sub)
    const state: RefreshState | undefined = tokens.refreshToken !== undefined
      ? { token: tokens.refreshToken, username: access.username, exp: nowSeconds() + config.cookie.maxAgeSeconds, seen: nowSeconds(), sub: access.sub, sid: access.origin_jti ?? access.jti }
      : refresh
    return { accessToken: tokens.accessToken, access, id, refresh: state }
  }

  /** The session cookies; the refresh cookie only when its state changed. They all end with the session. */
  function writeCookies (reply: FastifyReply, tokens: Tokens, session: Session, previous: RefreshState | undefined): void {
    const state = session.refresh
    const maxAge = Math.max(0, (state?.exp ?? nowSeconds() + config.cookie.maxAgeSeconds) - nowSeconds())
    setCookie(reply, names.access, tokens.accessToken, maxAge)
    setCookie(reply, names.id, tokens.idToken, maxAge)
    if (state !== undefined && state !== previous) setCookie(reply, names.refresh, sealer.seal(REFRESH, state), maxAge)
  }

  /** One refresh per refresh token at a time on this instance; concurrent requests share it. */
  function refreshOnce (state: RefreshState): Promise<Tokens> {
    const key = digest(state.token)
    let pending = refreshes.get(key)
    if (pending === undefined) {
      pending = cognito.refresh(state.token, state.username)
      pending.catch(() => refreshes.delete(key))
      refreshes.set(key, pending)
    }
    return pending
  }

  /** Renews the session from the refresh cookie. Undefined when the session has ended. */
  async function refreshSession (request: FastifyRequest, reply: FastifyReply, state: RefreshState): Promise<Session | undefined> {
    if (await revocation.isRefreshTokenRevoked(state.token)) return undefined
    await options.beforeRefresh?.(request)
    let tokens: Tokens
    try {
      tokens = await refreshOnce(state)
    } catch (err) {
      // Cognito refused the refresh token: the session is over. Anything else (Cognito down,
      // throttling) is not the user's doing, so the cookies stay for a later try.
      if (err instanceof AppError && err.code === 'INVALID_CREDENTIALS') return undefined
      throw err
    }
    // A sign-out that finished while Cognito was answering wins: no cookies for this refresh.
    if (await revocation.isRefreshTokenRevoked(state.token)) return undefined
    const session = await sessionOf(tokens, state)
    if (await revocation.isDenied(session.access)) return undefined
    writeCookies(reply, tokens, session, state)
    return session
  }

  const idle = config.idleTimeoutSeconds

  /**
   * The idle timeout: a session unused for longer than IDLE is over. Activity is written back
   * into the refresh cookie at most every tenth of the timeout, not on every request.
   */
  function keepAlive (reply: FastifyReply, state: RefreshState | undefined): boolean {
    if (idle === undefined || state === undefined) return true
    const now = nowSeconds()
    if (now - state.seen > idle) return false
    if (now - state.seen >= Math.max(1, Math.floor(idle / 10))) {
      setCookie(reply, names.refresh, sealer.seal(REFRESH, { ...state, seen: now }), state.exp - now)
    }
    return true
  }

  /** The session of the cookies as they are, without refreshing; 'denied' for an ended one. */
  async function verifyCookies (request: FastifyRequest): Promise<Session | 'denied' | undefined> {
    const accessToken = request.cookies[names.access]
    const access = accessToken === undefined ? undefined : await verifyAccess(accessToken)
    if (accessToken === undefined || access === undefined || access === 'expired') return undefined
    if (await revocation.isDenied(access)) return 'denied'
    const id = await verifyId(request.cookies[names.id], access.sub)
    if (id === undefined) return undefined
    // The refresh cookie is unsealed only by the operations that need it, not on every request.
    let refresh: RefreshState | undefined | null = null
    return {
      accessToken,
      access,
      id,
      get refresh () { return refresh === null ? (refresh = readRefresh(request)) : refresh }
    }
  }

  /** The session of an `Authorization: Bearer` access token: undefined without one, null when it is not valid. */
  async function verifyBearer (request: FastifyRequest): Promise<Session | null | undefined> {
    const authorization = request.headers.authorization
    if (authorization === undefined) return undefined
    const token = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1]
    const access = token === undefined ? undefined : await verifyAccess(token)
    if (token === undefined || access === undefined || access === 'expired' || await revocation.isDenied(access)) return null
    return { accessToken: token, access, id: undefined, refresh: undefined }
  }

  /** Ends the session a refresh state belongs to, when no access token of it can be read. */
  async function endSessionOf (state: RefreshState): Promise<void> {
    if (state.sub === undefined || state.sid === undefined) return
    await revocation.endSession({ jti: state.sid })
  }

  /** The end of the request's Cognito budget (epoch ms), counted from its arrival. */
  const deadlineOf = (reply: FastifyReply) => Date.now() - reply.elapsedTime + config.requestBudgetMs

  return {
    names,

    /** The caller's session without refreshing it: a Bearer token or the cookies (null when expired, ended or absent). */
    async verify (request: FastifyRequest): Promise<Session | null> {
      const bearer = await verifyBearer(request)
      if (bearer !== undefined) return bearer
      const session = await verifyCookies(request)
      return session === 'denied' ? null : session ?? null
    },

    /** Fetches the pool's signing keys; true once they are in memory. */
    async loadKeys (): Promise<boolean> {
      if (keysLoaded) return true
      try {
        await Promise.all([accessVerifier.hydrate(), idVerifier.hydrate()])
        keysLoaded = true
      } catch (err) {
        logger.warn({ err: (err as Error).message }, 'could not load the user pool signing keys')
      }
      return keysLoaded
    },

    /**
     * Reads the caller's credentials: a Bearer access token, or the session cookies, refreshing
     * them transparently when the access token has expired. Never throws.
     */
    async authenticate (request: FastifyRequest, reply: FastifyReply): Promise<Authentication> {
      try {
        const bearer = await verifyBearer(request)
        if (bearer !== undefined) return { session: bearer }

        // Only the idle timeout needs the refresh cookie while the access token is valid; with
        // one configured, a cookie session without its refresh cookie is no session at all.
        const idleState = idle === undefined ? undefined : readRefresh(request)
        if (idle !== undefined && request.cookies[names.access] === undefined && request.cookies[names.refresh] === undefined) return { session: null }
        if (idle !== undefined && (idleState === undefined || !keepAlive(reply, idleState))) {
          clearSessionCookies(reply)
          if (idleState !== undefined) {
            await revocation.revokeRefreshToken(idleState.token, idleState.exp)
            await endSessionOf(idleState)
            cognito.revokeRefreshToken(idleState.token).catch(() => {})
          }
          return { session: null }
        }
        const verified = await verifyCookies(request)
        if (verified === 'denied') {
          clearSessionCookies(reply)
          return { session: null }
        }
        if (verified !== undefined) return { session: verified }
        const refresh = idleState ?? readRefresh(request)
        if (refresh === undefined) return { session: null }
        const session = await withDeadline(deadlineOf(reply), async () => await refreshSession(request, reply, refresh))
        if (session === undefined) clearSessionCookies(reply)
        options.onTransparentRefresh?.(request, session?.access.sub)
        return { session: session ?? null }
      } catch (err) {
        return { session: null, error: err instanceof AppError ? err : new AppError('SERVICE_UNAVAILABLE') }
      }
    },

    /** The explicit `refreshSession`: renews from the refresh cookie even when the access token is still valid. */
    async refresh (request: FastifyRequest, reply: FastifyReply): Promise<Session> {
      const state = readRefresh(request)
      const session = state === undefined ? undefined : await refreshSession(request, reply, state)
      if (session === undefined) {
        clearSessionCookies(reply)
        throw new AppError('UNAUTHENTICATED')
      }
      return session
    },

    /**
     * Starts a session from a finished authentication: writes the cookies and admits the tokens
     * through a "not before" mark set in the same second (see revocation.ts).
     */
    async start (request: FastifyRequest, reply: FastifyReply, tokens: Tokens): Promise<Session> {
      let session: Session
      try {
        session = await writeSession(reply, tokens, undefined)
      } catch (err) {
        // Tokens that cannot be verified here (the signing keys are not loaded yet) start no
        // session: the refresh token Cognito just issued must not stay alive unseen.
        if (tokens.refreshToken !== undefined) {
          await cognito.revokeRefreshToken(tokens.refreshToken).catch((e: unknown) => logger.warn({ code: (e as AppError).code }, 'could not revoke the refresh token of a session that did not start'))
        }
        throw err
      }
      await revocation.admit(session.access)
      if (request.cookies[names.challenge] !== undefined) this.clearChallenge(reply)
      return session
    },

    /**
     * Ends this session: the tokens of the session are denied, the refresh token revoked (at
     * Cognito too unless a global sign-out already did it), the cookies cleared.
     */
    async end (request: FastifyRequest, reply: FastifyReply, session: Session | null, { revokeAtCognito = true } = {}): Promise<void> {
      const refresh = session?.refresh ?? readRefresh(request)
      clearSessionCookies(reply)
      if (session !== null) await revocation.endSession(session.access)
      if (refresh === undefined) return
      if (session === null) await endSessionOf(refresh)
      refreshes.delete(digest(refresh.token))
      // Recorded before Cognito is told, so a refresh in flight finds it when it returns.
      await revocation.revokeRefreshToken(refresh.token, refresh.exp)
      if (!revokeAtCognito) return
      try {
        await cognito.revokeRefreshToken(refresh.token)
      } catch (err) {
        // The token is denied here whatever Cognito says; an already void one is no failure.
        if (!(err instanceof AppError && err.code === 'INVALID_CREDENTIALS')) logger.warn({ code: (err as AppError).code }, 'could not revoke a refresh token at Cognito')
      }
    },

    /**
     * Ends every session of a user: Cognito's global sign-out (with the user's access token when
     * the server holds one, the admin call otherwise), then the "not before" mark.
     */
    async endAll (user: { sub: string, accessToken?: string, username?: string }): Promise<void> {
      // The mark first: it takes effect at once, and a refresh Cognito serves while its own
      // sign-out is under way is caught by it too.
      await revocation.endAllSessions(user.sub)
      if (user.accessToken !== undefined) await cognito.globalSignOut(user.accessToken)
      else if (user.username !== undefined) await cognito.adminGlobalSignOut(user.username)
    },

    /** Holds a pending challenge in its own sealed, short-lived cookie. */
    holdChallenge (reply: FastifyReply, challenge: PendingChallenge, user: { email: string, username: string }): void {
      const state: ChallengeState = { name: challenge.name, session: challenge.session, ...user, exp: nowSeconds() + CHALLENGE_TTL_SECONDS }
      setCookie(reply, names.challenge, sealer.seal(CHALLENGE, state), CHALLENGE_TTL_SECONDS)
    },

    readChallenge (request: FastifyRequest): ChallengeState | undefined {
      const state = sealer.unseal<ChallengeState>(CHALLENGE, request.cookies[names.challenge])
      return state !== undefined && state.exp > nowSeconds() ? state : undefined
    },

    clearChallenge (reply: FastifyReply): void {
      setCookie(reply, names.challenge, '', 0)
    },

    /**
     * Renews the tokens of `session` after a change to the user (a name, a verified email), so
     * that they carry it at once. A Bearer session has no refresh token and stays as it is.
     */
    async renew (request: FastifyRequest, reply: FastifyReply, session: Session): Promise<Session> {
      const state = session.refresh
      if (state === undefined) return session
      // A refresh finished moments ago carries the old attributes: this one must reach Cognito.
      refreshes.delete(digest(state.token))
      const renewed = await refreshSession(request, reply, state)
      if (renewed === undefined) {
        clearSessionCookies(reply)
        throw new AppError('UNAUTHENTICATED')
      }
      return renewed
    },

    /** Remembers a pending email change in its own sealed cookie, bound to the user. */
    holdEmailChange (reply: FastifyReply, change: Omit<EmailChangeState, 'exp'>): void {
      const state: EmailChangeState = { ...change, exp: nowSeconds() + EMAIL_CHANGE_TTL_SECONDS }
      setCookie(reply, names.emailChange, sealer.seal(EMAIL_CHANGE, state), EMAIL_CHANGE_TTL_SECONDS)
    },

    /** The pending email change of user `sub`, if this browser started one. */
    readEmailChange (request: FastifyRequest, sub: string): EmailChangeState | undefined {
      const state = sealer.unseal<EmailChangeState>(EMAIL_CHANGE, request.cookies[names.emailChange])
      return state !== undefined && state.sub === sub && state.exp > nowSeconds() ? state : undefined
    },

    clearEmailChange (reply: FastifyReply): void {
      setCookie(reply, names.emailChange, '', 0)
    },

    /**
     * Marks this browser as a known device of `email` (user `sub`) after a successful sign-in (a
     * sealed, long-lived cookie that is no session): failed sign-ins from it are counted apart.
     * `mayMint` decides whether a new device may be made (the per-account cap); a device the
     * browser already is only has its lifetime renewed.
     */
    async trustDevice (request: FastifyRequest, reply: FastifyReply, account: { email: string, sub: string }, mayMint: () => Promise<boolean>): Promise<void> {
      const mark = await revocation.markOf(account.sub)
      const known = this.readDevice(request, account.email, mark)
      if (known === undefined && !(await mayMint())) return
      const state: DeviceState = { ...account, id: known?.id ?? randomBytes(16).toString('base64url'), mark, exp: nowSeconds() + DEVICE_TTL_SECONDS }
      setCookie(reply, names.device, sealer.seal(DEVICE, state), DEVICE_TTL_SECONDS)
    },

    /** The id of this browser as a known device of `email`, if it is one and no global sign-out has ended it since. */
    async deviceOf (request: FastifyRequest, email: string): Promise<string | undefined> {
      const state = sealer.unseal<DeviceState>(DEVICE, request.cookies[names.device])
      if (state === undefined || state.email !== email || typeof state.sub !== 'string') return undefined
      return this.readDevice(request, email, await revocation.markOf(state.sub))?.id
    },

    readDevice (request: FastifyRequest, email: string, mark: number): DeviceState | undefined {
      const state = sealer.unseal<DeviceState>(DEVICE, request.cookies[names.device])
      return deviceStands(state, email, mark, nowSeconds()) ? state : undefined
    }
  }
}

export type SessionManager = ReturnType<typeof createSessionManager>

declare module 'fastify' {
  interface FastifyInstance {
    sessions: SessionManager
  }
}

export interface SessionPluginOptions {
  /** Signing keys to trust without fetching them; the embedded emulator's by default. */
  jwks?: { keys: unknown[] }
}

async function session (fastify: FastifyInstance, opts: SessionPluginOptions): Promise<void> {
  const pool = fastify.config.pool ?? fastify.emulator?.pool
  if (pool === undefined) throw new Error('no user pool')
  const cookieSecrets = fastify.config.cookie.secrets ?? [fastify.emulator?.cookieSecret ?? randomBytes(32).toString('base64url')]
  if (fastify.config.cookie.secrets === undefined && fastify.emulator === undefined) {
    fastify.log.warn('COOKIE_SECRET is not set: sessions will not survive a restart')
  }
  const manager = createSessionManager({
    config: fastify.config,
    pool,
    cognito: fastify.cognito,
    revocation: fastify.revocation,
    logger: fastify.log.child({ plugin: 'session' }),
    cookieSecrets,
    jwks: opts.jwks ?? fastify.emulator?.jwks,
    beforeRefresh: async (request) => { await fastify.limits.enforce(request, ['refresh.address'], { address: request.ip }) },
    onTransparentRefresh: (request, userId) => {
      fastify.audit.record(request, { event: 'refresh', outcome: userId === undefined ? 'failure' : 'success', operation: 'transparent', userId, ...(userId === undefined ? { code: 'UNAUTHENTICATED' } : {}) })
    }
  })
  fastify.decorate('sessions', manager)
  // Readiness waits for the keys; a failure here must not stop the process from serving /health.
  fastify.addHook('onReady', async () => { manager.loadKeys().catch(() => {}) })
}

export default fp(session, { name: 'session', dependencies: ['config', 'cognito', 'revocation', 'cookies', 'rate-limits', 'audit'] })
