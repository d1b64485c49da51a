// The emulator's AdminListGroupsForUser operation: AWS's request in, its response out, its named errors thrown.
import type { AdminListGroupsForUserRequest, AdminListGroupsForUserResponse } from '@aws-sdk/client-cognito-identity-provider'
import { poolById } from '../rules/users.ts'
import type { Target } from './target.ts'

/**
 * AdminListGroupsForUser: the groups of a user named by email too. cognito-local looks the user up
 * by email but then matches group members by that email, where it keeps usernames.
 */
export const AdminListGroupsForUser: Target<AdminListGroupsForUserRequest, AdminListGroupsForUserResponse> = async (req, bridge) => {
  const pool = await poolById(bridge, req.UserPoolId)
  const user = await pool.getUserByUsername(bridge.ctx, String(req.Username))
  return await bridge.next(user === null ? req : { ...req, Username: user.Username })
}
