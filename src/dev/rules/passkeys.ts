// Passkeys (WebAuthn credentials) as the emulator's pool keeps and checks them: stored on the user
// record (in the pool's file, like the bridge's other bookkeeping), the pool's relying party
// (WebAuthnConfiguration; `localhost` without one) and user verification, and the origins of that
// relying party (for localhost: only the origins the server is reached at; otherwise https on its host).
// Signatures are verified for real with @simplewebauthn/server.
import { createHmac, randomBytes } from 'node:crypto'
import type { AuthenticationResponseJSON } from '@simplewebauthn/server'
import { NotAuthorizedError } from 'cognito-local/lib/errors.js'
import type { User, UserPoolService } from 'cognito-local/lib/services/userPoolService.js'
import type { Bridge } from './bridge.ts'
import { DEFAULT_RELYING_PARTY_ID, webAuthnOf } from './pool-mfa.ts'
import { webAuthn } from './webauthn.ts'

/** How long a browser may take over a ceremony (AWS's options say 60 seconds; the session lives three minutes). */
export const CEREMONY_TIMEOUT_MS = 60_000

/** The server's default origin (PUBLIC_ORIGIN with the default PORT): the emulator's allowed origin until told others. */
export const DEFAULT_WEBAUTHN_ORIGIN = 'http://localhost:3000'

/**
 * The origins a credential may come from. For the relying party `localhost` (a pool without
 * WebAuthnConfiguration, development): the pages of the server the pool serves, as that server
 * says (setWebAuthnOrigins), not every localhost port: any other local server (a dev server, a
 * page opened from another project) is a page of `localhost` too, and could otherwise ask the
 * browser for the user's passkey and hand the assertion on. For a configured relying party:
 * https on its host or a subdomain of it, any port (WebAuthn's rule).
 */
export class WebAuthnOrigins {
  #allowed: ReadonlySet<string> = new Set([DEFAULT_WEBAUTHN_ORIGIN])

  set (origins: readonly string[]): void {
    this.#allowed = new Set(origins.map((origin) => new URL(origin).origin))
  }

  allows (origin: unknown, relyingPartyId: string): origin is string {
    if (typeof origin !== 'string') return false
    if (relyingPartyId === DEFAULT_RELYING_PARTY_ID) return this.#allowed.has(origin)
    let url: URL
    try {
      url = new URL(origin)
    } catch {
      return false
    }
    if (url.origin !== origin || url.protocol !== 'https:') return false
    return url.hostname === relyingPartyId || url.hostname.endsWith(`.${relyingPartyId}`)
  }
}

/** A registered passkey, as the user record keeps it. */
export interface StoredPasskey {
  CredentialId: string
  /** The COSE public key, base64url. */
  PublicKey: string
  Counter: number
  AuthenticatorTransports: string[]
  AuthenticatorAttachment?: string
  FriendlyCredentialName: string
  RelyingPartyId: string
  /** Epoch milliseconds. */
  CreatedAt: number
}

/** The user record with the bridge's passkeys. */
export type PasskeyUser = User & { WebAuthnCredentials?: StoredPasskey[] }

export const passkeysOf = (user: User): StoredPasskey[] => (user as PasskeyUser).WebAuthnCredentials ?? []

/** Saves the user's passkeys (on their record as it is now, read again so nothing else is lost); the record saved. */
export async function savePasskeys ({ ctx, services }: Pick<Bridge, 'ctx' | 'services'>, pool: UserPoolService, user: User, passkeys: StoredPasskey[]): Promise<User> {
  const current = await pool.getUserByUsername(ctx, user.Username) ?? user
  const saved: PasskeyUser = { ...current, WebAuthnCredentials: passkeys, UserLastModifiedDate: services.clock.get() }
  await pool.saveUser(ctx, saved)
  return saved
}

/** The pool allows passkeys as a first factor (Policies.SignInPolicy.AllowedFirstAuthFactors). */
export const allowsPasskeys = (pool: UserPoolService): boolean => allowedFirstFactors(pool).includes('WEB_AUTHN')

