// Input checks shared by the resolvers: emails, codes, passwords and answers, normalised or refused with BAD_USER_INPUT.
import { AppError } from '../errors.ts'

// Deliberately simple: one @, no spaces, a dot in the domain. Cognito has the final word.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/
const MAX_EMAIL = 254
const MAX_PASSWORD = 256
const MAX_CODE = 64
const MAX_NAME = 256
/** The longest custom challenge answer passed on to the pool's verify trigger. */
export const MAX_CUSTOM_ANSWER = 2048

/** An email as Cognito stores it: trimmed and lower-cased (email usernames are case-insensitive). */
export function email (value: string): string {
  const normalized = value.trim().toLowerCase()
  if (normalized.length > MAX_EMAIL || !EMAIL.test(normalized)) throw new AppError('BAD_USER_INPUT', 'The email address is not valid.')
  return normalized
}

// E.164: a plus, a country code that does not start with 0, at most 15 digits in all.
const E164 = /^\+[1-9]\d{1,14}$/

/** A phone number as Cognito stores it: E.164 (`+4915112345678`), spaces, dots, dashes and brackets dropped. */
export function phone (value: string): string {
  const normalized = value.trim().replace(/[\s.()-]/g, '')
  if (!E164.test(normalized)) throw new AppError('BAD_USER_INPUT', 'The phone number must be in international format (E.164), e.g. +4915112345678.')
  return normalized
}

/** How the pool takes emails and phone numbers as sign-in names (cognito/sign-in-names.ts). */
interface NameRoles { email: string | undefined, phone: string | undefined }

/**
 * The account an input names: exactly one of `email` and `phone`, of a kind the pool signs in
 * with, normalised (the name the adapter, the rate limits and the audit log key on).
 */
export function accountName (named: { email?: string | null, phone?: string | null }, pool: NameRoles): string {
  const { email: byEmail, phone: byPhone } = named
  if ((byEmail == null) === (byPhone == null)) {
    throw new AppError('BAD_USER_INPUT', pool.phone === undefined ? 'Give the email of the account.' : pool.email === undefined ? 'Give the phone number of the account.' : 'Give either the email or the phone number of the account, not both.')
  }
  if (byEmail != null) {
    if (pool.email === undefined) throw new AppError('BAD_USER_INPUT', 'This pool signs in by phone number, not by email: give the phone number.')
    return email(byEmail)
  }
  if (pool.phone === undefined) throw new AppError('BAD_USER_INPUT', 'This pool signs in by email, not by phone number: give the email.')
  return phone(byPhone as string)
}

/** The account an input names, normalised, when it names a valid one: whatever the pool takes (for counting and logging, never for a decision). */
export function namedAccount (named: { email?: unknown, phone?: unknown } | undefined): string | undefined {
  try {
    if (typeof named?.email === 'string') return email(named.email)
    if (typeof named?.phone === 'string') return phone(named.phone)
  } catch {}
  return undefined
}

/** A signed-in account's name as the rate limits key it: its email (lower-cased), else its phone number (an account named by phone only); undefined for neither. */
export function accountNameOf (email: string | null | undefined, phone: string | null | undefined): string | undefined {
  if (email != null && email !== '') return email.toLowerCase()
  return phone ?? undefined
}

export function password (value: string, field = 'password'): string {
  if (value.length === 0) throw new AppError('BAD_USER_INPUT', `The ${field} must not be empty.`)
  if (value.length > MAX_PASSWORD) throw new AppError('BAD_USER_INPUT', `The ${field} is too long.`)
  return value
}

export function code (value: string): string {
  const trimmed = value.trim()
  if (trimmed.length === 0) throw new AppError('BAD_USER_INPUT', 'The code must not be empty.')
  if (trimmed.length > MAX_CODE || /\s/.test(trimmed)) throw new AppError('BAD_USER_INPUT', 'The code is not valid.')
  return trimmed
}

/** A custom challenge's answer: given, and at most MAX_CUSTOM_ANSWER characters (passed on as it is: the trigger judges it). */
export function customAnswer (value: string | null | undefined): string {
  const answer = required(value, 'answer')
  if (answer.length === 0 || answer.length > MAX_CUSTOM_ANSWER) throw new AppError('BAD_USER_INPUT', `The answer must have 1 to ${MAX_CUSTOM_ANSWER} characters.`)
  return answer
}

