// The emulator's GetUserAttributeVerificationCode operation: AWS's request in, its response out, its named errors thrown.
import type { GetUserAttributeVerificationCodeRequest, GetUserAttributeVerificationCodeResponse } from '@aws-sdk/client-cognito-identity-provider'
import { InvalidParameterError } from 'cognito-local/lib/errors.js'
import { authorize } from '../rules/access-token.ts'
import { codeDestination, CONTACT_ATTRIBUTES, type ContactAttribute } from '../rules/contact-changes.ts'
import { sendVerificationCode } from '../rules/delivery.ts'
import type { Target } from './target.ts'

/**
 * GetUserAttributeVerificationCode: the access token checked; a code for the email (by email) or
 * phone number (by SMS), sent to a pending new value when a change waits for it (cognito-local
 * would send to the old one); the delivery answered, masked (cognito-local answers none).
 * Assumed: another attribute, or one the user has no value for, is InvalidParameterException.
 */
export const GetUserAttributeVerificationCode: Target<GetUserAttributeVerificationCodeRequest, GetUserAttributeVerificationCodeResponse> = async (req, bridge) => {
  const { pool, user } = await authorize(bridge, req.AccessToken)
  const attribute = req.AttributeName as ContactAttribute
  if (!CONTACT_ATTRIBUTES.includes(attribute)) throw new InvalidParameterError('Only email and phone_number can be verified.')
  const destination = codeDestination(user, attribute)
  if (destination === undefined) throw new InvalidParameterError(`User has no ${attribute} to verify.`)
  return { CodeDeliveryDetails: await sendVerificationCode(bridge, pool, user, attribute, destination, 'VerifyUserAttribute', req.ClientMetadata) }
}
