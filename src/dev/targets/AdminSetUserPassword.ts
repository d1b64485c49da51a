import type { AdminSetUserPasswordRequest, AdminSetUserPasswordResponse } from '@aws-sdk/client-cognito-identity-provider'
import { enforcePasswordPolicy } from '../rules/passwords.ts'
import { poolById } from '../rules/users.ts'
import type { Target } from './target.ts'

/** AdminSetUserPassword: the pool's password policy enforced (cognito-local takes any password). */
export const AdminSetUserPassword: Target<AdminSetUserPasswordRequest, AdminSetUserPasswordResponse> = async (req, bridge) => {
  enforcePasswordPolicy(await poolById(bridge, req.UserPoolId), req.Password)
  return await bridge.next(req)
}
