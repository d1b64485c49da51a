// The names a user signs in with, as the pool says: the username, the email or phone number as
// the username (UsernameAttributes: the username is then a UUID), or aliases (AliasAttributes:
// a verified email, a verified phone number, preferred_username), matched ignoring case when the
// pool is case-insensitive (UsernameConfiguration.CaseSensitive false). cognito-local matches the
// username-attribute email and phone exactly and knows no aliases: every pool is patched here.
import { InvalidParameterError } from 'cognito-local/lib/errors.js'
import type { Context } from 'cognito-local/lib/services/context.js'
import type { DataStore } from 'cognito-local/lib/services/dataStore/dataStore.js'
import { attributesAppend, attributeValue, type User, type UserPool, type UserPoolService, type UserPoolServiceFactory } from 'cognito-local/lib/services/userPoolService.js'
import { AliasExistsError } from './errors.ts'
import { isFederated } from './users.ts'

/** AWS's E.164 rule: a plus, the country code, digits only. */
const PHONE = /^\+[1-9]\d{1,14}$/
/** What AWS takes for an email: something@something (it refuses such usernames in email-alias pools). */
const EMAIL = /^[^\s@]+@[^\s@]+$/

export const isPhoneNumber = (value: string): boolean => PHONE.test(value)
export const isEmail = (value: string): boolean => EMAIL.test(value)

/** How a pool lets its users name themselves. */
export interface SignInNames {
  /** email and/or phone_number: the username is made (a UUID) and the attribute names the user. */
  usernameAttributes: string[]
  /** email, phone_number, preferred_username: a chosen username, and aliases once verified. */
  aliasAttributes: string[]
  caseSensitive: boolean
}

/** The pool's sign-in names. AWS: a pool made through the API without UsernameConfiguration is case-sensitive. */
export function signInNamesOf (pool: UserPoolService | UserPool): SignInNames {
  const options = 'options' in pool ? pool.options : pool
  return {
    usernameAttributes: options.UsernameAttributes ?? [],
    aliasAttributes: options.AliasAttributes ?? [],
    caseSensitive: options.UsernameConfiguration?.CaseSensitive !== false
  }
}

/** The alias an attribute is, when verified (email, phone_number) or at once (preferred_username). */
function isActiveAlias (user: User, attribute: string): boolean {
  if (attribute === 'preferred_username') return true
  return attributeValue(`${attribute}_verified`, user.Attributes) === 'true'
}

/** Whether `user` is the one `name` names by one of the pool's names other than the stored username key. */
function namedBy (user: User, name: string, names: SignInNames): boolean {
  if (isFederated(user)) return false
  const same = (value: string | undefined, attribute: string): boolean =>
    value !== undefined && (names.caseSensitive || attribute === 'phone_number' ? value === name : value.toLowerCase() === name.toLowerCase())
  if (!names.caseSensitive && user.Username.toLowerCase() === name.toLowerCase()) return true
  if (names.usernameAttributes.some((a) => same(attributeValue(a, user.Attributes), a))) return true
  return names.aliasAttributes.some((a) => isActiveAlias(user, a) && same(attributeValue(a, user.Attributes), a))
}

/**
 * Makes `pool` find users as AWS does, for good: by username (or sub), then by the pool's
 * username attributes and active aliases. A federated user (EXTERNAL_PROVIDER) is found only by
 * its username or sub: its email is no alias on AWS.
 */
export function honourSignInNames (pool: UserPoolService): UserPoolService {
  const byKey = pool.getUserByUsername.bind(pool)
  pool.getUserByUsername = async (ctx, name) => {
    if (typeof name !== 'string' || name === '') return null
    // cognito-local: the username key, then sub, then (exactly) a username-attribute email or phone.
    const found = await byKey(ctx, name)
    if (found !== null && (!isFederated(found) || found.Username === name || attributeValue('sub', found.Attributes) === name)) return found
    const names = signInNamesOf(pool)
    return (await pool.listUsers(ctx)).find((user) => namedBy(user, name, names)) ?? null
  }
  return pool
}

