// A session's life: reading the request's credentials, authenticating them (refreshing when due), starting, renewing and ending a session.
import type { FastifyBaseLogger, FastifyReply, FastifyRequest } from 'fastify'
import type { LRUCache } from 'lru-cache'
import type { Config } from '../../config.ts'
import { digest, sameSecret } from '../../digest.ts'
import { AppError } from '../../errors.ts'
import { nowSeconds, requestDeadline } from '../../time.ts'
import type { HeldChallenge } from './challenge.ts'
import { RefreshTokenReused, withDeadline, type CognitoAdapter, type Tokens } from './cognito.ts'
import type { FollowUps } from './follow-ups.ts'
import type { Revocation } from './revocation.ts'
import type { CookieJar, SealedCookie } from './sealed-cookie.ts'
import { signOutEverywhere } from './devices-end.ts'
import { boundDevice, issuedClaims, kSession, once, sessionIdOf, sessionOf, sessionTokenOf, type Authentication, type RefreshState, type Session, type SignInFactor } from './session-model.ts'
import type { SessionRegistry } from './session-registry.ts'
import { sessionOfCredentials, type Credentials } from './request-caller.ts'
import { hasExpired, type TokenVerifier } from './token-verifier.ts'
export type { Authentication, RefreshState, Session, SignInFactor, UserProfile } from './session-model.ts'

/** What the session functions work with; wired once by createSessionManager (session.ts). */
export interface SessionDeps {
  config: Config
  cognito: CognitoAdapter
  revocation: Revocation
  /** Every session started here, for the user to see and end (session-registry.ts). */
  registry: SessionRegistry
  /** Cognito calls retried in the background after an operation already succeeded. */
  followUps: FollowUps
  logger: FastifyBaseLogger
  verifier: TokenVerifier
  jar: CookieJar
  /** The full names of the token cookies. */
  names: { access: string, id: string }
  refreshCookie: SealedCookie<RefreshState>
  challengeCookie: SealedCookie<HeldChallenge>
  /** Refreshes in flight or just finished, by refresh token digest: one Cognito call per refresh cookie. */
  refreshes: LRUCache<string, Promise<Tokens>>
  /** Runs before a refresh reaches Cognito (the refresh rate limit); throws to refuse it. */
  beforeRefresh?: (request: FastifyRequest) => Promise<void>
  /** Told of every transparent refresh: the user's id when it renewed the session, undefined when the session was over. */
  onTransparentRefresh?: (request: FastifyRequest, userId: string | undefined) => void
  /** Told when a replayed, already rotated refresh token ended a session. */
  onRefreshTokenReused?: (request: FastifyRequest, userId: string | undefined) => void
}

function clearSessionCookies (rooms: SessionDeps, reply: FastifyReply): void {
  rooms.jar.clear(reply, rooms.names.access)
  rooms.jar.clear(reply, rooms.names.id)
  rooms.refreshCookie.clear(reply)
}

/**
 * Verifies freshly issued tokens; the refresh state is new when Cognito sent a new refresh token.
 * A rotated one (a refresh gave it) keeps the session's absolute end, as Cognito keeps its lifetime.
 */
async function verifyIssued (rooms: SessionDeps, tokens: Tokens, refresh: RefreshState | undefined, via?: SignInFactor): Promise<Session> {
  const access = await rooms.verifier.access(tokens.accessToken)
  if (access === undefined || access === 'expired') throw new AppError('SERVICE_UNAVAILABLE')
  const id = await rooms.verifier.id(tokens.idToken, access.sub)
  const now = nowSeconds()
  const state: RefreshState | undefined = tokens.refreshToken !== undefined && tokens.refreshToken !== refresh?.token
    ? { token: tokens.refreshToken, username: access.username, exp: refresh?.exp ?? now + rooms.config.cookie.maxAgeSeconds, seen: now, sub: access.sub, sid: sessionIdOf(access), via: refresh?.via ?? via, ...boundDevice(access) }
    : refresh
  return sessionOf(tokens.accessToken, access, id, () => state)
}

/** The session cookies; the refresh cookie only when its state changed. They all end with the session. */
function writeCookies (rooms: SessionDeps, reply: FastifyReply, tokens: Tokens, session: Session, previous: RefreshState | undefined): void {
  const state = session[kSession].refresh()
  const maxAge = Math.max(0, (state?.exp ?? nowSeconds() + rooms.config.cookie.maxAgeSeconds) - nowSeconds())
  rooms.jar.set(reply, rooms.names.access, tokens.accessToken, maxAge)
  rooms.jar.set(reply, rooms.names.id, tokens.idToken, maxAge)
  if (state !== undefined && state !== previous) rooms.refreshCookie.write(reply, state)
}

