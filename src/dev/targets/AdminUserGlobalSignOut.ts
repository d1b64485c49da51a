// The emulator's AdminUserGlobalSignOut operation: AWS's request in, its response out, its named errors thrown.
import type { AdminUserGlobalSignOutRequest, AdminUserGlobalSignOutResponse } from '@aws-sdk/client-cognito-identity-provider'
import { revokeSessions } from '../rules/access-token.ts'
import { existingUser, poolById } from '../rules/users.ts'
import type { Target } from './target.ts'

/** AdminUserGlobalSignOut, which cognito-local lacks: GlobalSignOut for a user an administrator names; unknown is UserNotFoundException. */
export const AdminUserGlobalSignOut: Target<AdminUserGlobalSignOutRequest, AdminUserGlobalSignOutResponse> = async (req, bridge) => {
  const pool = await poolById(bridge, req.UserPoolId)
  const user = await existingUser(bridge, pool, req.Username)
  await revokeSessions(bridge, pool, user, user.RefreshTokens ?? [])
  return {}
}
