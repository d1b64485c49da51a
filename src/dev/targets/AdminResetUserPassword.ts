// The emulator's AdminResetUserPassword operation: AWS's request in, its response out, its named errors thrown.
import type { AdminResetUserPasswordRequest, AdminResetUserPasswordResponse } from '@aws-sdk/client-cognito-identity-provider'
import { InvalidParameterError, NotAuthorizedError } from 'cognito-local/lib/errors.js'
import { recoveryDelivery } from '../rules/delivery.ts'
import { existingUser, poolById } from '../rules/users.ts'
import type { Target } from './target.ts'

/**
 * AdminResetUserPassword, which cognito-local lacks: the user's status becomes RESET_REQUIRED
 * (sign-in then answers PasswordResetRequiredException, cognito-local's own rule) and a code for
 * ConfirmForgotPassword goes the way ForgotPassword sends it (the pool's AccountRecoverySetting:
 * a verified phone number by SMS or a verified email). As AWS: the pool must allow self-service
 * recovery, and a user with no verified email or phone number is InvalidParameterException.
 * Assumed (AWS does not say): the user's sessions stay as they are; a pool whose recovery is
 * admin_only, and a user who has no password of the pool's own (FORCE_CHANGE_PASSWORD, a
 * federated user), are NotAuthorizedException.
 */
export const AdminResetUserPassword: Target<AdminResetUserPasswordRequest, AdminResetUserPasswordResponse> = async (req, bridge) => {
  const { ctx, services } = bridge
  const pool = await poolById(bridge, req.UserPoolId)
  const user = await existingUser(bridge, pool, req.Username)
  if (user.UserStatus === 'FORCE_CHANGE_PASSWORD' || user.UserStatus === 'EXTERNAL_PROVIDER') throw new NotAuthorizedError('User password cannot be reset in the current state.')
  const delivery = recoveryDelivery(pool, user)
  if (delivery === 'admin_only') throw new NotAuthorizedError('The user pool does not allow self-service account recovery (admin_only).')
  if (delivery === undefined) throw new InvalidParameterError('Cannot reset password for the user as there is no registered/verified email or phone_number')
  const code = services.otp()
  await services.messages.deliver(ctx, 'ForgotPassword', null, pool.options.Id, user, code, req.ClientMetadata, delivery as never)
  await pool.saveUser(ctx, { ...user, UserStatus: 'RESET_REQUIRED', ConfirmationCode: code, UserLastModifiedDate: services.clock.get() })
  return {}
}
