// The emulator's GetTokensFromRefreshToken operation: AWS's request in, its response out, its named errors thrown.
import type { GetTokensFromRefreshTokenRequest, GetTokensFromRefreshTokenResponse } from '@aws-sdk/client-cognito-identity-provider'
import { NotAuthorizedError } from 'cognito-local/lib/errors.js'
import { completeAuthenticationResult } from '../rules/authentication-result.ts'
import { checkRefreshDevice } from '../rules/devices.ts'
import { afterRotation, RefreshTokenReuseError, rotatedAt, rotationOf, type RotatingUser } from '../rules/refresh-rotation.ts'
import { poolOfClient } from '../rules/users.ts'
import type { Target } from './target.ts'

/**
 * GetTokensFromRefreshToken, which cognito-local lacks: new access and id tokens of the refresh
 * token's session and, for an app client with refresh-token rotation, a new refresh token that
 * replaces the one presented (../rules/refresh-rotation.ts). A replaced token refreshes again
 * within the grace period; after it, RefreshTokenReuseException while its session lives (a
 * revoked or signed-out session's tokens are NotAuthorizedException, as any revoked token).
 */
export const GetTokensFromRefreshToken: Target<GetTokensFromRefreshTokenRequest, GetTokensFromRefreshTokenResponse> = async (req, bridge) => {
  const { ctx, services, tokens } = bridge
  const pool = await poolOfClient(bridge, req.ClientId)
  const client = await services.cognito.getAppClient(ctx, String(req.ClientId))
  if (client === null) throw new NotAuthorizedError()
  if (client.ClientSecret !== undefined && req.ClientSecret !== client.ClientSecret) throw new NotAuthorizedError(`Client ${client.ClientId} is configured with secret but SECRET_HASH was not received`)
  const claims = tokens.read(req.RefreshToken, 'refresh')
  if (claims === 'expired') throw new NotAuthorizedError('Refresh Token has expired')
  if (claims === undefined || claims.client_id !== req.ClientId) throw new NotAuthorizedError('Invalid Refresh Token')
  const token = String(req.RefreshToken)
  const user: RotatingUser | null = await pool.getUserByUsername(ctx, String(claims['cognito:username']))
  if (user === null) throw new NotAuthorizedError('Refresh Token has been revoked')

  const { enabled, graceSeconds } = rotationOf(client)
  const now = Math.floor(services.clock.get().getTime() / 1000)
  // A replaced token past its grace period no longer counts among the user's tokens.
  const spent = (t: string) => { const c = tokens.read(t, 'refresh'); const at = typeof c === 'object' ? rotatedAt(user, String(c.jti)) : undefined; return at !== undefined && now - at > graceSeconds }
  const current = (user.RefreshTokens ?? []).filter((t) => !spent(t))
  const revoked = user.RevokedOriginJtis?.includes(String(claims.origin_jti)) === true
  if (!current.includes(token) || revoked) {
    const sessionLives = !revoked && current.some((t) => { const c = tokens.read(t, 'refresh'); return typeof c === 'object' && c.origin_jti === claims.origin_jti })
    if (rotatedAt(user, String(claims.jti)) !== undefined && sessionLives) throw new RefreshTokenReuseError()
    throw new NotAuthorizedError('Refresh Token has been revoked')
  }
  if (user.Enabled === false) throw new NotAuthorizedError('User is disabled.')
  checkRefreshDevice(user, claims, req.DeviceKey)

  // The new tokens belong to the same session (origin_jti, auth_time); a rotated refresh token keeps the original expiry.
  const device = typeof claims.device_key === 'string' ? { deviceKey: claims.device_key } : {}
  const session = { originJti: String(claims.origin_jti), authTime: Number(claims.auth_time), refreshExp: Number(claims.exp), ...device }
  const groups = await pool.listUserGroupMembership(ctx, user)
  const issued = await tokens.session.run(session, () => tokens.generate(ctx, user, groups, client))
  if (enabled) {
    await pool.saveUser(ctx, afterRotation({ ...user, RefreshTokens: current }, { token, jti: String(claims.jti), originJti: String(claims.origin_jti) }, issued.RefreshToken, now, graceSeconds))
  }
  const result = { AccessToken: issued.AccessToken, IdToken: issued.IdToken, ...(enabled ? { RefreshToken: issued.RefreshToken } : {}) }
  return completeAuthenticationResult(bridge, { ChallengeParameters: {}, AuthenticationResult: result }) as GetTokensFromRefreshTokenResponse
}