/** One refresh per refresh token at a time on this instance, shared; `fresh`: it must reach Cognito (a renewal). */
async function refreshOnce (rooms: SessionDeps, state: RefreshState, { fresh = false } = {}): Promise<Tokens> {
  const key = digest(state.token)
  let token = state.token
  const reused = rooms.refreshes.get(key)
  if (reused !== undefined) {
    const tokens = await reused
    // A finished refresh is reused while its access token lives (tokens shorter than the reuse
    // window are shorter than Cognito's shortest, five minutes, so only a test pool has them)
    // and the user has not changed since it was issued (an administrator's group change).
    const changed = fresh || await rooms.revocation.changedSince(issuedClaims(tokens.accessToken))
    if (!hasExpired(tokens.accessToken) && !changed) return tokens
    if (rooms.refreshes.get(key) === reused) rooms.refreshes.delete(key)
    // With rotation the token presented is spent: a refresh that must reach Cognito goes on with the
    // one that refresh got (another tab's renewal is no reuse); an expired reuse presents its own.
    if (changed && tokens.refreshToken !== undefined) token = tokens.refreshToken
  }
  const pending = rooms.config.refreshTokenRotation ? rooms.cognito.refreshRotating(token, state.device) : rooms.cognito.refresh(token, state.username, state.device)
  pending.catch(() => rooms.refreshes.delete(key))
  rooms.refreshes.set(key, pending)
  return await pending
}

/** Renews the session from the refresh cookie (`fresh`: see refreshOnce). Undefined when the session has ended. */
async function refreshSession (rooms: SessionDeps, request: FastifyRequest, reply: FastifyReply, state: RefreshState, options: { fresh?: boolean } = {}): Promise<Session | undefined> {
  const { revocation } = rooms
  if (await revocation.isRefreshTokenRevoked(state.token)) return undefined
  await rooms.beforeRefresh?.(request)
  let tokens: Tokens
  try {
    tokens = await refreshOnce(rooms, state, options)
  } catch (err) {
    if (err instanceof RefreshTokenReused) await endReusedSession(rooms, request, state)
    // Cognito refused the refresh token: the session is over. Anything else (Cognito down,
    // throttling) is not the user's doing, so the cookies stay for a later try.
    if (err instanceof AppError && err.code === 'INVALID_CREDENTIALS') return undefined
    throw err
  }
  // A sign-out that finished while Cognito was answering wins: no cookies for this refresh.
  if (await revocation.isRefreshTokenRevoked(state.token)) return undefined
  const session = await verifyIssued(rooms, tokens, state)
  if (await revocation.isDenied(sessionTokenOf(session[kSession].access))) return undefined
  const rotated = session[kSession].refresh()
  if (rotated !== undefined && rotated !== state) await record(rooms, request, session, rotated, state.sid)
  writeCookies(rooms, reply, tokens, session, state)
  return session
}

/** Records a session in the registry (a start, or a refresh that rotated its refresh token). */
async function record (rooms: SessionDeps, request: FastifyRequest, session: Session, state: RefreshState, previousId?: string): Promise<void> {
  await rooms.registry.record({
    id: session.sessionId,
    previousId,
    userId: session.userId,
    createdAt: session[kSession].access.iat,
    exp: state.exp,
    refreshToken: state.token,
    userAgent: request.headers['user-agent'],
    ip: request.ip
  })
}

/**
 * A refresh token that rotation had replaced came back: a copy of the cookie is in other hands. The
 * whole session ends, whichever copy is the rightful one: its tokens are denied here, and its
 * newest refresh token (the registry holds it sealed) is revoked here and at Cognito.
 */
async function endReusedSession (rooms: SessionDeps, request: FastifyRequest, state: RefreshState): Promise<void> {
  if (state.sid !== undefined) {
    await rooms.revocation.endSession(state.sid)
    const newest = await rooms.registry.refreshTokenOf(state.sid)
    rooms.registry.forget(state.sid)
    if (newest !== undefined) {
      await rooms.revocation.revokeRefreshToken(newest.token, newest.exp)
      await rooms.cognito.revokeRefreshToken(newest.token).catch((err: unknown) => rooms.logger.warn({ code: (err as AppError).code }, 'could not revoke the refresh token of a reused session at Cognito'))
    }
  }
  rooms.onRefreshTokenReused?.(request, state.sub)
}

/**
 * The idle timeout: a session unused for longer than IDLE is over. Activity is written back
 * into the refresh cookie at most every tenth of the timeout, not on every request.
 */
function keepAlive (rooms: SessionDeps, reply: FastifyReply, state: RefreshState, idle: number): boolean {
  const now = nowSeconds()
  if (now - state.seen > idle) return false
  if (now - state.seen >= Math.max(1, Math.floor(idle / 10))) rooms.refreshCookie.write(reply, { ...state, seen: now })
  return true
}

