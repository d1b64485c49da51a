// The attributes a request may write, as the pool's schema and the app client say: names the
// schema has (custom ones with their `custom:` prefix, developer-only ones as `dev:custom:`,
// written by administrators only), immutable ones only when the user is made, the client's
// WriteAttributes, the schema's constraints, the formats of email and phone numbers, and the
// required attributes at sign-up. AWS's errors and message forms.
import type { AttributeType, SchemaAttributeType } from '@aws-sdk/client-cognito-identity-provider'
import { InvalidParameterError, NotAuthorizedError } from 'cognito-local/lib/errors.js'
import type { AppClient } from 'cognito-local/lib/services/appClient.js'
import type { UserPoolService } from 'cognito-local/lib/services/userPoolService.js'
import { isEmail, isPhoneNumber } from './sign-in-names.ts'

/** Who writes: a new user signing up, an administrator making one, a user changing theirs, an administrator changing a user's. */
export type AttributeWriter = 'SignUp' | 'AdminCreateUser' | 'UpdateUserAttributes' | 'AdminUpdateUserAttributes'

/** Attributes nobody writes: the pool sets them. */
const SET_BY_THE_POOL = ['sub', 'identities', 'cognito:user_status', 'cognito:mfa_enabled']
/** AWS's limit on any attribute value. */
const MAX_VALUE = 2048

const creating = (writer: AttributeWriter): boolean => writer === 'SignUp' || writer === 'AdminCreateUser'
const byAdministrator = (writer: AttributeWriter): boolean => writer === 'AdminCreateUser' || writer === 'AdminUpdateUserAttributes'

/** AWS words schema refusals by operation: 'Attributes did not conform to the schema: …' when a user is made, 'Invalid user attributes: user.…' when one changes. */
const refusal = (writer: AttributeWriter, name: string, problem: string): InvalidParameterError =>
  new InvalidParameterError(creating(writer) ? `Attributes did not conform to the schema: ${name}: ${problem}` : `Invalid user attributes: user.${name}: ${problem}`)

export const schemaOfPool = (pool: UserPoolService): SchemaAttributeType[] => (pool.options.SchemaAttributes ?? []) as SchemaAttributeType[]

/** The value problem of one attribute against its schema entry and AWS's formats, or undefined. */
function valueProblem (entry: SchemaAttributeType, value: string): string | undefined {
  if (value.length > MAX_VALUE) return `String must be no longer than ${MAX_VALUE} characters`
  if (value === '') return undefined // an empty value deletes the attribute
  if (entry.Name === 'email' && !isEmail(value)) return 'Invalid email address format.'
  if (entry.Name === 'phone_number' && !isPhoneNumber(value)) return 'Invalid phone number format.'
  if (entry.AttributeDataType === 'Boolean' && value !== 'true' && value !== 'false') return 'Value must be true or false'
  if (entry.AttributeDataType === 'Number') {
    const number = Number(value)
    const { MinValue, MaxValue } = entry.NumberAttributeConstraints ?? {}
    if (!Number.isFinite(number)) return 'Value must be a number'
    if (MinValue !== undefined && MinValue !== '' && number < Number(MinValue)) return `Number must be no less than ${MinValue}`
    if (MaxValue !== undefined && MaxValue !== '' && number > Number(MaxValue)) return `Number must be no greater than ${MaxValue}`
  }
  if (entry.AttributeDataType === 'String') {
    const { MinLength, MaxLength } = entry.StringAttributeConstraints ?? {}
    if (MinLength !== undefined && MinLength !== '' && value.length < Number(MinLength)) return `String must be no shorter than ${MinLength} characters`
    if (MaxLength !== undefined && MaxLength !== '' && value.length > Number(MaxLength)) return `String must be no longer than ${MaxLength} characters`
  }
  return undefined
}

/**
 * Refuses what AWS refuses of `attributes` written by `writer` through `client` (null: an
 * administrator's call): a name the schema lacks or the pool sets, a developer-only attribute
 * from a client, an immutable one after creation (InvalidParameterException), one the client
 * may not write (NotAuthorizedException 'A client attempted to write unauthorized attribute'),
 * and a value that breaks its constraints or format.
 */
export function checkAttributes (pool: UserPoolService, client: AppClient | null, attributes: AttributeType[] | undefined, writer: AttributeWriter): void {
  if (attributes !== undefined && !Array.isArray(attributes)) throw new InvalidParameterError('UserAttributes must be a list.')
  const schema = new Map(schemaOfPool(pool).map((a) => [a.Name, a]))
  const writable = client?.WriteAttributes
  for (const { Name: name, Value: value } of attributes ?? []) {
    if (typeof name !== 'string' || name === '') throw new InvalidParameterError('Every attribute needs a Name.')
    const entry = schema.get(name)
    if (entry === undefined || SET_BY_THE_POOL.includes(name)) throw refusal(writer, name, 'Attribute does not exist in the schema.')
    if (entry.DeveloperOnlyAttribute === true && !byAdministrator(writer)) throw new NotAuthorizedError('A client attempted to write unauthorized attribute')
    if (!creating(writer) && entry.Mutable === false) throw refusal(writer, name, 'Attribute cannot be updated. (changing an immutable attribute)')
    if (!byAdministrator(writer) && writable !== undefined && writable.length > 0 && !writable.includes(name)) throw new NotAuthorizedError('A client attempted to write unauthorized attribute')
    const problem = valueProblem(entry, typeof value === 'string' ? value : '')
    if (problem !== undefined) throw refusal(writer, name, problem)
  }
}

/** Refuses a sign-up that leaves out an attribute the schema requires: 'Attributes did not conform to the schema: <name>: The attribute is required'. */
export function checkRequired (pool: UserPoolService, attributes: AttributeType[]): void {
  const given = new Set(attributes.filter((a) => typeof a.Value === 'string' && a.Value !== '').map((a) => a.Name))
  const missing = schemaOfPool(pool).find((a) => a.Required === true && a.Name !== undefined && !SET_BY_THE_POOL.includes(a.Name) && !given.has(a.Name))
  if (missing?.Name !== undefined) throw refusal('SignUp', missing.Name, 'The attribute is required')
}

/** The attributes an app client may read (its ReadAttributes; all of them when it names none), developer-only ones never. */
export function readableBy (client: AppClient | null | undefined): (name: string) => boolean {
  const readable = client?.ReadAttributes
  return (name) => !name.startsWith('dev:') && (readable === undefined || readable.length === 0 || readable.includes(name) || name === 'sub')
}
