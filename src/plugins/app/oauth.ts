// /auth/oauth/*: federated sign-in through the managed login, as a confidential OAuth client.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { AppError } from '../../errors.ts'
import { requestDeadline } from '../../time.ts'
import { withDeadline } from './cognito.ts'
import { CALLBACK_PATH, createManagedLogin, type ManagedLoginClient } from './cognito/oauth.ts'
import { codeChallenge, newOAuthState, oauthStateCookie, spendState } from './oauth-state.ts'
import { localPath, withError } from './safe-redirect.ts'
import type { Session } from './session.ts'

/**
 * What `?error=` says when a federated sign-in or sign-out ends without a session: a reason
 * class for the page to show, never the provider's own words (docs/http.md lists them).
 */
export const OAUTH_ERRORS = [
  'INVALID_REDIRECT', 'UNKNOWN_PROVIDER', 'INVALID_STATE', 'PROVIDER_ERROR', 'CODE_EXPIRED', 'INVALID_TOKEN', 'FORBIDDEN', 'TOO_MANY_REQUESTS', 'SERVICE_UNAVAILABLE'
] as const
export type OAuthError = typeof OAUTH_ERRORS[number]

/** Provider errors (RFC 6749, section 4.1.2.1) that say the service is down rather than that the user or the request failed. */
const UNAVAILABLE = new Set(['server_error', 'temporarily_unavailable'])

/** The reason class of an AppError raised on the way: the exchange, the session's start, the limits. */
function reasonOf (err: unknown): OAuthError {
  if (!(err instanceof AppError)) return 'SERVICE_UNAVAILABLE'
  switch (err.code) {
    case 'CODE_EXPIRED': return 'CODE_EXPIRED'
    case 'TOO_MANY_REQUESTS': return 'TOO_MANY_REQUESTS'
    case 'UNAUTHENTICATED': return 'INVALID_TOKEN'
    default: return 'SERVICE_UNAVAILABLE'
  }
}

/** Longer than any code, state or path; a parameter past it is as good as none. */
const MAX_PARAMETER = 4096

/**
 * A query parameter given once, as text; undefined otherwise (repeated, too long, absent). Read
 * by hand rather than by a schema: a malformed callback still gets its 302 with a reason, never a 400.
 */
function param (request: FastifyRequest, name: string): string | undefined {
  const value = (request.query as Record<string, unknown>)[name]
  return typeof value === 'string' && value.length <= MAX_PARAMETER ? value : undefined
}

/**
 * Federated sign-in through the pool's managed login, as a confidential OAuth 2.0 client (the
 * browser-based-apps "backend for frontend"): the browser only ever carries a `state` and a
 * code; the code is exchanged here, with PKCE and the client secret, and the tokens go into the
 * session cookies as `signIn` sets them. Routes:
 *
 * - `GET /auth/oauth/:provider?redirect=/path`: a 302 to `/oauth2/authorize`, the state held in
 *   the `oauth-state` cookie (oauth-state.ts);
 * - `GET /auth/oauth/callback`: state, code exchange, id token and nonce, session, a 302 to the
 *   redirect; every failure is a 302 to it with `?error=` and an audit event, never a 5xx;
 * - `GET /auth/oauth/logout?redirect=/path`: ends this session as `signOut` does, then the
 *   managed login's own session (`/logout`), back to `${PUBLIC_ORIGIN}/path`.
 */