export function name (value: string | null | undefined): string | undefined {
  if (value == null) return undefined
  const trimmed = value.trim()
  if (trimmed.length === 0 || trimmed.length > MAX_NAME) throw new AppError('BAD_USER_INPUT', `The name must have 1 to ${MAX_NAME} characters.`)
  return trimmed
}

/** The most one attribute's value takes: Cognito's limit. */
const MAX_ATTRIBUTE_VALUE = 2048

/**
 * Attribute changes of `updateProfile`: each names an attribute of `writable` (PROFILE_ATTRIBUTES),
 * once, with a value of at most 2048 characters or null (remove it). Any other refuses the whole
 * change, naming the attribute, before anything changes.
 */
export function attributeChanges (changes: ReadonlyArray<{ name: string, value?: string | null }>, writable: readonly string[]): Array<{ name: string, value: string | null }> {
  const seen = new Set<string>()
  return changes.map(({ name, value }) => {
    if (!writable.includes(name)) {
      throw new AppError('BAD_USER_INPUT', writable.length === 0 ? `The attribute ${name} cannot be changed here: no attribute can.` : `The attribute ${name} cannot be changed here (only ${writable.join(', ')}).`)
    }
    if (seen.has(name)) throw new AppError('BAD_USER_INPUT', `The attribute ${name} is given twice.`)
    seen.add(name)
    if (value != null && value.length > MAX_ATTRIBUTE_VALUE) throw new AppError('BAD_USER_INPUT', `The value of ${name} is too long (at most ${MAX_ATTRIBUTE_VALUE} characters).`)
    return { name, value: value ?? null }
  })
}

/** A code from an authenticator app: six digits. */
export function totpCode (value: string | null | undefined): string {
  const trimmed = code(required(value, 'code'))
  if (!/^\d{6}$/.test(trimmed)) throw new AppError('BAD_USER_INPUT', 'The code must be the six digits the authenticator app shows.')
  return trimmed
}

/** A field the schema leaves optional but this use of the operation needs. */
export function required<T> (value: T | null | undefined, field: string): T {
  if (value == null) throw new AppError('BAD_USER_INPUT', `The ${field} is required.`)
  return value
}

/** The most a WebAuthn answer takes, as JSON (a credential id, client data, authenticator data, a signature, an attestation). */
const MAX_CREDENTIAL = 32_768

/**
 * A browser's WebAuthn answer (a RegistrationResponseJSON or an AuthenticationResponseJSON), given
 * as a JSON string: an object with a string `id` and a `response` object. Cognito checks the rest.
 */
export function webAuthnCredential (value: string | null | undefined): { id: string, response: Record<string, unknown> } & Record<string, unknown> {
  const text = required(value, 'credential')
  const invalid = new AppError('BAD_USER_INPUT', 'The credential must be the JSON of the browser\'s WebAuthn answer.')
  if (text.length > MAX_CREDENTIAL) throw invalid
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw invalid
  }
  const credential = parsed as { id?: unknown, response?: unknown } | null
  if (typeof credential !== 'object' || credential === null || Array.isArray(credential) || typeof credential.id !== 'string' || credential.id === '' ||
    typeof credential.response !== 'object' || credential.response === null) throw invalid
  return credential as { id: string, response: Record<string, unknown> } & Record<string, unknown>
}

/** A session id as `sessions` lists them (Cognito's token ids: UUIDs, or similar short printable strings). */
export function sessionId (value: string): string {
  const trimmed = value.trim()
  if (trimmed.length === 0 || trimmed.length > 128 || !/^[\w.:-]+$/.test(trimmed)) throw new AppError('BAD_USER_INPUT', 'The session id is not valid.')
  return trimmed
}

/** A page size (`first`): absent means `fallback`; else a whole number from 1 to `max`. */
export function first (value: number | null | undefined, max: number, fallback = 20): number {
  const size = value ?? fallback
  if (!Number.isInteger(size) || size < 1 || size > max) throw new AppError('BAD_USER_INPUT', `first must be between 1 and ${max}.`)
  return size
}
