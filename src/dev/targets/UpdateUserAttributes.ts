import type { AttributeType, UpdateUserAttributesRequest, UpdateUserAttributesResponse } from '@aws-sdk/client-cognito-identity-provider'
import { attributeValue } from 'cognito-local/lib/services/userPoolService.js'
import { authorize } from '../rules/access-token.ts'
import { sendEmailCode } from '../rules/delivery.ts'
import { AliasExistsError } from '../rules/errors.ts'
import { aliasOwner } from '../rules/users.ts'
import type { Target } from './target.ts'

/**
 * UpdateUserAttributes: with email in AttributesRequireVerificationBeforeUpdate, a new email waits
 * for its code, which goes to the new address (cognito-local sends it to the old one), while the
 * other attributes change at once. Assumed: an email that is another user's alias is
 * AliasExistsException at once, whatever the pool's verification settings.
 */
export const UpdateUserAttributes: Target<UpdateUserAttributesRequest, UpdateUserAttributesResponse> = async (req, bridge) => {
  const { pool, user } = await authorize(bridge, req.AccessToken)
  const attributes: AttributeType[] = Array.isArray(req.UserAttributes) ? req.UserAttributes : []
  const email = attributes.find(a => a.Name === 'email')?.Value
  const current = attributeValue('email', user.Attributes)
  if (email === undefined || email.toLowerCase() === current?.toLowerCase()) return await bridge.next(req)
  if (await aliasOwner(bridge, pool, email, user) !== null) throw new AliasExistsError()
  if (pool.options.UserAttributeUpdateSettings?.AttributesRequireVerificationBeforeUpdate?.includes('email') !== true) return await bridge.next(req)
  // The old address stays until the new one is verified.
  const others = attributes.filter(a => a.Name !== 'email' && a.Name !== 'email_verified')
  if (others.length > 0) await bridge.next({ ...req, UserAttributes: others })
  const updated = await pool.getUserByUsername(bridge.ctx, user.Username) ?? user
  const pending = { ...updated, UnverifiedAttributeChanges: [{ Name: 'email', Value: email }, { Name: 'email_verified', Value: 'false' }], UserLastModifiedDate: bridge.services.clock.get() }
  // Saved with its code: the pending change is stored there.
  const delivery = await sendEmailCode(bridge, pool, pending, email, 'UpdateUserAttribute', req.ClientMetadata)
  return { CodeDeliveryDetailsList: [delivery] }
}
