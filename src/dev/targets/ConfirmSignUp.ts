import type { ConfirmSignUpRequest, ConfirmSignUpResponse } from '@aws-sdk/client-cognito-identity-provider'
import { NotAuthorizedError } from 'cognito-local/lib/errors.js'
import { attributesAppend, attributeValue } from 'cognito-local/lib/services/userPoolService.js'
import { poolOfClient } from '../rules/users.ts'
import type { Target } from './target.ts'

/**
 * ConfirmSignUp: a confirmed account cannot be confirmed again whatever the code (cognito-local
 * says the code expired), and confirming marks the auto-verified email verified (cognito-local does not).
 */
export const ConfirmSignUp: Target<ConfirmSignUpRequest, ConfirmSignUpResponse> = async (req, bridge) => {
  const pool = await poolOfClient(bridge, req.ClientId)
  const before = await pool.getUserByUsername(bridge.ctx, String(req.Username))
  if (before?.UserStatus === 'CONFIRMED') throw new NotAuthorizedError('User cannot be confirmed. Current status is CONFIRMED')
  const res = await bridge.next(req)
  // The code went to the auto-verified email, so AWS marks it verified.
  const user = await pool.getUserByUsername(bridge.ctx, String(req.Username))
  if (user !== null && pool.options.AutoVerifiedAttributes?.includes('email') === true && attributeValue('email', user.Attributes) !== undefined) {
    await pool.saveUser(bridge.ctx, { ...user, Attributes: attributesAppend(user.Attributes, { Name: 'email_verified', Value: 'true' }) })
  }
  return res
}
