// Changing the attributes that name a user or receive codes (email, phone_number,
// preferred_username), as AWS does it: a name another user holds is AliasExistsException at
// once; with the attribute in AttributesRequireVerificationBeforeUpdate, a new email or phone
// number waits (UnverifiedAttributeChanges) for the code sent to it, the old one staying meanwhile.
import type { AttributeType } from '@aws-sdk/client-cognito-identity-provider'
import { attributeValue, type User, type UserPoolService } from 'cognito-local/lib/services/userPoolService.js'
import type { Bridge } from './bridge.ts'
import { AliasExistsError } from './errors.ts'
import { nameOwner } from './sign-in-names.ts'

export const CONTACT_ATTRIBUTES = ['email', 'phone_number'] as const
export type ContactAttribute = typeof CONTACT_ATTRIBUTES[number]

const sameValue = (attribute: string, a: string | undefined, b: string | undefined): boolean =>
  a !== undefined && b !== undefined && (attribute === 'phone_number' ? a === b : a.toLowerCase() === b.toLowerCase())

/**
 * AliasExistsException when a new value of `attributes` names another user: a username attribute
 * (email or phone number as the username), an email or phone number another user holds as a name
 * (assumed: at once, whatever the pool's verification settings), a preferred_username alias.
 */
export async function refuseTakenNames ({ ctx }: Pick<Bridge, 'ctx'>, pool: UserPoolService, user: User, attributes: AttributeType[]): Promise<void> {
  for (const { Name: name, Value: value } of attributes) {
    if (typeof name !== 'string' || typeof value !== 'string' || value === '') continue
    if (!['email', 'phone_number', 'preferred_username'].includes(name) || sameValue(name, attributeValue(name, user.Attributes), value)) continue
    if (await nameOwner(ctx, pool, name, value, user) !== null) throw new AliasExistsError(name)
  }
}

/** The contact attributes of a request that change and, per the pool, wait for their code before they take effect. */
export function deferredContacts (pool: UserPoolService, user: User, attributes: AttributeType[]): Array<{ attribute: ContactAttribute, value: string }> {
  const verifyFirst = pool.options.UserAttributeUpdateSettings?.AttributesRequireVerificationBeforeUpdate ?? []
  return CONTACT_ATTRIBUTES.flatMap((attribute) => {
    const value = attributes.find((a) => a.Name === attribute)?.Value
    if (typeof value !== 'string' || value === '' || !verifyFirst.includes(attribute) || sameValue(attribute, attributeValue(attribute, user.Attributes), value)) return []
    return [{ attribute, value }]
  })
}

/** The value a code for `attribute` goes to: the pending new one, else the current one. */
export const codeDestination = (user: User, attribute: ContactAttribute): string | undefined =>
  attributeValue(attribute, user.UnverifiedAttributeChanges) ?? attributeValue(attribute, user.Attributes)
