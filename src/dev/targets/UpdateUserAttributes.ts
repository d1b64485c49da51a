// The emulator's UpdateUserAttributes operation: AWS's request in, its response out, its named errors thrown.
import type { AttributeType, UpdateUserAttributesRequest, UpdateUserAttributesResponse } from '@aws-sdk/client-cognito-identity-provider'
import { authorize } from '../rules/access-token.ts'
import { checkAttributes } from '../rules/attributes.ts'
import { deferredContacts, refuseTakenNames } from '../rules/contact-changes.ts'
import { maskDelivery, sendVerificationCode } from '../rules/delivery.ts'
import type { Target } from './target.ts'

/**
 * UpdateUserAttributes: the attributes checked against the schema and the app client's
 * WriteAttributes (../rules/attributes.ts); a name another user holds AliasExistsException
 * (../rules/contact-changes.ts); with email or phone_number in AttributesRequireVerificationBeforeUpdate,
 * the new value waits for its code, which goes to it (an email, or a text; cognito-local sends to
 * the old one), while the other attributes change at once.
 */
export const UpdateUserAttributes: Target<UpdateUserAttributesRequest, UpdateUserAttributesResponse> = async (req, bridge) => {
  const { claims, pool, user } = await authorize(bridge, req.AccessToken)
  const attributes: AttributeType[] = Array.isArray(req.UserAttributes) ? req.UserAttributes : []
  checkAttributes(pool, await bridge.services.cognito.getAppClient(bridge.ctx, String(claims.client_id)), attributes, 'UpdateUserAttributes')
  await refuseTakenNames(bridge, pool, user, attributes)
  const deferred = deferredContacts(pool, user, attributes)
  if (deferred.length === 0) return maskList(await bridge.next(req))
  // The old values stay until the new ones are verified.
  const waiting = new Set(deferred.flatMap(({ attribute }) => [attribute, `${attribute}_verified`]))
  const others = attributes.filter((a) => !waiting.has(String(a.Name)))
  if (others.length > 0) await bridge.next({ ...req, UserAttributes: others })
  const updated = await pool.getUserByUsername(bridge.ctx, user.Username) ?? user
  const pending = {
    ...updated,
    UnverifiedAttributeChanges: deferred.flatMap(({ attribute, value }) => [{ Name: attribute, Value: value }, { Name: `${attribute}_verified`, Value: 'false' }]),
    UserLastModifiedDate: bridge.services.clock.get()
  }
  // One code for the change (saved with the pending values); it goes to each new address.
  const deliveries = []
  for (const { attribute, value } of deferred) deliveries.push(await sendVerificationCode(bridge, pool, pending, attribute, value, 'UpdateUserAttribute', req.ClientMetadata))
  return { CodeDeliveryDetailsList: deliveries }
}

const maskList = (res: UpdateUserAttributesResponse): UpdateUserAttributesResponse =>
  ({ ...res, CodeDeliveryDetailsList: (res?.CodeDeliveryDetailsList ?? []).map((d) => maskDelivery({ CodeDeliveryDetails: d }).CodeDeliveryDetails ?? d) })
