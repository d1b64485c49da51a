import type { RevokeTokenRequest, RevokeTokenResponse } from '@aws-sdk/client-cognito-identity-provider'
import { revokeSessions } from '../rules/access-token.ts'
import { poolOfClient } from '../rules/users.ts'
import type { Target } from './target.ts'

/** RevokeToken: the refresh token revoked, and the access tokens issued with it (cognito-local revokes only the refresh token). */
export const RevokeToken: Target<RevokeTokenRequest, RevokeTokenResponse> = async (req, bridge) => {
  const pool = await poolOfClient(bridge, req.ClientId)
  const user = typeof req.Token === 'string' ? await pool.getUserByRefreshToken(bridge.ctx, req.Token) : null
  if (user === null || typeof req.Token !== 'string') return await bridge.next(req) // cognito-local's answer for a token it does not know
  await revokeSessions(bridge, pool, user, [req.Token])
  return {}
}