/** A factory of pools that honour their sign-in names, around cognito-local's (every pool it loads or creates). */
export function signInNamesFactory (factory: UserPoolServiceFactory): UserPoolServiceFactory {
  return {
    create: async (ctx: Context, clients: DataStore, defaults: UserPool) => honourSignInNames(await factory.create(ctx, clients, defaults))
  }
}

/**
 * The username a new user gets, and the attributes they sign up with, as AWS makes them: with
 * UsernameAttributes the name given must be an email or phone number the pool takes (then the
 * username is the new sub and the attribute is set); with email or phone aliases the username
 * must not look like one. InvalidParameterException otherwise, with AWS's messages.
 */
export function newUsername (pool: UserPoolService, given: string, sub: string): { username: string, attribute?: { Name: string, Value: string } } {
  const names = signInNamesOf(pool)
  if (names.usernameAttributes.length > 0) {
    if (names.usernameAttributes.includes('email') && isEmail(given)) return { username: sub, attribute: { Name: 'email', Value: given } }
    if (names.usernameAttributes.includes('phone_number') && isPhoneNumber(given)) return { username: sub, attribute: { Name: 'phone_number', Value: given } }
    const wanted = names.usernameAttributes.map((a) => a === 'phone_number' ? 'a phone number' : 'an email').join(' or ')
    throw new InvalidParameterError(`Username should be ${wanted}.`)
  }
  if (names.aliasAttributes.includes('email') && isEmail(given)) throw new InvalidParameterError('Username cannot be of email format, since user pool is configured for email alias.')
  if (names.aliasAttributes.includes('phone_number') && isPhoneNumber(given)) throw new InvalidParameterError('Username cannot be of phone number format, since user pool is configured for phone number alias.')
  return { username: given }
}

/**
 * The user other than `user` who holds `value` of `attribute` as a name: for username attributes
 * any user with it (they must be unique), for aliases the one who verified it (or set it, for
 * preferred_username). Null when nobody does or the attribute names nobody in this pool.
 */
export async function nameOwner (ctx: Context, pool: UserPoolService, attribute: string, value: string, user?: User): Promise<User | null> {
  const names = signInNamesOf(pool)
  const asUsername = names.usernameAttributes.includes(attribute)
  if (!asUsername && !names.aliasAttributes.includes(attribute)) return null
  const same = (v: string | undefined): boolean => v !== undefined && (names.caseSensitive || attribute === 'phone_number' ? v === value : v.toLowerCase() === value.toLowerCase())
  return (await pool.listUsers(ctx)).find((u) =>
    u.Username !== user?.Username && !isFederated(u) && same(attributeValue(attribute, u.Attributes)) && (asUsername || isActiveAlias(u, attribute))) ?? null
}

/**
 * Marks `attribute` (email or phone_number) of `user` verified, as a confirmation code or an
 * auto-verification does. Where it is an active alias of another user, AliasExistsException
 * unless `force` (ForceAliasCreation, or pre sign-up's auto-verification): then the alias moves
 * and the other user's attribute becomes unverified, as AWS documents.
 */
export async function verifyAttribute (ctx: Context, pool: UserPoolService, user: User, attribute: 'email' | 'phone_number', force: boolean): Promise<User> {
  const value = attributeValue(attribute, user.Attributes)
  if (value === undefined) return user
  const owner = signInNamesOf(pool).aliasAttributes.includes(attribute) ? await nameOwner(ctx, pool, attribute, value, user) : null
  if (owner !== null) {
    if (!force) throw new AliasExistsError(attribute)
    await pool.saveUser(ctx, { ...owner, Attributes: attributesAppend(owner.Attributes, { Name: `${attribute}_verified`, Value: 'false' }) })
  }
  const verified = { ...user, Attributes: attributesAppend(user.Attributes, { Name: `${attribute}_verified`, Value: 'true' }) }
  await pool.saveUser(ctx, verified)
  return verified
}
