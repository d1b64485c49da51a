import type { SignUpRequest, SignUpResponse } from '@aws-sdk/client-cognito-identity-provider'
import { maskDelivery } from '../rules/delivery.ts'
import { enforcePasswordPolicy } from '../rules/passwords.ts'
import { poolOfClient } from '../rules/users.ts'
import type { Target } from './target.ts'

/**
 * SignUp: the pool's password policy is enforced, and the code's destination masked.
 * Assumed: the policy is checked before the username (a weak password for a taken address is InvalidPasswordException).
 */
export const SignUp: Target<SignUpRequest, SignUpResponse> = async (req, bridge) => {
  enforcePasswordPolicy(await poolOfClient(bridge, req.ClientId), req.Password)
  return maskDelivery(await bridge.next(req))
}
