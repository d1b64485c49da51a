// The emulator's ResendConfirmationCode operation: AWS's request in, its response out, its named errors thrown.
import type { ResendConfirmationCodeRequest, ResendConfirmationCodeResponse } from '@aws-sdk/client-cognito-identity-provider'
import { InvalidParameterError } from 'cognito-local/lib/errors.js'
import { selectAppropriateDeliveryMethod } from 'cognito-local/lib/services/messageDelivery/deliveryMethod.js'
import { maskDelivery, simulatedDelivery } from '../rules/delivery.ts'
import { poolOfClient } from '../rules/users.ts'
import type { Target } from './target.ts'

/**
 * ResendConfirmationCode, which cognito-local lacks: a new sign-up code to the auto-verified
 * attribute, the destination masked; an unknown user gets a simulated delivery (PreventUserExistenceErrors),
 * a confirmed one InvalidParameterException.
 */
export const ResendConfirmationCode: Target<ResendConfirmationCodeRequest, ResendConfirmationCodeResponse> = async (req, bridge) => {
  const { ctx, services } = bridge
  if (typeof req.Username !== 'string') throw new InvalidParameterError('Missing required parameter Username')
  const pool = await poolOfClient(bridge, req.ClientId)
  const user = await pool.getUserByUsername(ctx, req.Username)
  if (user === null) return simulatedDelivery(req.Username)
  if (user.UserStatus === 'CONFIRMED') throw new InvalidParameterError('User is already confirmed.')
  const delivery = selectAppropriateDeliveryMethod(pool.options.AutoVerifiedAttributes ?? [], user)
  if (delivery === null) throw new InvalidParameterError('User has no attribute matching desired auto verified attributes')
  const code = services.otp()
  await pool.saveUser(ctx, { ...user, ConfirmationCode: code, UserLastModifiedDate: services.clock.get() })
  await services.messages.deliver(ctx, 'ResendCode', req.ClientId ?? null, pool.options.Id, user, code, req.ClientMetadata, delivery)
  return maskDelivery({ CodeDeliveryDetails: delivery })
}
