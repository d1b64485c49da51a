import type { AdminResetUserPasswordRequest, AdminResetUserPasswordResponse } from '@aws-sdk/client-cognito-identity-provider'
import { InvalidParameterError } from 'cognito-local/lib/errors.js'
import { attributeValue } from 'cognito-local/lib/services/userPoolService.js'
import { existingUser, poolById } from '../rules/users.ts'
import type { Target } from './target.ts'

/**
 * AdminResetUserPassword, which cognito-local lacks: the user's status becomes RESET_REQUIRED
 * (sign-in then answers PasswordResetRequiredException, cognito-local's own rule) and a code for
 * ConfirmForgotPassword goes to their email, as ForgotPassword sends it. Assumed (AWS does not
 * say): the user's sessions stay as they are, and a user without an email is
 * InvalidParameterException.
 */
export const AdminResetUserPassword: Target<AdminResetUserPasswordRequest, AdminResetUserPasswordResponse> = async (req, bridge) => {
  const { ctx, services } = bridge
  const pool = await poolById(bridge, req.UserPoolId)
  const user = await existingUser(bridge, pool, req.Username)
  const email = attributeValue('email', user.Attributes)
  if (email === undefined) throw new InvalidParameterError('The user has no email to send a reset code to.')
  const code = services.otp()
  await services.messages.deliver(ctx, 'ForgotPassword', null, pool.options.Id, user, code, req.ClientMetadata, { DeliveryMedium: 'EMAIL', AttributeName: 'email', Destination: email })
  await pool.saveUser(ctx, { ...user, UserStatus: 'RESET_REQUIRED', ConfirmationCode: code, UserLastModifiedDate: services.clock.get() })
  return {}
}
