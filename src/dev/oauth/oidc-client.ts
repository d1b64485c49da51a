// The managed login as an OpenID Connect relying party of an identity provider, as Cognito is
// of an OIDC provider the pool names: authorization code with PKCE and a nonce, the code
// exchanged over the back channel with client_secret_basic, the id token's signature, issuer,
// audience, expiry and nonce checked before any claim is believed.
import { verify, type KeyObject } from 'node:crypto'
import type { ProviderClaims, ProviderRef } from '../rules/federated-users.ts'
import { s256, withParams } from './http.ts'

/** An OIDC identity provider as the pool is configured with it (CreateIdentityProvider's ProviderDetails). */
export interface OidcProviderSettings {
  ref: ProviderRef
  issuer: string
  /** Where the browser signs in. */
  authorizationEndpoint: string
  /** Where the managed login exchanges a code (server to server). */
  tokenEndpoint: string
  clientId: string
  clientSecret: string
  /** The provider's signing key (by kid), as its JWKS publishes it. */
  signingKeys: ReadonlyMap<string, KeyObject>
  /** The managed login's /oauth2/idpresponse. */
  redirectUri: string
  /** authorize_scopes */
  scope: string
}

/** The provider refused, failed or answered something that does not check out; `code` is an OAuth error code. */
export class ProviderError extends Error {
  readonly code: string
  constructor (code: string, message: string) {
    super(message)
    this.code = code
  }
}

/** Where the browser is sent to sign in at the provider. */
export const authorizationUrl = (p: OidcProviderSettings, { state, nonce, verifier }: { state: string, nonce: string, verifier: string }): string =>
  withParams(p.authorizationEndpoint, {
    response_type: 'code',
    client_id: p.clientId,
    redirect_uri: p.redirectUri,
    scope: p.scope,
    state,
    nonce,
    code_challenge: s256(verifier),
    code_challenge_method: 'S256'
  })

/** Exchanges the provider's code and returns the claims of its id token, once verified. */
export async function exchangeCode (p: OidcProviderSettings, { code, verifier, nonce, now }: { code: string, verifier: string, nonce: string, now: Date }): Promise<ProviderClaims> {
  let answer: Response
  try {
    answer = await fetch(p.tokenEndpoint, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${encodeURIComponent(p.clientId)}:${encodeURIComponent(p.clientSecret)}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded'
      },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: p.redirectUri, code_verifier: verifier }),
      signal: AbortSignal.timeout(10_000)
    })
  } catch (err) {
    throw new ProviderError('server_error', `${p.ref.name} could not be reached: ${(err as Error).message}`)
  }
  const body = await answer.json().catch(() => ({})) as Record<string, unknown>
  if (!answer.ok) throw new ProviderError('invalid_request', `${p.ref.name} refused the code: ${String(body.error ?? answer.status)}`)
  if (typeof body.id_token !== 'string') throw new ProviderError('invalid_request', `${p.ref.name} answered without an id token.`)
  return verifiedClaims(p, body.id_token, nonce, now)
}

function verifiedClaims (p: OidcProviderSettings, idToken: string, nonce: string, now: Date): ProviderClaims {
  const invalid = (why: string): ProviderError => new ProviderError('invalid_request', `${p.ref.name}'s id token ${why}.`)
  const [header, payload, signature, extra] = idToken.split('.')
  if (header === undefined || payload === undefined || signature === undefined || extra !== undefined) throw invalid('is not a JWT')
  const { alg, kid } = JSON.parse(Buffer.from(header, 'base64url').toString()) as { alg?: string, kid?: string }
  const key = kid === undefined ? undefined : p.signingKeys.get(kid)
  if (alg !== 'RS256' || key === undefined) throw invalid('is not signed with a key of the provider')
  if (!verify('sha256', Buffer.from(`${header}.${payload}`), key, Buffer.from(signature, 'base64url'))) throw invalid('has a bad signature')
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>
  const audience = Array.isArray(claims.aud) ? claims.aud : [claims.aud]
  if (claims.iss !== p.issuer) throw invalid('is of another issuer')
  if (!audience.includes(p.clientId)) throw invalid('is for another client')
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= now.getTime()) throw invalid('has expired')
  if (claims.nonce !== nonce) throw invalid('does not carry the nonce of this sign-in')
  if (typeof claims.sub !== 'string' || claims.sub === '') throw invalid('names no subject')
  return {
    sub: claims.sub,
    ...(typeof claims.email === 'string' ? { email: claims.email } : {}),
    ...(typeof claims.email_verified === 'boolean' ? { email_verified: claims.email_verified } : {}),
    ...(typeof claims.name === 'string' ? { name: claims.name } : {})
  }
}
