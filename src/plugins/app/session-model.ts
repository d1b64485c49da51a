// What a session is, in the API's vocabulary: the shapes the session modules share
// (session-lifecycle.ts works with them, session-registry.ts lists them).
import type { AppError } from '../../errors.ts'
import type { SessionToken } from './revocation.ts'
import type { AccessClaims, IdClaims } from './token-verifier.ts'

/** What the id token tells of the user. */
export interface UserProfile {
  email: string
  emailVerified: boolean
  name: string | null
  /** The phone number (E.164), null when the account has none. */
  phone: string | null
  phoneVerified: boolean
}

/**
 * How a session's sign-in proved who the user is: the password (with its second factor, if the
 * account has one), a passkey, a code sent to the email or phone, or an identity provider.
 */
export type SignInFactor = 'password' | 'passkey' | 'code' | 'federated'

/** The tokens behind a session: Cognito's claims stay in the session modules. */
export const kSession = Symbol('session')

export interface SessionTokens {
  access: AccessClaims
  /** The refresh cookie's state, unsealed on first use only (most requests never need it). */
  refresh: () => RefreshState | undefined
}

/** A verified session, in the API's vocabulary: what resolvers know of the caller, read from the tokens alone. */
export interface Session {
  /** The user's id (Cognito's `sub`). */
  userId: string
  /** Cognito's username: what passwords and TOTP codes are checked for; it stays while an email change is pending. */
  username: string
  /** The user's groups. */
  groups: string[]
  /** The sign-in this session comes from: every token refreshed from it shares the id. */
  sessionId: string
  /** When the access token expires. */
  expiresAt: Date
  /** When the user signed in (the access token's `auth_time`): refreshing the session does not move it. */
  authTime: Date
  /** The access token, for the Cognito calls made on the user's behalf. */
  accessToken: string
  /** The user's email from the id token; undefined when the caller brought only a Bearer access token. */
  email: string | undefined
  /** The user as the id token describes them; null when the caller brought only a Bearer access token. */
  profile: UserProfile | null
  /** How the session's sign-in was made, as its refresh cookie says; undefined when unknown (a Bearer token). */
  signedInWith: () => SignInFactor | undefined
  readonly [kSession]: SessionTokens
}

/** The outcome of reading a request's credentials. */
export interface Authentication {
  session: Session | null
  /** Why there is no session when that is not the caller's fault (Cognito down during a refresh). */
  error?: AppError
}

/** The device a sign-in's tokens are bound to (Cognito's `device_key`): its refresh token refreshes only with it. */
export const boundDevice = (access: Record<string, unknown>): { device?: string } => typeof access.device_key === 'string' ? { device: access.device_key } : {}

/** What the sealed refresh cookie carries. */
export interface RefreshState {
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
  /** How the sign-in was made: a refresh keeps it. */
  via?: SignInFactor
  /** The device key the tokens are bound to (a pool that tracks devices): every refresh sends it. */
  device?: string
}

/** The session a token belongs to: Cognito's `origin_jti`, shared by every token of one sign-in (a token without one is its own session). */
export const sessionIdOf = (claims: { jti: string, origin_jti?: string }): string => claims.origin_jti ?? claims.jti

/** A verified access token as revocation judges it. */
export const sessionTokenOf = (access: AccessClaims): SessionToken => ({ sub: access.sub, sessionId: sessionIdOf(access), iat: access.iat, exp: access.exp })

export function sessionOf (accessToken: string, access: AccessClaims, id: IdClaims | undefined, refresh: () => RefreshState | undefined): Session {
  return {
    userId: access.sub,
    username: access.username,
    groups: access['cognito:groups'] ?? [],
    sessionId: sessionIdOf(access),
    expiresAt: new Date(access.exp * 1000),
    authTime: new Date(access.auth_time * 1000),
    accessToken,
    email: typeof id?.email === 'string' ? id.email : undefined,
    profile: id === undefined
      ? null
      : {
          email: String(id.email ?? ''),
          emailVerified: id.email_verified === true,
          name: typeof id.name === 'string' ? id.name : null,
          phone: typeof id.phone_number === 'string' ? id.phone_number : null,
          phoneVerified: id.phone_number_verified === true
        },
    // Only a refresh state of this very session tells how it signed in.
    signedInWith: () => { const state = refresh(); return state?.sid === sessionIdOf(access) ? state.via : undefined },
    [kSession]: { access, refresh }
  }
}

/**
 * The verified access token's claims as the app's own API reads them (`request.user.claims`): a
 * copy, so that an app that changes it cannot change the verified-token cache behind every request.
 */
export function accessClaimsOf (session: Session): Record<string, unknown> {
  return structuredClone(session[kSession].access) as Record<string, unknown>
}

/** `read`, called once at most, on first use. */
export function once<T> (read: () => T): () => T {
  let value: { v: T } | undefined
  return () => (value ??= { v: read() }).v
}

/** Who a token we were just given is for and when it was issued, read without verifying it (it came from Cognito). */
export function issuedClaims (token: string): { sub: string, iat: number } | undefined {
  try {
    const { sub, iat } = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as { sub?: unknown, iat?: unknown }
    return typeof sub === 'string' && typeof iat === 'number' ? { sub, iat } : undefined
  } catch {
    return undefined
  }
}
