// Refresh-token rotation as an app client with RefreshTokenRotation ENABLED has it: every refresh
// through GetTokensFromRefreshToken replaces the refresh token presented with a new one of the same
// session (origin_jti, auth_time, and the original expiry); the replaced one still refreshes for
// the client's RetryGracePeriodSeconds (0–60) and then answers RefreshTokenReuseException while its
// session lives. Kept on the stored user, so that it survives a restart like the tokens do.
import { CognitoError } from 'cognito-local/lib/errors.js'
import type { AppClient } from 'cognito-local/lib/services/appClient.js'
import type { DevUser } from './access-token.ts'

/** The app client's rotation setting, as CreateUserPoolClient and UpdateUserPoolClient take it. */
export interface RefreshTokenRotation {
  Feature: 'ENABLED' | 'DISABLED'
  RetryGracePeriodSeconds?: number
}

/** A refresh token rotation replaced: its `jti`, its session, and when. */
interface Rotated { jti: string, originJti: string, at: number }

/** Our bookkeeping on the stored user, beside cognito-local's RefreshTokens. */
export type RotatingUser = DevUser & { RotatedRefreshTokens?: Rotated[] }

/** How many replaced refresh tokens a user's record remembers (the latest). */
const ROTATED_KEPT = 200

/** The client's setting: off unless ENABLED; the grace period clamped to AWS's 0–60 seconds (0 when not given). */
export function rotationOf (client: AppClient): { enabled: boolean, graceSeconds: number } {
  const setting = (client as AppClient & { RefreshTokenRotation?: RefreshTokenRotation }).RefreshTokenRotation
  return { enabled: setting?.Feature === 'ENABLED', graceSeconds: Math.min(60, Math.max(0, setting?.RetryGracePeriodSeconds ?? 0)) }
}

/** When rotation replaced the token `jti`, if it did. */
export function rotatedAt (user: RotatingUser, jti: string): number | undefined {
  return user.RotatedRefreshTokens?.find((r) => r.jti === jti)?.at
}

/** The user's record after `replaced` (jti, session) gave way to `issued`; the replaced token stays usable only within the grace period. */
export function afterRotation (user: RotatingUser, replaced: { token: string, jti: string, originJti: string }, issued: string, now: number, graceSeconds: number): RotatingUser {
  const kept = (user.RefreshTokens ?? []).filter((t) => graceSeconds > 0 || t !== replaced.token)
  const rotated = rotatedAt(user, replaced.jti) === undefined ? [...(user.RotatedRefreshTokens ?? []), { jti: replaced.jti, originJti: replaced.originJti, at: now }] : user.RotatedRefreshTokens ?? []
  return { ...user, RefreshTokens: [...kept, issued], RotatedRefreshTokens: rotated.slice(-ROTATED_KEPT) }
}

/** RefreshTokenReuseException: a refresh token rotation replaced, presented after the grace period. */
export class RefreshTokenReuseError extends CognitoError {
  constructor () {
    super('RefreshTokenReuseException', 'Refresh token has been rotated and is no longer valid.')
  }
}
