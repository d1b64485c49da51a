// The managed login's HTTP side: the authorize and sign-out URLs, the code exchanged at /oauth2/token.
import type { FastifyBaseLogger } from 'fastify'
import { AppError } from '../../../errors.ts'
import type { Tokens } from './types.ts'

/** The pool's managed login (hosted UI) as the server uses it: a confidential OAuth 2.0 client. */
export interface ManagedLoginOptions {
  /** The managed-login domain, a URL without a path. */
  domain: string
  clientId: string
  /** Sent as HTTP Basic credentials (client_secret_basic) when the app client has one. */
  clientSecret?: string
  /** Bound of one call to the token endpoint, in milliseconds (COGNITO_TIMEOUT_MS). */
  timeoutMs: number
  logger: FastifyBaseLogger
}

/** What the browser is sent to `/oauth2/authorize` with. */
export interface AuthorizeRequest {
  provider: string
  redirectUri: string
  state: string
  /** BASE64URL(SHA-256(code verifier)): PKCE's S256 challenge. */
  codeChallenge: string
  nonce: string
}

/**
 * The scopes asked for: OpenID itself, the id token's email and profile, and
 * `aws.cognito.signin.user.admin`, without which Cognito refuses the access token to the user
 * operations the session needs (GetUser, GlobalSignOut, UpdateUserAttributes …).
 */
export const SCOPES = 'openid email profile aws.cognito.signin.user.admin'

/** The server's OAuth callback route, under PUBLIC_ORIGIN: the redirect URL the app client must list. */
export const CALLBACK_PATH = '/auth/oauth/callback'

/** An OAuth `error` the token endpoint answers with (RFC 6749, section 5.2). */
interface TokenError { error?: unknown }

/** RFC 6749's form encoding of a client credential before it goes into Basic (section 2.3.1). */
const formEncode = (value: string): string => encodeURIComponent(value).replace(/%20/g, '+')

/**
 * The managed login's HTTP endpoints: the authorize URL the browser is sent to, the code
 * exchanged at `/oauth2/token` from this server (never from the browser), and the sign-out URL.
 * Failures are AppErrors: a code the token endpoint refuses (used, expired, a PKCE verifier that
 * does not match, another redirect URI: `invalid_grant`) is CODE_EXPIRED; anything else (no
 * answer in time, a 5xx, a refused client) is SERVICE_UNAVAILABLE, logged by its cause.
 */
export function createManagedLogin (options: ManagedLoginOptions) {
  const { domain, clientId, clientSecret, timeoutMs, logger } = options
  const tokenEndpoint = `${domain}/oauth2/token`

  function unavailable (cause: Record<string, unknown>): AppError {
    logger.warn({ operation: 'oauth2/token', ...cause }, 'managed login call failed')
    return new AppError('SERVICE_UNAVAILABLE')
  }

  return {
    domain,

    /** Where the browser starts: straight to the identity provider's own sign-in (`identity_provider`). */
    authorizeUrl (request: AuthorizeRequest): string {
      const url = new URL('/oauth2/authorize', domain)
      url.search = new URLSearchParams({
        response_type: 'code',
        client_id: clientId,
        redirect_uri: request.redirectUri,
        identity_provider: request.provider,
        scope: SCOPES,
        state: request.state,
        code_challenge_method: 'S256',
        code_challenge: request.codeChallenge,
        nonce: request.nonce
      }).toString()
      return url.href
    },

    /** Redeems an authorization code with its PKCE verifier: the tokens, or an AppError. */
    async exchangeCode (code: string, codeVerifier: string, redirectUri: string): Promise<Tokens> {
      const body = new URLSearchParams({ grant_type: 'authorization_code', client_id: clientId, code, redirect_uri: redirectUri, code_verifier: codeVerifier })
      const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }
      if (clientSecret !== undefined) headers.authorization = `Basic ${Buffer.from(`${formEncode(clientId)}:${formEncode(clientSecret)}`).toString('base64')}`
      let response: Response
      let answer: Record<string, unknown>
      try {
        response = await fetch(tokenEndpoint, { method: 'POST', headers, body, redirect: 'error', signal: AbortSignal.timeout(timeoutMs) })
        answer = await response.json().catch(() => ({})) as Record<string, unknown>
      } catch (err) {
        throw unavailable({ errno: (err as { cause?: { code?: string } }).cause?.code, reason: (err as Error).name })
      }
      if (!response.ok) {
        const error = (answer as TokenError).error
        if (response.status === 400 && error === 'invalid_grant') throw new AppError('CODE_EXPIRED')
        throw unavailable({ status: response.status, error: typeof error === 'string' ? error.slice(0, 64) : undefined })
      }
      const { access_token: accessToken, id_token: idToken, refresh_token: refreshToken } = answer
      if (typeof accessToken !== 'string' || typeof idToken !== 'string') throw unavailable({ status: response.status, reason: 'no tokens in the answer' })
      return { accessToken, idToken, ...(typeof refreshToken === 'string' ? { refreshToken } : {}) }
    },

    /**
     * Ends the managed login's own session (its cookie on the managed-login domain) and sends the
     * browser on to `logoutUri`, which must be one of the app client's allowed sign-out URLs.
     */
    logoutUrl (logoutUri: string): string {
      const url = new URL('/logout', domain)
      url.search = new URLSearchParams({ client_id: clientId, logout_uri: logoutUri }).toString()
      return url.href
    }
  }
}

/** The managed login's endpoints (see createManagedLogin). */
export type ManagedLoginClient = ReturnType<typeof createManagedLogin>
