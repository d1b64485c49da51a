// The app's own API of the session: requireUser, request.user / ctx.user with the verified claims, and GET /session.
import fp from 'fastify-plugin'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { AppError, type ErrorCode } from '../../errors.ts'
import { requestDeadline } from '../../time.ts'
import { withDeadline, type UserDetails } from './cognito.ts'
import type { Session } from './session.ts'
import { accessClaimsOf } from './session-model.ts'

/**
 * The verified access token's claims: Cognito's own (`sub`, `username`, `client_id`, `scope`,
 * `cognito:groups`, `origin_jti`, `exp` …) and whatever the pool's pre-token-generation trigger
 * added (strings, numbers, booleans, arrays, objects). A copy of the request's own.
 */
export interface AccessTokenClaims {
  readonly sub: string
  readonly username: string
  readonly client_id: string
  readonly token_use: 'access'
  /** Space-separated, as Cognito writes it (a trigger's `scopesToAdd` included). */
  readonly scope?: string
  readonly 'cognito:groups'?: readonly string[]
  readonly iss: string
  readonly exp: number
  readonly iat: number
  readonly auth_time: number
  readonly jti: string
  readonly origin_jti?: string
  /** Any other claim, such as one a pre-token-generation trigger added. */
  readonly [claim: string]: unknown
}

/** The caller as the app's own routes see them: the `User` of `me` without the fields only Cognito knows (MFA), and the access token's claims. */
export interface CurrentUser {
  /** The user's id (Cognito's `sub`). */
  id: string
  email: string
  emailVerified: boolean
  /** The display name, null when the user gave none. */
  name: string | null
  groups: string[]
  /** The verified access token's claims, those the pool's pre-token-generation trigger added included. */
  claims: AccessTokenClaims
}

/** The caller of a request: their user and the session it comes from. */
interface Caller {
  user: CurrentUser
  session: Session
}

/**
 * How a refusal answers over HTTP: the status, and the code the body names. A Cognito that no
 * longer honours a Bearer token (INVALID_CREDENTIALS) means no session, as any other dead token.
 * A refresh that the pool's firewall (AWS WAF) blocks, or that the endpoint does not implement,
 * leaves the session unread but not ended.
 */
const REFUSALS: Partial<Record<ErrorCode, { status: number, code: ErrorCode }>> = {
  UNAUTHENTICATED: { status: 401, code: 'UNAUTHENTICATED' },
  INVALID_CREDENTIALS: { status: 401, code: 'UNAUTHENTICATED' },
  FORBIDDEN: { status: 403, code: 'FORBIDDEN' },
  TOO_MANY_REQUESTS: { status: 429, code: 'TOO_MANY_REQUESTS' },
  NOT_SUPPORTED: { status: 501, code: 'NOT_SUPPORTED' },
  SERVICE_UNAVAILABLE: { status: 503, code: 'SERVICE_UNAVAILABLE' }
}

/**
 * What Cognito knows of a session's user beyond the tokens (GetUser): asked at most once per
 * request and access token, under the request's Cognito budget and the user's `cognito.user`
 * limit. One reader per request, shared by the GraphQL context (`me` for a Bearer token) and
 * the app's own routes.
 */
export function userDetailsOf (request: FastifyRequest, reply: FastifyReply): (session: Session) => Promise<UserDetails> {
  request[kDetails] ??= userDetailsReader(request, reply)
  return request[kDetails]
}

function userDetailsReader (request: FastifyRequest, reply: FastifyReply): (session: Session) => Promise<UserDetails> {
  const app = request.server
  let asked: Map<string, Promise<UserDetails>> | undefined
  return (session) => {
    asked ??= new Map()
    let pending = asked.get(session.accessToken)
    if (pending === undefined) {
      pending = withDeadline(requestDeadline(reply, app.config), async () => {
        await app.limits.enforce(request, ['cognito.user'], { address: request.ip, user: session.userId })
        return await app.cognito.getUser(session.accessToken)
      })
      asked.set(session.accessToken, pending)
    }
    return pending
  }
}

/**
 * The caller of `session` as the app's own API sees them, made once per request and session
 * (every guarded app field and requireUser share it).
 */
