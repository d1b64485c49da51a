// The emulator's ConfirmForgotPassword operation: AWS's request in, its response out, its named errors thrown.
import type { ConfirmForgotPasswordRequest, ConfirmForgotPasswordResponse } from '@aws-sdk/client-cognito-identity-provider'
import { CodeMismatchError } from 'cognito-local/lib/errors.js'
import { translate } from '../rules/errors.ts'
import { checkPasswordHistory, rememberReplacedPassword } from '../rules/password-history.ts'
import { enforcePasswordPolicy } from '../rules/passwords.ts'
import { postConfirmation } from '../rules/user-triggers.ts'
import { poolOfClient } from '../rules/users.ts'
import type { Target } from './target.ts'

/**
 * ConfirmForgotPassword: the new password must meet the pool's policy, and an unknown user is
 * CodeMismatchException (PreventUserExistenceErrors); with the right code, a password of the
 * user's history PasswordHistoryPolicyViolationException; then the post confirmation trigger
 * (PostConfirmation_ConfirmForgotPassword). Assumed: the policy is checked before the user exists.
 */
export const ConfirmForgotPassword: Target<ConfirmForgotPasswordRequest, ConfirmForgotPasswordResponse> = async (req, bridge) => {
  const pool = await poolOfClient(bridge, req.ClientId)
  enforcePasswordPolicy(pool, req.Password)
  const before = await pool.getUserByUsername(bridge.ctx, String(req.Username))
  if (before !== null && req.ConfirmationCode === before.ConfirmationCode) checkPasswordHistory(pool, before, req.Password)
  const res = await bridge.next(req).catch(translate(['UserNotFoundException'], () => new CodeMismatchError()))
  if (before === null) return res
  await rememberReplacedPassword(bridge.ctx, pool, before)
  const after = await pool.getUserByUsername(bridge.ctx, before.Username)
  if (after !== null) await postConfirmation(bridge, pool, after, 'ConfirmForgotPassword', req.ClientId, req.ClientMetadata)
  return res
}