export default async function oauth (fastify: FastifyInstance): Promise<void> {
  const { config } = fastify
  const { pool, managedLogin: offered } = fastify.userPool
  let publicOrigin = config.publicOrigin
  let callbackUrl = publicOrigin === undefined ? undefined : `${publicOrigin}${CALLBACK_PATH}`
  // The default origin with PORT=0 (development, tests) names its port once the server listens.
  if (publicOrigin !== undefined && new URL(publicOrigin).port === '0') {
    fastify.addHook('onListen', async () => {
      const address = fastify.server.address()
      if (address === null || typeof address === 'string') return
      publicOrigin = (publicOrigin as string).replace(/:0$/, `:${address.port}`)
      callbackUrl = `${publicOrigin}${CALLBACK_PATH}`
    })
  }
  const client: ManagedLoginClient | undefined = offered === undefined
    ? undefined
    : createManagedLogin({ domain: offered.domain, clientId: pool.clientId, clientSecret: pool.clientSecret, timeoutMs: config.cognitoTimeoutMs, logger: fastify.log.child({ plugin: 'oauth' }) })
  const stateCookie = oauthStateCookie(fastify.sessions)
  const providers = new Set(offered?.providers ?? [])
  // Every answer here is about one browser's sign-in: no cache keeps any of them.
  fastify.addHook('onSend', async (_request, reply) => { reply.header('cache-control', 'no-store') })

  /** Ends a sign-in attempt without a session: the audit event, then back to the page with the reason. */
  function refuse (request: FastifyRequest, reply: FastifyReply, target: string, reason: OAuthError, provider?: string): FastifyReply {
    fastify.audit.record(request, { event: 'federated-sign-in', outcome: 'failure', code: reason, ...(provider !== undefined ? { provider } : {}) })
    return reply.redirect(withError(target, reason), 302)
  }

  /** The page to return to: `/` when none is named; undefined for one this server will not send a browser to. */
  const returnTo = (query: unknown, redirect: string | undefined): string | undefined =>
    (query as Record<string, unknown>).redirect === undefined ? '/' : localPath(redirect)

  fastify.get<{ Params: { provider: string } }>('/auth/oauth/:provider', async (request, reply) => {
    const redirect = returnTo(request.query, param(request, 'redirect'))
    const { provider } = request.params
    if (redirect === undefined) return refuse(request, reply, '/', 'INVALID_REDIRECT', provider)
    if (client === undefined || callbackUrl === undefined || !providers.has(provider)) return refuse(request, reply, redirect, 'UNKNOWN_PROVIDER')
    // Counted before the sign-in starts: each start leads to a callback that stores a claim.
    const limited = await fastify.limits.enforce(request, ['oauth.address'], { address: request.ip }).then((done) => { done() }, reasonOf)
    if (limited !== undefined) return refuse(request, reply, redirect, limited, provider)
    const held = stateCookie.write(reply, newOAuthState(provider, redirect))
    return reply.redirect(client.authorizeUrl({ provider, redirectUri: callbackUrl, state: held.state, codeChallenge: codeChallenge(held.verifier), nonce: held.nonce }), 302)
  })

  fastify.get(CALLBACK_PATH, async (request, reply) => {
    const [code, state, error] = [param(request, 'code'), param(request, 'state'), param(request, 'error')]
    // Where to go, even when the callback fails: the sealed redirect of this browser's sign-in.
    const opened = stateCookie.open(request)
    const target = opened?.redirect ?? '/'
    // Spent whatever happens next: one callback per sign-in.
    if (stateCookie.sent(request)) stateCookie.clear(reply)
    const held = state === undefined ? undefined : stateCookie.read(request, state)
    const redirectUri = callbackUrl
    if (client === undefined || redirectUri === undefined || held === undefined || state === undefined) return refuse(request, reply, target, 'INVALID_STATE', opened?.provider)
    const { provider } = held
    // An error or no code ends the sign-in here: there is nothing to redeem, so nothing is claimed.
    if (error !== undefined) return refuse(request, reply, target, UNAVAILABLE.has(error) ? 'SERVICE_UNAVAILABLE' : 'PROVIDER_ERROR', provider)
    if (code === undefined || code === '') return refuse(request, reply, target, 'PROVIDER_ERROR', provider)
    try {
      // Counted before anything is stored (the state's claim) or redeemed (a sign-in from this address).
      const done = await fastify.limits.enforce(request, ['oauth.address', 'signIn.address'], { address: request.ip })
      try {
        if (!(await spendState(fastify.revocation, held))) return refuse(request, reply, target, 'INVALID_STATE', provider)
        const session = await withDeadline(requestDeadline(reply, config), async () => {
          const tokens = await client.exchangeCode(code, held.verifier, redirectUri)
          return await fastify.sessions.start(request, reply, tokens, { nonce: held.nonce })
        })
        fastify.audit.record(request, { event: 'federated-sign-in', outcome: 'success', userId: session.userId, email: session.email, provider, subject: { userId: session.userId, email: session.email } })
        return reply.redirect(target, 302)
      } finally {
        done()
      }
    } catch (err) {
      if (!(err instanceof AppError)) request.log.error({ err }, 'federated sign-in failed')
      return refuse(request, reply, target, reasonOf(err), provider)
    }
  })

  fastify.get('/auth/oauth/logout', async (request, reply) => {
    const redirect = returnTo(request.query, param(request, 'redirect'))
    // A page of another site may link here; it ends nothing (see docs/http.md, "CSRF").
    const refused: OAuthError | undefined = redirect === undefined ? 'INVALID_REDIRECT' : request.headers['sec-fetch-site'] === 'cross-site' ? 'FORBIDDEN' : undefined
    if (refused !== undefined || redirect === undefined) {
      fastify.audit.record(request, { event: 'sign-out', outcome: 'failure', code: refused, operation: 'oauth-logout' })
      return reply.redirect(withError(redirect ?? '/', refused ?? 'INVALID_REDIRECT'), 302)
    }
    let session: Session | null = null
    try {
      session = await fastify.sessions.caller(request, reply).peek()
      await withDeadline(requestDeadline(reply, config), async () => await fastify.sessions.end(request, reply, session))
    } catch (err) {
      // Nothing that can fail comes after the cookies are cleared: a sign-out that could not be
      // recorded (Redis down) keeps them, and the page learns why, rather than a sign-out that is not one.
      request.log.warn({ err }, 'ending the session at sign-out failed')
      const reason = reasonOf(err)
      fastify.audit.record(request, { event: 'sign-out', outcome: 'failure', code: reason, userId: session?.userId, operation: 'oauth-logout' })
      return reply.redirect(withError(redirect, reason), 302)
    }
    fastify.audit.record(request, { event: 'sign-out', outcome: 'success', userId: session?.userId, operation: 'oauth-logout', ...(session !== null ? { subject: { userId: session.userId, email: session.email } } : {}) })
    if (client === undefined || publicOrigin === undefined) return reply.redirect(redirect, 302)
    return reply.redirect(client.logoutUrl(`${publicOrigin}${redirect}`), 302)
  })
}