/** The pool's Policies.SignInPolicy.AllowedFirstAuthFactors (cognito-local keeps what it is given). */
export function allowedFirstFactors (pool: UserPoolService): string[] {
  const policies = pool.options.Policies as { SignInPolicy?: { AllowedFirstAuthFactors?: string[] } } | undefined
  return policies?.SignInPolicy?.AllowedFirstAuthFactors ?? ['PASSWORD']
}

// Made once per emulator: an unknown username gets the same made-up credential id at each try.
const GHOST_KEY = randomBytes(32)

/**
 * PublicKeyCredentialRequestOptionsJSON for a WEB_AUTHN challenge: the user's passkeys allowed, or
 * for a ghost (an unknown username) one made-up credential id, stable per username, so that the
 * answer looks like a real user's.
 */
export async function requestOptions (pool: UserPoolService, user: User | null, username: string): Promise<{ json: string, challenge: string }> {
  const allowCredentials = user === null
    ? [{ id: createHmac('sha256', GHOST_KEY).update(username.toLowerCase()).digest('base64url'), transports: ['internal', 'hybrid'] }]
    : passkeysOf(user).map((p) => ({ id: p.CredentialId, transports: p.AuthenticatorTransports }))
  const { relyingPartyId, userVerification } = webAuthnOf(pool)
  const { generateAuthenticationOptions } = await webAuthn()
  const options = await generateAuthenticationOptions({ rpID: relyingPartyId, allowCredentials, userVerification, timeout: CEREMONY_TIMEOUT_MS })
  return { json: JSON.stringify(options), challenge: options.challenge }
}

/**
 * Verifies a WEB_AUTHN answer (CREDENTIAL, an AuthenticationResponseJSON string) against the
 * challenge of its session: one of this user's passkeys, signed for the pool's relying party at
 * an allowed origin, verified by the user where the pool requires it, a counter that went up; then stores the new counter and returns the user as saved
 * (sign in with that record: an older one would put the old counter back). Anything else is
 * NotAuthorizedException (assumed: AWS names no other error for a refused assertion).
 */
export async function verifyAssertion (bridge: Pick<Bridge, 'ctx' | 'services' | 'origins'>, pool: UserPoolService, user: User, credential: unknown, expectedChallenge: string): Promise<User> {
  const refused = (why: string) => new NotAuthorizedError(`Passkey authentication failed: ${why}.`)
  let response: AuthenticationResponseJSON
  try {
    response = JSON.parse(String(credential)) as AuthenticationResponseJSON
  } catch {
    throw refused('CREDENTIAL is not an AuthenticationResponseJSON')
  }
  const passkeys = passkeysOf(user)
  const passkey = passkeys.find((p) => p.CredentialId === response?.id)
  if (passkey === undefined) throw refused('the credential is not registered for this user')
  const { decodeClientDataJSON, isoBase64URL, verifyAuthenticationResponse } = await webAuthn()
  let origin: unknown
  try {
    origin = decodeClientDataJSON(response.response.clientDataJSON).origin
  } catch {
    throw refused('unreadable client data')
  }
  const { relyingPartyId, userVerification } = webAuthnOf(pool)
  if (!bridge.origins.allows(origin, relyingPartyId)) throw refused('the origin is not allowed')
  const result = await verifyAuthenticationResponse({
    response,
    expectedChallenge,
    expectedOrigin: String(origin),
    expectedRPID: relyingPartyId,
    credential: { id: passkey.CredentialId, publicKey: isoBase64URL.toBuffer(passkey.PublicKey), counter: passkey.Counter, transports: passkey.AuthenticatorTransports as never },
    requireUserVerification: userVerification === 'required'
  }).catch((err: unknown) => { throw refused(err instanceof Error ? err.message : 'not verified') })
  if (!result.verified) throw refused('the signature does not verify')
  return await savePasskeys(bridge, pool, user, passkeys.map((p) => p === passkey ? { ...p, Counter: result.authenticationInfo.newCounter } : p))
}
