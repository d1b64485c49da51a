import type { AdminCreateUserRequest, AdminCreateUserResponse } from '@aws-sdk/client-cognito-identity-provider'
import { temporaryPassword } from '../../password-policy.ts'
import { enforcePasswordPolicy } from '../rules/passwords.ts'
import { poolById } from '../rules/users.ts'
import type { Target } from './target.ts'

/**
 * AdminCreateUser: a temporary password given must meet the pool's policy, and one made up meets
 * it too (cognito-local's six random characters may not). Assumed: the shape of a made-up one
 * (12+ characters with upper, lower, digit and symbol).
 */
export const AdminCreateUser: Target<AdminCreateUserRequest, AdminCreateUserResponse> = async (req, bridge) => {
  const pool = await poolById(bridge, req.UserPoolId)
  const temporary = req.TemporaryPassword ?? temporaryPassword(pool.options.Policies?.PasswordPolicy)
  enforcePasswordPolicy(pool, temporary)
  return await bridge.next({ ...req, TemporaryPassword: temporary })
}
