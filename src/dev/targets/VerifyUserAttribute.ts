import type { VerifyUserAttributeRequest, VerifyUserAttributeResponse } from '@aws-sdk/client-cognito-identity-provider'
import { attributeValue } from 'cognito-local/lib/services/userPoolService.js'
import { authorize } from '../rules/access-token.ts'
import { AliasExistsError } from '../rules/errors.ts'
import { aliasOwner } from '../rules/users.ts'
import type { Target } from './target.ts'

/**
 * VerifyUserAttribute: the access token checked; a pending email change whose address was taken
 * since the code was sent is AliasExistsException (assumed: only once the code is right).
 */
export const VerifyUserAttribute: Target<VerifyUserAttributeRequest, VerifyUserAttributeResponse> = async (req, bridge) => {
  const { pool, user } = await authorize(bridge, req.AccessToken)
  const pending = attributeValue('email', user.UnverifiedAttributeChanges)
  if (req.AttributeName === 'email' && pending !== undefined && req.Code === user.AttributeVerificationCode && await aliasOwner(bridge, pool, pending, user) !== null) {
    throw new AliasExistsError()
  }
  return await bridge.next(req)
}
