import type { ConfirmForgotPasswordRequest, ConfirmForgotPasswordResponse } from '@aws-sdk/client-cognito-identity-provider'
import { CodeMismatchError } from 'cognito-local/lib/errors.js'
import { translate } from '../rules/errors.ts'
import { enforcePasswordPolicy } from '../rules/passwords.ts'
import { poolOfClient } from '../rules/users.ts'
import type { Target } from './target.ts'

/**
 * ConfirmForgotPassword: the new password must meet the pool's policy, and an unknown user is
 * CodeMismatchException (PreventUserExistenceErrors). Assumed: the policy is checked before the user exists.
 */
export const ConfirmForgotPassword: Target<ConfirmForgotPasswordRequest, ConfirmForgotPasswordResponse> = async (req, bridge) => {
  enforcePasswordPolicy(await poolOfClient(bridge, req.ClientId), req.Password)
  return await bridge.next(req).catch(translate(['UserNotFoundException'], () => new CodeMismatchError()))
}
