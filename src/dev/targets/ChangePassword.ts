// The emulator's ChangePassword operation: AWS's request in, its response out, its named errors thrown.
import type { ChangePasswordRequest, ChangePasswordResponse } from '@aws-sdk/client-cognito-identity-provider'
import { authorize } from '../rules/access-token.ts'
import { incorrectCredentials, translate } from '../rules/errors.ts'
import { checkPasswordHistory, rememberReplacedPassword } from '../rules/password-history.ts'
import { enforcePasswordPolicy } from '../rules/passwords.ts'
import type { Target } from './target.ts'

/**
 * ChangePassword: the access token checked, the new password held to the pool's policy, a wrong
 * previous password NotAuthorizedException (cognito-local: InvalidPasswordException), a password of
 * the user's history PasswordHistoryPolicyViolationException.
 * Assumed: the policy is checked before the previous password.
 */
export const ChangePassword: Target<ChangePasswordRequest, ChangePasswordResponse> = async (req, bridge) => {
  const { pool, user } = await authorize(bridge, req.AccessToken)
  enforcePasswordPolicy(pool, req.ProposedPassword)
  if (req.PreviousPassword === user.Password) checkPasswordHistory(pool, user, req.ProposedPassword)
  const res = await bridge.next(req).catch(translate(['InvalidPasswordException'], incorrectCredentials))
  await rememberReplacedPassword(bridge.ctx, pool, user)
  return res
}
