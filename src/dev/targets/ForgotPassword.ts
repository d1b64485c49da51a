import type { ForgotPasswordRequest, ForgotPasswordResponse } from '@aws-sdk/client-cognito-identity-provider'
import { CognitoError } from 'cognito-local/lib/errors.js'
import { maskDelivery, simulatedDelivery } from '../rules/delivery.ts'
import type { Target } from './target.ts'

/** ForgotPassword: the destination masked, and for an unknown user a simulated delivery (PreventUserExistenceErrors). */
export const ForgotPassword: Target<ForgotPasswordRequest, ForgotPasswordResponse> = async (req, bridge) => {
  const res = await bridge.next(req).catch((err: unknown) => {
    if (err instanceof CognitoError && err.code === 'UserNotFoundException') return simulatedDelivery(req.Username)
    throw err
  })
  return maskDelivery(res)
}
