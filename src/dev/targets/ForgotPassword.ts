// The emulator's ForgotPassword operation: AWS's request in, its response out, its named errors thrown.
import type { ForgotPasswordRequest, ForgotPasswordResponse } from '@aws-sdk/client-cognito-identity-provider'
import { InvalidParameterError, NotAuthorizedError, UserNotFoundError } from 'cognito-local/lib/errors.js'
import { maskDelivery, recoveryDelivery, simulatedDelivery } from '../rules/delivery.ts'
import { isFederated, poolOfClient } from '../rules/users.ts'
import type { Target } from './target.ts'

/**
 * ForgotPassword: the code goes the way the pool's AccountRecoverySetting orders (a verified
 * phone number by SMS, or a verified email; AWS's legacy order without a setting), masked; a user
 * with no verified way InvalidParameterException, a pool whose recovery is admin_only
 * NotAuthorizedException; an unknown user a simulated delivery when the app client hides
 * existence (PreventUserExistenceErrors ENABLED), else UserNotFoundException. Assumed: a federated
 * user (DevIdP_…, no password to reset) is answered as an unknown one, and the messages of the
 * two refusals.
 */
export const ForgotPassword: Target<ForgotPasswordRequest, ForgotPasswordResponse> = async (req, bridge) => {
  const { ctx, services } = bridge
  const pool = await poolOfClient(bridge, req.ClientId)
  const user = await pool.getUserByUsername(ctx, String(req.Username))
  if (user === null || isFederated(user)) {
    const client = await services.cognito.getAppClient(ctx, String(req.ClientId))
    if (client?.PreventUserExistenceErrors !== 'ENABLED') throw new UserNotFoundError('Username/client id combination not found.')
    return simulatedDelivery(req.Username)
  }
  const delivery = recoveryDelivery(pool, user)
  if (delivery === 'admin_only') throw new NotAuthorizedError('The user pool lets only an administrator reset passwords.')
  if (delivery === undefined) throw new InvalidParameterError('Cannot reset password for the user as there is no registered/verified email or phone_number')
  const code = services.otp()
  await services.messages.deliver(ctx, 'ForgotPassword', req.ClientId ?? null, pool.options.Id, user, code, req.ClientMetadata, delivery as never)
  await pool.saveUser(ctx, { ...user, ConfirmationCode: code, UserLastModifiedDate: services.clock.get() })
  return maskDelivery({ CodeDeliveryDetails: delivery })
}
