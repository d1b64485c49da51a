// Which of the user attributes PROFILE_ATTRIBUTES and PROFILE_ATTRIBUTES_READONLY name a pool and
// its app client let users read (and write): the one rule the server's start and the doctor share.

/** An attribute of the pool's schema, as far as users' access goes. */
export interface SchemaAttribute {
  name: string
  /** False: it cannot change once set. */
  mutable: boolean
  /** Only administrators read and write it. */
  developerOnly: boolean
}

/** The pool's attribute schema, and the app client's read and write lists (absent or empty: every attribute). */
export interface AttributeAccess {
  schema: SchemaAttribute[]
  readable?: string[]
  writable?: string[]
}

/** Why users cannot read (or, for a writable one, write) a configured attribute. */
export interface AttributeRefusal {
  attribute: string
  /** Named by PROFILE_ATTRIBUTES (read and write), not PROFILE_ATTRIBUTES_READONLY. */
  write: boolean
  reason: 'missing' | 'developer-only' | 'immutable' | 'client'
  /** For `client`: the app client's list that leaves the attribute out. */
  listed?: string[]
}

/** The configured attributes: writable ones (PROFILE_ATTRIBUTES) and read-only ones (PROFILE_ATTRIBUTES_READONLY). */
export interface ProfileAttributes {
  writable: string[]
  readonly: string[]
}

/** Why users cannot read (or write, when `write`) `attribute`, or undefined. */
function refusalOf (access: AttributeAccess, attribute: string, write: boolean): AttributeRefusal | undefined {
  const schema = access.schema.find((a) => a.name === attribute)
  if (schema === undefined) return { attribute, write, reason: 'missing' }
  if (schema.developerOnly) return { attribute, write, reason: 'developer-only' }
  if (write && !schema.mutable) return { attribute, write, reason: 'immutable' }
  // AWS: a client without a list may read (write) every attribute.
  const listed = write ? access.writable : access.readable
  if (listed !== undefined && listed.length > 0 && !listed.includes(attribute)) return { attribute, write, reason: 'client', listed }
  return undefined
}

/** Every configured attribute users could not read or write as configured, in the order configured. */
export function attributeRefusals (access: AttributeAccess, { writable, readonly }: ProfileAttributes): AttributeRefusal[] {
  return [...writable.map((a) => refusalOf(access, a, true)), ...readonly.map((a) => refusalOf(access, a, false))].filter((r) => r !== undefined)
}

/** What a refusal means, in one phrase of the start's refusal and the doctor's detail. */
export function refusalText ({ attribute, write, reason }: AttributeRefusal): string {
  const variable = write ? 'PROFILE_ATTRIBUTES' : 'PROFILE_ATTRIBUTES_READONLY'
  switch (reason) {
    case 'missing': return `${variable} names ${attribute}, which the pool's schema does not have`
    case 'developer-only': return `${attribute} is developer-only: users can neither read nor write it`
    case 'immutable': return `${attribute} cannot change once set (not Mutable), but PROFILE_ATTRIBUTES lets users write it`
    case 'client': return `the app client does not let users ${write ? 'write' : 'read'} ${attribute}`
  }
}

/**
 * Attributes with a field and a flow of their own (`email` changes with the current password and
 * a code; `sub` and the verification marks are Cognito's), so no allow-list may name them.
 */
export const RESERVED_ATTRIBUTES = new Set(['sub', 'email', 'email_verified', 'phone_number', 'phone_number_verified', 'identities', 'cognito:username', 'cognito:mfa_enabled'])

/** A comma-separated variable's entries, trimmed, empty ones left out. */
const listOf = (text: string): string[] => text.split(',').map((entry) => entry.trim()).filter(Boolean)

/**
 * PROFILE_ATTRIBUTES and PROFILE_ATTRIBUTES_READONLY as lists; what is wrong with them before any
 * pool is read goes to `problems`: a reserved attribute, one in both lists or twice in one, a name
 * that cannot be one (Cognito's are at most 32 characters, custom ones 20 after `custom:`, no spaces).
 */
export function profileAttributesOf (writableText: string, readonlyText: string, problems: string[]): ProfileAttributes {
  const writable = listOf(writableText)
  const readonly = listOf(readonlyText)
  for (const [variable, list] of [['PROFILE_ATTRIBUTES', writable], ['PROFILE_ATTRIBUTES_READONLY', readonly]] as const) {
    for (const attribute of list) {
      if (RESERVED_ATTRIBUTES.has(attribute)) problems.push(`${variable}: ${attribute} has its own field and flow (take it out)`)
      else if (!/^(custom:)?[^\s,:]{1,32}$/u.test(attribute) || (attribute.startsWith('custom:') && attribute.length > 'custom:'.length + 20)) {
        problems.push(`${variable}: "${attribute}" is not an attribute name (a standard one such as locale, or custom:<name of 1 to 20 characters>)`)
      }
    }
    const repeated = list.filter((a, i) => list.indexOf(a) !== i)
    if (repeated.length > 0) problems.push(`${variable} names ${repeated.join(', ')} twice`)
  }
  const both = writable.filter((a) => readonly.includes(a))
  if (both.length > 0) problems.push(`${both.join(', ')} in both PROFILE_ATTRIBUTES and PROFILE_ATTRIBUTES_READONLY: name each in one`)
  return { writable, readonly }
}
