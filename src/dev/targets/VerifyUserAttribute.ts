// The emulator's VerifyUserAttribute operation: AWS's request in, its response out, its named errors thrown.
import type { VerifyUserAttributeRequest, VerifyUserAttributeResponse } from '@aws-sdk/client-cognito-identity-provider'
import { authorize } from '../rules/access-token.ts'
import { codeDestination, CONTACT_ATTRIBUTES, type ContactAttribute } from '../rules/contact-changes.ts'
import { AliasExistsError } from '../rules/errors.ts'
import { nameOwner } from '../rules/sign-in-names.ts'
import type { Target } from './target.ts'

/**
 * VerifyUserAttribute: the access token checked; an email or phone number that another user
 * holds as a name since the code was sent is AliasExistsException (assumed: only once the code is
 * right); then cognito-local's (a pending change takes effect, verified).
 */
export const VerifyUserAttribute: Target<VerifyUserAttributeRequest, VerifyUserAttributeResponse> = async (req, bridge) => {
  const { pool, user } = await authorize(bridge, req.AccessToken)
  const attribute = req.AttributeName as ContactAttribute
  const value = CONTACT_ATTRIBUTES.includes(attribute) ? codeDestination(user, attribute) : undefined
  if (value !== undefined && req.Code === user.AttributeVerificationCode && await nameOwner(bridge.ctx, pool, attribute, value, user) !== null) {
    throw new AliasExistsError(attribute)
  }
  return await bridge.next(req)
}
