// The sealed state of a federated sign-in between /auth/oauth/:provider and its callback.
import { createHash, randomBytes } from 'node:crypto'
import { digest, sameSecret } from '../../digest.ts'
import type { Revocation } from './revocation.ts'
import type { SealedCookie } from './sealed-cookie.ts'
import type { SessionManager } from './session.ts'

/** What a federated sign-in holds between `/auth/oauth/:provider` and its callback, in this browser only. */
export interface OAuthState {
  /** The `state` sent to `/oauth2/authorize`; the callback must bring it back. */
  state: string
  /** PKCE's code verifier: only its S256 challenge leaves the server before the code exchange. */
  verifier: string
  /** The `nonce` the id token must carry. */
  nonce: string
  provider: string
  /** Where the browser goes afterwards: a path already made safe (safe-redirect.ts). */
  redirect: string
  exp: number
}

/** A sign-in at an identity provider gets ten minutes; then the user starts again. */
export const OAUTH_STATE_TTL_SECONDS = 600

/** 256 random bits, base64url (43 characters: a valid PKCE verifier, RFC 7636 section 4.1). */
const random = (): string => randomBytes(32).toString('base64url')

/** A fresh state, PKCE verifier and nonce for a sign-in with `provider` that ends at `redirect`. */
export function newOAuthState (provider: string, redirect: string): Omit<OAuthState, 'exp'> {
  return { state: random(), verifier: random(), nonce: random(), provider, redirect }
}

/** PKCE's S256 challenge of a verifier: BASE64URL(SHA-256(verifier)). */
export function codeChallenge (verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url')
}

/**
 * The sealed `oauth-state` cookie: HttpOnly, `__Host-` when secure, sealed for its own purpose,
 * ten minutes, and read only against the `state` the callback brings (bound to this browser: a
 * callback opened in another browser, or carrying another sign-in's state, finds nothing).
 * `SameSite=Lax`, whatever the session cookies use: the callback is a top-level navigation from
 * the identity provider's site, on which a `Strict` cookie is not sent.
 */
export function oauthStateCookie (sessions: Pick<SessionManager, 'sealedCookie'>): SealedCookie<OAuthState, string> {
  return sessions.sealedCookie<OAuthState, string>({
    name: 'oauth-state',
    purpose: 'oauth-state',
    ttl: OAUTH_STATE_TTL_SECONDS,
    bind: (held, returned) => sameSecret(returned, held.state)
  }, 'lax')
}

/** Spends a state once, across instances: false when a callback already used it (a replay). */
export async function spendState (revocation: Pick<Revocation, 'claimOnce'>, held: OAuthState): Promise<boolean> {
  return await revocation.claimOnce(`oauth-state:${digest(held.state)}`, held.exp)
}
