// The emulator's AdminUpdateUserAttributes operation: AWS's request in, its response out, its named errors thrown.
import type { AdminUpdateUserAttributesRequest, AdminUpdateUserAttributesResponse, AttributeType } from '@aws-sdk/client-cognito-identity-provider'
import { attributeValue } from 'cognito-local/lib/services/userPoolService.js'
import { checkAttributes } from '../rules/attributes.ts'
import { AliasExistsError } from '../rules/errors.ts'
import { refuseTakenNames } from '../rules/contact-changes.ts'
import { nameOwner } from '../rules/sign-in-names.ts'
import { existingUser, poolById } from '../rules/users.ts'
import type { Target } from './target.ts'

/**
 * AdminUpdateUserAttributes: an unknown user UserNotFoundException (cognito-local: NotAuthorized);
 * the attributes checked against the schema (developer-only ones allowed, immutable ones not);
 * a name another user holds AliasExistsException, and so is an email or phone number marked
 * verified that is another user's alias; `email_verified` (or `phone_number_verified`) alone is
 * taken, as AWS takes it (cognito-local wants the address beside it).
 */
export const AdminUpdateUserAttributes: Target<AdminUpdateUserAttributesRequest, AdminUpdateUserAttributesResponse> = async (req, bridge) => {
  const pool = await poolById(bridge, req.UserPoolId)
  const user = await existingUser(bridge, pool, req.Username)
  const attributes: AttributeType[] = Array.isArray(req.UserAttributes) ? req.UserAttributes : []
  checkAttributes(pool, null, attributes, 'AdminUpdateUserAttributes')
  await refuseTakenNames(bridge, pool, user, attributes)
  const completed = [...attributes]
  for (const name of ['email', 'phone_number'] as const) {
    const verified = attributes.find((a) => a.Name === `${name}_verified`)?.Value
    if (verified === undefined) continue
    const value = attributes.find((a) => a.Name === name)?.Value ?? attributeValue(name, user.Attributes)
    if (verified === 'true' && value !== undefined && await nameOwner(bridge.ctx, pool, name, value, user) !== null) throw new AliasExistsError(name)
    if (value !== undefined && !attributes.some((a) => a.Name === name)) completed.push({ Name: name, Value: value })
  }
  return await bridge.next({ ...req, Username: user.Username, UserAttributes: completed })
}
