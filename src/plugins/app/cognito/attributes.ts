// The user attributes of PROFILE_ATTRIBUTES in Cognito's terms: the pool's schema and the app
// client's read and write lists (admin credentials), and a user's own change or removal of them.
import {
  DeleteUserAttributesCommand, UpdateUserAttributesCommand, type SchemaAttributeType
} from '@aws-sdk/client-cognito-identity-provider'
import type { AttributeAccess } from '../../../profile-attributes.ts'
import { exceptionName, unsupportedBy } from './errors.ts'
import type { CognitoClient } from './client.ts'

/** The pool's schema and the client's lists as the shared rule (src/profile-attributes.ts) reads them. */
export function attributeAccessOf (
  pool: { SchemaAttributes?: SchemaAttributeType[] } | undefined,
  client: { ReadAttributes?: string[], WriteAttributes?: string[] } | undefined
): AttributeAccess {
  return {
    schema: (pool?.SchemaAttributes ?? []).map((a) => ({ name: a.Name ?? '', mutable: a.Mutable !== false, developerOnly: a.DeveloperOnlyAttribute === true })),
    readable: client?.ReadAttributes,
    writable: client?.WriteAttributes
  }
}

/** A new value for an attribute, or null to remove it. */
export interface AttributeChange {
  name: string
  value: string | null
}

export function attributeOperations (cognito: CognitoClient) {
  const { call } = cognito

  return {
    /**
     * The pool's attribute schema and the app client's lists, or why they could not be read: the
     * admin credentials may not (or there are none), the endpoint lacks the operation, or it failed.
     */
    async describeAttributeAccess (): Promise<{ access: AttributeAccess } | { unread: string }> {
      let operation = 'DescribeUserPool'
      try {
        const { UserPool } = await cognito.describePool()
        operation = 'DescribeUserPoolClient'
        const { UserPoolClient } = await cognito.describeClient()
        return { access: attributeAccessOf(UserPool, UserPoolClient) }
      } catch (err) {
        if (unsupportedBy(err) !== undefined) return { unread: `the endpoint does not implement ${operation}` }
        const name = exceptionName(err) ?? 'an error'
        return { unread: name === 'AccessDeniedException' ? `the admin credentials may not call ${operation}` : `${operation} failed (${name})` }
      }
    },

    /** Sets the attributes given a value and removes those given null, as the signed-in user. */
    async changeAttributes (accessToken: string, changes: AttributeChange[]): Promise<void> {
      const set = changes.flatMap(({ name, value }) => value === null ? [] : [{ Name: name, Value: value }])
      const removed = changes.flatMap(({ name, value }) => value === null ? [name] : [])
      if (set.length > 0) await call(new UpdateUserAttributesCommand({ AccessToken: accessToken, UserAttributes: set }))
      if (removed.length > 0) await call(new DeleteUserAttributesCommand({ AccessToken: accessToken, UserAttributeNames: removed }))
    }
  }
}