/** The session of the cookies as they are, without refreshing; 'denied' for an ended one. */
async function verifyCookies (rooms: SessionDeps, request: FastifyRequest): Promise<Session | 'denied' | undefined> {
  const accessToken = request.cookies[rooms.names.access]
  const access = accessToken === undefined ? undefined : await rooms.verifier.access(accessToken)
  if (accessToken === undefined || access === undefined || access === 'expired') return undefined
  if (await rooms.revocation.isDenied(sessionTokenOf(access))) return 'denied'
  const id = await rooms.verifier.id(request.cookies[rooms.names.id], access.sub)
  if (id === undefined) return undefined
  rooms.registry.touch(sessionIdOf(access))
  return sessionOf(accessToken, access, id, once(() => rooms.refreshCookie.read(request)))
}

/** The session of an `Authorization: Bearer` access token: undefined without one, null when it is not valid. */
async function verifyBearer (rooms: SessionDeps, request: FastifyRequest): Promise<Session | null | undefined> {
  const authorization = request.headers.authorization
  if (authorization === undefined) return undefined
  const token = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1]
  const access = token === undefined ? undefined : await rooms.verifier.access(token)
  if (token === undefined || access === undefined || access === 'expired' || await rooms.revocation.isDenied(sessionTokenOf(access))) return null
  rooms.registry.touch(sessionIdOf(access))
  return sessionOf(token, access, undefined, () => undefined)
}

/** Ends the session a refresh state belongs to, when no access token of it can be read. */
async function endSessionOf (rooms: SessionDeps, state: RefreshState): Promise<void> {
  if (state.sub === undefined || state.sid === undefined) return
  await rooms.revocation.endSession(state.sid)
}

/** Reads the request's credentials as they are, before any refresh (see Credentials, request-caller.ts). */
export async function readCredentials (rooms: SessionDeps, request: FastifyRequest): Promise<Credentials> {
  const bearer = await verifyBearer(rooms, request)
  return bearer !== undefined ? { bearer } : { cookies: await verifyCookies(rooms, request) }
}

/**
 * The caller's session from the credentials `read` gives (readCredentials, remembered for the
 * request by request-caller.ts), refreshing the cookies transparently when the access token has
 * expired. Never throws.
 */
export async function authenticate (rooms: SessionDeps, request: FastifyRequest, reply: FastifyReply, read: () => Promise<Credentials>): Promise<Authentication> {
  const { config, names, refreshCookie, revocation } = rooms
  try {
    // A Bearer token is all there is to read; the cookies are read after the idle timeout's check.
    if (request.headers.authorization !== undefined) return { session: sessionOfCredentials(await read()) }

    // Only the idle timeout needs the refresh cookie while the access token is valid; with
    // one configured, a cookie session without its refresh cookie is no session at all.
    const idle = config.idleTimeoutSeconds
    const idleState = idle === undefined ? undefined : refreshCookie.read(request)
    if (idle !== undefined && request.cookies[names.access] === undefined && !refreshCookie.sent(request)) return { session: null }
    if (idle !== undefined && (idleState === undefined || !keepAlive(rooms, reply, idleState, idle))) {
      clearSessionCookies(rooms, reply)
      if (idleState !== undefined) {
        await revocation.revokeRefreshToken(idleState.token, idleState.exp)
        await endSessionOf(rooms, idleState)
        rooms.cognito.revokeRefreshToken(idleState.token).catch(() => {})
      }
      return { session: null }
    }
    const credentials = await read()
    const verified = 'cookies' in credentials ? credentials.cookies : undefined
    if (verified === 'denied') {
      clearSessionCookies(rooms, reply)
      return { session: null }
    }
    if (verified !== undefined) return { session: verified }
    const refresh = idleState ?? refreshCookie.read(request)
    if (refresh === undefined) return { session: null }
    const session = await withDeadline(requestDeadline(reply, config), async () => await refreshSession(rooms, request, reply, refresh))
    if (session === undefined) clearSessionCookies(rooms, reply)
    else rooms.registry.touch(session.sessionId)
    rooms.onTransparentRefresh?.(request, session?.userId)
    return { session: session ?? null }
  } catch (err) {
    return { session: null, error: err instanceof AppError ? err : new AppError('SERVICE_UNAVAILABLE') }
  }
}

/** The explicit `refreshSession`: renews from the refresh cookie even when the access token is still valid. */
export async function refresh (rooms: SessionDeps, request: FastifyRequest, reply: FastifyReply): Promise<Session> {
  const state = rooms.refreshCookie.read(request)
  const session = state === undefined ? undefined : await refreshSession(rooms, request, reply, state)
  if (session === undefined) {
    clearSessionCookies(rooms, reply)
    throw new AppError('UNAUTHENTICATED')
  }
  return session
}

