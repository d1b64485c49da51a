import type { ForgotPasswordRequest, ForgotPasswordResponse } from '@aws-sdk/client-cognito-identity-provider'
import { CognitoError } from 'cognito-local/lib/errors.js'
import { maskDelivery, simulatedDelivery } from '../rules/delivery.ts'
import { isFederated, poolOfClient } from '../rules/users.ts'
import type { Target } from './target.ts'

/**
 * ForgotPassword: the destination masked, and for an unknown user a simulated delivery
 * (PreventUserExistenceErrors). Assumed: a federated user (DevIdP_…, no password to reset) is
 * answered as an unknown one.
 */
export const ForgotPassword: Target<ForgotPasswordRequest, ForgotPasswordResponse> = async (req, bridge) => {
  const user = await (await poolOfClient(bridge, req.ClientId)).getUserByUsername(bridge.ctx, String(req.Username))
  if (user !== null && isFederated(user)) return maskDelivery(simulatedDelivery(req.Username))
  const res = await bridge.next(req).catch((err: unknown) => {
    if (err instanceof CognitoError && err.code === 'UserNotFoundException') return simulatedDelivery(req.Username)
    throw err
  })
  return maskDelivery(res)
}
