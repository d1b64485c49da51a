// The emulator's AdminDisableUser operation: AWS's request in, its response out, its named errors thrown.
import type { AdminDisableUserRequest, AdminDisableUserResponse } from '@aws-sdk/client-cognito-identity-provider'
import { revokeSessions } from '../rules/access-token.ts'
import { existingUser, poolById } from '../rules/users.ts'
import type { Target } from './target.ts'

/**
 * AdminDisableUser: cognito-local's (the user can no longer sign in or refresh: see the auth
 * flows), and then, as AWS says it "revokes all access tokens for the user", every session of
 * the user ended. Assumed (AWS does not say): the refresh tokens are revoked too, so that
 * enabling the user again brings no old session back.
 */
export const AdminDisableUser: Target<AdminDisableUserRequest, AdminDisableUserResponse> = async (req, bridge) => {
  const out = await bridge.next(req)
  const pool = await poolById(bridge, req.UserPoolId)
  const user = await existingUser(bridge, pool, req.Username)
  await revokeSessions(bridge, pool, user, user.RefreshTokens ?? [])
  return out
}
