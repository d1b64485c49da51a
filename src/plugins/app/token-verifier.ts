// Token verification: aws-jwt-verify's verifiers, key loading and the verified-token cache.
import type { FastifyBaseLogger } from 'fastify'
import { CognitoJwtVerifier, JwtVerifier } from 'aws-jwt-verify'
import { validateCognitoJwtFields } from 'aws-jwt-verify/cognito-verifier'
import { FetchError, JwtExpiredError, NonRetryableFetchError } from 'aws-jwt-verify/error'
import type { Fetcher } from 'aws-jwt-verify/https'
import { SimpleJwksCache } from 'aws-jwt-verify/jwk'
import type { CognitoAccessTokenPayload, CognitoIdTokenPayload } from 'aws-jwt-verify/jwt-model'
import type { PoolConfig } from '../../config.ts'
import { nowSeconds } from '../../time.ts'

/** The verified claims of an access token: Cognito's vocabulary, read by the session modules only. */
export type AccessClaims = CognitoAccessTokenPayload
/** The verified claims of an id token: Cognito's vocabulary, read by the session modules only. */
export type IdClaims = CognitoIdTokenPayload

/** Verified tokens kept per kind (access, id): about 1 KiB each. */
const VERIFIED_CACHE_SIZE = 10_000

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

/** The pool whose tokens are verified, and how its keys are found. */
export interface TokenVerifierOptions {
  pool: PoolConfig
  /** Public keys to trust without fetching them (aws-jwt-verify fetches keys over https only). */
  jwks?: { keys: unknown[] }
  logger: FastifyBaseLogger
}

/** How long one fetch of the signing keys may take. */
const JWKS_TIMEOUT_MS = 5000

/**
 * Fetches a JWKS over https, or http (allowed only for a configured Cognito-compatible endpoint:
 * the configuration refuses it otherwise); aws-jwt-verify's own fetcher speaks https only.
 */
export const jwksFetcher: Fetcher = {
  async fetch (uri: string, requestOptions?: Parameters<Fetcher['fetch']>[1]): Promise<ArrayBuffer> {
    const timeout = (requestOptions as { responseTimeout?: number } | undefined)?.responseTimeout ?? JWKS_TIMEOUT_MS
    let response: Response
    try {
      response = await fetch(uri, { signal: AbortSignal.timeout(timeout), redirect: 'error' })
    } catch (err) {
      throw new FetchError(uri, (err as Error).message)
    }
    if (response.status !== 200) throw new NonRetryableFetchError(uri, `Status code is ${response.status}, expected 200`)
    return await response.arrayBuffer()
  }
}

/**
 * The issuers a pool's tokens may name: AWS's (regional and global form) and, for a
 * Cognito-compatible endpoint, `${COGNITO_ENDPOINT}/${pool}` and the issuer the JWKS URI belongs
 * to (`<issuer>/.well-known/jwks.json`, as OpenID discovery places it). cognito-local puts
 * `${IssuerDomain}/${pool}` in `iss`; the embedded emulator, AWS's form.
 */
export function acceptedIssuers (pool: PoolConfig): string[] {
  const region = pool.userPoolId.split('_')[0] ?? pool.region
  const issuers = [`https://cognito-idp.${region}.amazonaws.com/${pool.userPoolId}`, `https://issuer-cognito-idp.${region}.amazonaws.com/${pool.userPoolId}`]
  if (pool.endpoint !== undefined) issuers.push(`${pool.endpoint.replace(/\/+$/, '')}/${pool.userPoolId}`)
  const fromJwks = pool.jwksUri?.replace(/\/\.well-known\/jwks\.json$/, '')
  if (fromJwks !== undefined && fromJwks !== pool.jwksUri) issuers.push(fromJwks)
  return [...new Set(issuers)]
}

/** What the verifier needs of aws-jwt-verify's verifiers. */
interface Verifier<T> {
  verify: (token: string) => Promise<T>
  hydrate: () => Promise<void>
}

/**
 * The access and id token verifiers. AWS's pool: aws-jwt-verify's Cognito verifier (keys from
 * AWS over https), or `jwks` given outright. A JWKS URI of its own (COGNITO_JWKS_URI, or the
 * endpoint's): the same checks, with keys from that URI, refetched on an unknown `kid` by
 * aws-jwt-verify's cache (at most once per ten seconds while the `kid` stays unknown).
 */
function createVerifiers (pool: PoolConfig, jwks: { keys: unknown[] } | undefined): { access: Verifier<AccessClaims>, id: Verifier<IdClaims> } {
  if (jwks !== undefined || pool.jwksUri === undefined) {
    const access = CognitoJwtVerifier.create({ userPoolId: pool.userPoolId, clientId: pool.clientId, tokenUse: 'access' })
    const id = CognitoJwtVerifier.create({ userPoolId: pool.userPoolId, clientId: pool.clientId, tokenUse: 'id' })
    if (jwks !== undefined) {
      const keys = jwks as Parameters<typeof access.cacheJwks>[0]
      access.cacheJwks(keys)
      id.cacheJwks(keys)
    }
    return { access, id }
  }
  const jwksCache = new SimpleJwksCache({ fetcher: jwksFetcher })
  const verifier = (tokenUse: 'access' | 'id') => JwtVerifier.create(acceptedIssuers(pool).map((issuer) => ({
    issuer,
    jwksUri: pool.jwksUri as string,
    audience: null,
    customJwtCheck: ({ payload }: { payload: Parameters<typeof validateCognitoJwtFields>[0] }) => validateCognitoJwtFields(payload, { tokenUse, clientId: pool.clientId })
  })), { jwksCache })
  // The payload passed validateCognitoJwtFields: a Cognito token of this use and client.
  return { access: verifier('access') as unknown as Verifier<AccessClaims>, id: verifier('id') as unknown as Verifier<IdClaims> }
}

/**
 * Checks the pool's access and id tokens: signature, issuer, client, use and expiry. Each token
 * is verified once and then served from a cache until it expires; revocation is no concern of
 * this module (revocation.ts is asked on every request).
 */
export function createTokenVerifier ({ pool, jwks, logger }: TokenVerifierOptions) {
  const { access: accessVerifier, id: idVerifier } = createVerifiers(pool, jwks)
  let keysLoaded = jwks !== undefined

  // By their full text, so that one token can never stand for another.
  const verifiedAccess = createVerifiedCache<AccessClaims>(VERIFIED_CACHE_SIZE)
  const verifiedId = createVerifiedCache<IdClaims>(VERIFIED_CACHE_SIZE)

  return {
    /** The claims of a valid access token; 'expired' for one that only has expired, undefined for anything else. */
    async access (token: string): Promise<AccessClaims | 'expired' | undefined> {
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
    },

    /** The claims of a valid id token of user `sub`; undefined for anything else (or no token). */
    async id (token: string | undefined, sub: string): Promise<IdClaims | undefined> {
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
    }
  }
}

/** Verifies the pool's tokens (see createTokenVerifier). */
export type TokenVerifier = ReturnType<typeof createTokenVerifier>

/** Whether a JWT's `exp` has passed, read without verifying it (the tokens are verified after). */
export function hasExpired (token: string): boolean {
  try {
    const { exp } = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as { exp?: unknown }
    return typeof exp !== 'number' || exp <= nowSeconds()
  } catch {
    return true
  }
}