/**
 * Starts a session from an authentication made `via` a factor (`nonce`: an OAuth sign-in's, in its id token):
 * admits the tokens ("not before" mark), records the session, then writes the cookies. One that cannot be verified
 * or recorded (keys not loaded, Redis down) does not start: no cookies, Cognito's new refresh token revoked.
 */
export async function start (rooms: SessionDeps, request: FastifyRequest, reply: FastifyReply, tokens: Tokens, expected: { nonce?: string, via?: SignInFactor } = {}): Promise<Session> {
  let session: Session
  try {
    session = await verifyIssued(rooms, tokens, undefined, expected.via ?? (expected.nonce === undefined ? undefined : 'federated'))
    if (expected.nonce !== undefined && !sameSecret((await rooms.verifier.id(tokens.idToken, session.userId))?.nonce, expected.nonce)) throw new AppError('UNAUTHENTICATED')
    await rooms.revocation.admit(sessionTokenOf(session[kSession].access))
    const state = session[kSession].refresh()
    if (state !== undefined) await record(rooms, request, session, state)
  } catch (err) {
    if (tokens.refreshToken !== undefined) {
      await rooms.cognito.revokeRefreshToken(tokens.refreshToken).catch((e: unknown) => rooms.logger.warn({ code: (e as AppError).code }, 'could not revoke the refresh token of a session that did not start'))
    }
    throw err
  }
  writeCookies(rooms, reply, tokens, session, undefined)
  if (rooms.challengeCookie.sent(request)) rooms.challengeCookie.clear(reply)
  return session
}

/**
 * Ends this session: the tokens of the session are denied, the refresh token revoked (at
 * Cognito too unless a global sign-out already did it), the cookies cleared. The denials come
 * first: a sign-out that cannot be recorded (Redis down) fails whole and keeps the cookies, so
 * that the browser can end the session once it can be ended everywhere.
 */
export async function end (rooms: SessionDeps, request: FastifyRequest, reply: FastifyReply, session: Session | null, { revokeAtCognito = true } = {}): Promise<void> {
  const { revocation } = rooms
  const state = session?.[kSession].refresh() ?? rooms.refreshCookie.read(request)
  if (session !== null) await revocation.endSession(session.sessionId, session[kSession].access.exp)
  else if (state !== undefined) await endSessionOf(rooms, state)
  // Recorded before Cognito is told, so a refresh in flight finds it when it returns.
  if (state !== undefined) await revocation.revokeRefreshToken(state.token, state.exp)
  clearSessionCookies(rooms, reply)
  const sid = session?.sessionId ?? state?.sid
  if (sid !== undefined) rooms.registry.forget(sid)
  if (state === undefined) return
  rooms.refreshes.delete(digest(state.token))
  if (!revokeAtCognito) return
  try {
    await rooms.cognito.revokeRefreshToken(state.token)
  } catch (err) {
    // The token is denied here whatever Cognito says; an already void one is no failure.
    if (!(err instanceof AppError && err.code === 'INVALID_CREDENTIALS')) rooms.logger.warn({ code: (err as AppError).code }, 'could not revoke a refresh token at Cognito')
  }
}

/** Who endAll ends, and how: `afterTheFact` when the operation it follows has already succeeded. */
export interface EndAllOptions {
  userId: string
  accessToken?: string
  username?: string
  /**
   * The operation that asks for it (a password change, a reset) already succeeded at Cognito:
   * a failing global sign-out is then logged and retried in the background, not thrown.
   */
  afterTheFact?: boolean
}

/**
 * Ends every session of a user: the "not before" mark, then Cognito's global sign-out (with the
 * user's access token when the server holds one, the admin call otherwise), after forgetting the
 * user's devices (devices-end.ts).
 */
export async function endAll (rooms: SessionDeps, user: EndAllOptions): Promise<void> {
  // The mark first: it takes effect at once, and a refresh Cognito serves while its own
  // sign-out is under way is caught by it too.
  await rooms.revocation.endAllSessions(user.userId)
  const signOut = signOutEverywhere(rooms.cognito, rooms.logger, user)
  if (signOut === undefined) return
  if (user.afterTheFact === true) await rooms.followUps.run('global sign-out', signOut)
  else await signOut()
}

/**
 * Renews the tokens of `session` after a change to the user (a name, a verified email), so
 * that they carry it at once. A Bearer session has no refresh token and stays as it is.
 */
export async function renew (rooms: SessionDeps, request: FastifyRequest, reply: FastifyReply, session: Session): Promise<Session> {
  const state = session[kSession].refresh()
  if (state === undefined) return session
  // A refresh finished moments ago carries the old attributes: this one must reach Cognito, with
  // the refresh token that refresh rotated to, where it did (see refreshOnce).
  const renewed = await refreshSession(rooms, request, reply, state, { fresh: true })
  if (renewed === undefined) {
    clearSessionCookies(rooms, reply)
    throw new AppError('UNAUTHENTICATED')
  }
  return renewed
}