export function currentUserOf (request: FastifyRequest, reply: FastifyReply, session: Session): Promise<CurrentUser> {
  const made = request[kCurrentUser]
  if (made?.session === session) return made.user
  const user = userOfSession(session, userDetailsOf(request, reply))
  request[kCurrentUser] = { session, user }
  return user
}

/**
 * The user of a session, from its id token; a Bearer access token carries no profile, so then
 * email and name come from Cognito (one GetUser per request). A cookie session costs nothing.
 */
async function userOfSession (session: Session, details: (session: Session) => Promise<UserDetails>): Promise<CurrentUser> {
  const profile = session.profile ?? await details(session)
  // The copy is made on first read: most routes never read the claims, and copying them costs
  // more than the rest of the caller (bench/ANALYSIS.md).
  let claims: AccessTokenClaims | undefined
  return {
    id: session.userId,
    email: profile.email,
    emailVerified: profile.emailVerified,
    name: profile.name,
    groups: session.groups,
    get claims () { return (claims ??= accessClaimsOf(session) as unknown as AccessTokenClaims) },
    set claims (value) { claims = value }
  }
}

/** The status and code a failure to read the caller answers with; undefined for a failure of ours. */
function refusalOf (err: unknown): { status: number, code: ErrorCode, retryAfter?: unknown } | undefined {
  if (!(err instanceof AppError)) return undefined
  const refusal = REFUSALS[err.code]
  if (refusal === undefined) return undefined
  return { ...refusal, retryAfter: (err.extensions as { retryAfter?: unknown } | undefined)?.retryAfter }
}

/** Answers `{"error": CODE}` with the refusal's status (and Retry-After when throttled). */
function refuse (reply: FastifyReply, refusal: { status: number, code: ErrorCode, retryAfter?: unknown }): FastifyReply {
  if (typeof refusal.retryAfter === 'number') reply.header('retry-after', String(refusal.retryAfter))
  return reply.code(refusal.status).send({ error: refusal.code })
}

const kCurrentUser = Symbol('current user')
const kDetails = Symbol('user details')

declare module 'fastify' {
  interface FastifyRequest {
    /** The caller, once `requireUser` (or `currentUser`) has read the session; null before, or without one. */
    user: CurrentUser | null
    [kCurrentUser]: { session: Session, user: Promise<CurrentUser> } | null
    [kDetails]: ((session: Session) => Promise<UserDetails>) | null
  }
  interface FastifyInstance {
    /** A preHandler: 401 without a live session, 503 when it cannot be renewed now; sets `request.user` otherwise. */
    requireUser: typeof requireUser
    /** The caller, or null without a session, for routes that serve both (see currentUser). */
    currentUser: typeof currentUser
  }
}

/**
 * The caller's session and user, read once per request however many times it is asked for (the
 * request's caller, sessions.caller): transparent refresh and every revocation apply. Throws when
 * the session could not be read now (Cognito down during a needed refresh, or throttled).
 */
async function readCaller (request: FastifyRequest, reply: FastifyReply): Promise<Caller | null> {
  const { session, error } = await request.server.sessions.caller(request, reply).get()
  if (error !== undefined) throw error
  if (session === null) return null
  const user = await currentUserOf(request, reply, session)
  request.user = user
  return { user, session }
}

/**
 * The caller, or null without a live session. Throws an AppError when the session cannot be
 * read now (SERVICE_UNAVAILABLE, 503; TOO_MANY_REQUESTS, 429): unknown is not signed out.
 */
async function currentUser (request: FastifyRequest, reply: FastifyReply): Promise<CurrentUser | null> {
  try {
    return (await readCaller(request, reply))?.user ?? null
  } catch (err) {
    const refusal = refusalOf(err)
    if (refusal === undefined) throw err
    if (refusal.status === 401) return null
    throw new AppError(refusal.code, undefined, refusal.retryAfter === undefined ? {} : { retryAfter: refusal.retryAfter }, refusal.status)
  }
}

