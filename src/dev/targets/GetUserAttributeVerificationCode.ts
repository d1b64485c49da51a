import type { GetUserAttributeVerificationCodeRequest, GetUserAttributeVerificationCodeResponse } from '@aws-sdk/client-cognito-identity-provider'
import { attributeValue } from 'cognito-local/lib/services/userPoolService.js'
import { authorize } from '../rules/access-token.ts'
import { emailDelivery, sendEmailCode } from '../rules/delivery.ts'
import type { Target } from './target.ts'

/**
 * GetUserAttributeVerificationCode: the access token checked; a pending email change is verified
 * at its new address (cognito-local would send to the old one); the delivery answered, masked
 * (cognito-local answers none).
 */
export const GetUserAttributeVerificationCode: Target<GetUserAttributeVerificationCodeRequest, GetUserAttributeVerificationCodeResponse> = async (req, bridge) => {
  const { pool, user } = await authorize(bridge, req.AccessToken)
  const pending = req.AttributeName === 'email' ? attributeValue('email', user.UnverifiedAttributeChanges) : undefined
  if (pending !== undefined) return { CodeDeliveryDetails: await sendEmailCode(bridge, pool, user, pending, 'VerifyUserAttribute', req.ClientMetadata) }
  await bridge.next(req)
  return emailDelivery(user)
}
