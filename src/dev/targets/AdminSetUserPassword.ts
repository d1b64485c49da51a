// The emulator's AdminSetUserPassword operation: AWS's request in, its response out, its named errors thrown.
import type { AdminSetUserPasswordRequest, AdminSetUserPasswordResponse } from '@aws-sdk/client-cognito-identity-provider'
import { enforcePasswordPolicy } from '../rules/passwords.ts'
import { checkPasswordHistory, rememberReplacedPassword } from '../rules/password-history.ts'
import { existingUser, poolById } from '../rules/users.ts'
import type { Target } from './target.ts'

/** AdminSetUserPassword: the pool's password policy and password history enforced (cognito-local takes any password). */
export const AdminSetUserPassword: Target<AdminSetUserPasswordRequest, AdminSetUserPasswordResponse> = async (req, bridge) => {
  const pool = await poolById(bridge, req.UserPoolId)
  enforcePasswordPolicy(pool, req.Password)
  const before = await existingUser(bridge, pool, req.Username)
  checkPasswordHistory(pool, before, req.Password)
  const res = await bridge.next(req)
  await rememberReplacedPassword(bridge.ctx, pool, before)
  return res
}
