// The emulator: the REFRESH_TOKEN_AUTH AuthFlow of InitiateAuth.
import { NotAuthorizedError } from 'cognito-local/lib/errors.js'
import { completeAuthenticationResult } from '../../rules/authentication-result.ts'
import { checkRefreshDevice } from '../../rules/devices.ts'
import { rotationOf } from '../../rules/refresh-rotation.ts'
import type { AuthFlow } from './auth-flow.ts'

/**
 * REFRESH_TOKEN_AUTH (and its alias REFRESH_TOKEN) as AWS answers it: a refresh token that is
 * ours, live, of this app client and not revoked, of a user still enabled, gives new access and
 * id tokens of the same session (origin_jti, auth_time) and no new refresh token. A refresh token
 * of a sign-in with a device refreshes only with its DEVICE_KEY, while the device is remembered by the pool.
 */
export const refreshTokenAuth: AuthFlow = async (req, bridge, pool) => {
  const token = (req.AuthParameters ?? {}).REFRESH_TOKEN
  if (typeof token !== 'string') return await bridge.next(req)
  const claims = bridge.tokens.read(token, 'refresh')
  if (claims === 'expired') throw new NotAuthorizedError('Refresh Token has expired')
  if (claims === undefined || claims.client_id !== req.ClientId) throw new NotAuthorizedError('Invalid Refresh Token')
  // AWS: an app client with refresh-token rotation refreshes through GetTokensFromRefreshToken only (the error is assumed).
  const client = await bridge.services.cognito.getAppClient(bridge.ctx, String(req.ClientId))
  if (client !== null && rotationOf(client).enabled) throw new NotAuthorizedError('Refresh token rotation is enabled for this app client: use GetTokensFromRefreshToken.')
  const user = await pool.getUserByRefreshToken(bridge.ctx, token)
  if (user === null) throw new NotAuthorizedError('Refresh Token has been revoked')
  if (user.Enabled === false) throw new NotAuthorizedError('User is disabled.')
  checkRefreshDevice(user, claims, req.AuthParameters?.DEVICE_KEY)
  // The generator reads origin_jti and auth_time from here: the new tokens belong to the same session.
  // A refresh token of the managed login keeps its OAuth scopes (tokens.ts).
  const session = {
    originJti: String(claims.origin_jti),
    authTime: Number(claims.auth_time),
    ...(typeof claims.scope === 'string' ? { scope: claims.scope } : {}),
    ...(typeof claims.device_key === 'string' ? { deviceKey: claims.device_key } : {})
  }
  return completeAuthenticationResult(bridge, await bridge.tokens.session.run(session, () => bridge.next(req)))
}
