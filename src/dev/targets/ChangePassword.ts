import type { ChangePasswordRequest, ChangePasswordResponse } from '@aws-sdk/client-cognito-identity-provider'
import { authorize } from '../rules/access-token.ts'
import { incorrectCredentials, translate } from '../rules/errors.ts'
import { enforcePasswordPolicy } from '../rules/passwords.ts'
import type { Target } from './target.ts'

/**
 * ChangePassword: the access token checked, the new password held to the pool's policy, a wrong
 * previous password NotAuthorizedException (cognito-local: InvalidPasswordException).
 * Assumed: the policy is checked before the previous password.
 */
export const ChangePassword: Target<ChangePasswordRequest, ChangePasswordResponse> = async (req, bridge) => {
  const { pool } = await authorize(bridge, req.AccessToken)
  enforcePasswordPolicy(pool, req.ProposedPassword)
  return await bridge.next(req).catch(translate(['InvalidPasswordException'], incorrectCredentials))
}