/** A preHandler for the app's routes: they run only for a live session, with `request.user` set. */
async function requireUser (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> {
  let caller: Caller | null
  try {
    caller = await readCaller(request, reply)
  } catch (err) {
    const refusal = refusalOf(err)
    if (refusal === undefined) throw err
    return refuse(reply, refusal)
  }
  return caller === null ? refuse(reply, { status: 401, code: 'UNAUTHENTICATED' }) : undefined
}

/**
 * A value as a header carries it: printable ASCII as it is, anything else percent-encoded (UTF-8),
 * `%` and `,` too, so that a group name holding a comma cannot split the list.
 */
function headerValue (value: string): string {
  return value.replace(/[^\x21-\x24\x26-\x2b\x2d-\x7e]/gu, (c) => encodeURIComponent(c))
}

/**
 * The request header a proxy sends to get every cookie /session sets repeated in a header of its
 * own, X-Session-Cookie-1, -2 …: nginx passes on only the first Set-Cookie of an auth subrequest.
 * Browsers never let a script send a Proxy-* header, so a page's script cannot read its HttpOnly
 * cookies this way; anything else that can send it holds the cookies already.
 */
const NUMBERED_COOKIES = 'proxy-session-cookies'

const userSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    email: { type: 'string' },
    emailVerified: { type: 'boolean' },
    name: { type: ['string', 'null'] },
    groups: { type: 'array', items: { type: 'string' } }
  },
  required: ['id', 'email', 'emailVerified', 'name', 'groups']
} as const
const refusalSchema = { type: 'object', properties: { error: { type: 'string' } }, required: ['error'] } as const

/**
 * GET /session, for proxies (nginx auth_request, Traefik ForwardAuth, Envoy ext_authz): 200 with
 * the user and X-User-Id, X-User-Email (a verified one only), X-User-Groups for a live session (cookies or Bearer), 401
 * without, 503 when an expired session cannot be renewed now (its cookies stay). It refreshes
 * transparently like /graphql; a cookie session costs no Cognito call until its access token
 * expires. HEAD answers the same headers. Never cached.
 */
async function sessionRoute (fastify: FastifyInstance): Promise<void> {
  fastify.get('/session', {
    schema: { response: { 200: { type: 'object', properties: { user: userSchema, expiresAt: { type: 'string', format: 'date-time' } }, required: ['user', 'expiresAt'] }, '4xx': refusalSchema, '5xx': refusalSchema } },
    onRequest: (_request, reply, done) => {
      reply.header('cache-control', 'no-store')
      done()
    },
    preHandler: requireUser,
    onSend: (request, reply, payload, done) => {
      if (request.headers[NUMBERED_COOKIES] !== undefined) {
        const cookies = reply.getHeader('set-cookie')
        const lines = cookies === undefined ? [] : Array.isArray(cookies) ? cookies : [String(cookies)]
        lines.forEach((line, i) => reply.header(`x-session-cookie-${i + 1}`, line))
      }
      done(null, payload)
    }
  }, async (request, reply) => {
    // requireUser let the request through: the caller is known.
    const { user, session } = await readCaller(request, reply) as Caller
    // An unverified email names no one: an identity provider's user may claim any address, even a
    // password account's. A backend that keys by X-User-Email gets only proven addresses.
    reply.headers({ 'x-user-id': headerValue(user.id), ...(user.emailVerified ? { 'x-user-email': headerValue(user.email) } : {}), 'x-user-groups': user.groups.map(headerValue).join(',') })
    return { user, expiresAt: session.expiresAt }
  })
}

/**
 * The app's own API behind our session: `request.user`, the `requireUser` preHandler and
 * `currentUser` for the app's routes, and GET /session for a proxy in front of any other server.
 */
async function currentUserPlugin (fastify: FastifyInstance): Promise<void> {
  fastify.decorateRequest('user', null)
  fastify.decorateRequest(kCurrentUser, null)
  fastify.decorateRequest(kDetails, null)
  fastify.decorate('requireUser', requireUser)
  fastify.decorate('currentUser', currentUser)
  await fastify.register(sessionRoute)
}

export default fp(currentUserPlugin, { name: 'current-user', dependencies: ['config', 'session', 'cognito', 'rate-limits'] })
