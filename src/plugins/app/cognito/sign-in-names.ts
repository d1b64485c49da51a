// The names an account signs in with, as the pool decides (UsernameAttributes, AliasAttributes): read once at start, and what follows from them.
import { randomUUID } from 'node:crypto'
import { ListUsersCommand, type ListUsersCommandOutput } from '@aws-sdk/client-cognito-identity-provider'
import { exceptionName } from './errors.ts'
import type { CognitoClient } from './client.ts'
import type { CodeDelivery } from './types.ts'
import { adminGetUser, attributeFilter, lookupOf, MAX_PAGE, type AccountLookup } from './user.ts'

/** How the pool takes one kind of name: as the username (Cognito makes a UUID and finds the user by it), as an alias, or not at all. */
export type NameRole = 'username' | 'alias' | undefined

/** The pool's sign-in names: how it takes an email and how it takes a phone number. */
export interface SignInNames { email: NameRole, phone: NameRole }

/** Email as the username: the pool `npm run provision` makes, and what the server assumes until it has read the pool. */
export const EMAIL_AS_USERNAME: SignInNames = { email: 'username', phone: undefined }

/** The sign-in names of a pool as DescribeUserPool gives it; a pool with neither list names its users by a chosen username, which this server makes the email. */
export function signInNamesOf (pool: { UsernameAttributes?: string[], AliasAttributes?: string[] }): SignInNames {
  const usernames = pool.UsernameAttributes ?? []
  const aliases = pool.AliasAttributes ?? []
  const role = (name: string): NameRole => usernames.includes(name) ? 'username' : aliases.includes(name) ? 'alias' : undefined
  const names = { email: role('email'), phone: role('phone_number') }
  return names.email === undefined && names.phone === undefined ? EMAIL_AS_USERNAME : names
}

/** Whether an account name (normalised by the API's input rules) is a phone number: E.164 begins with a plus, an email never does. */
export const isPhoneNumber = (name: string): boolean => name.startsWith('+')

/** The attribute an account name is the value of. */
export const attributeOfName = (name: string): 'email' | 'phone_number' => isPhoneNumber(name) ? 'phone_number' : 'email'

/** `j***@e***.com`: enough for a user to recognise their address, not enough to learn one. */
export function maskEmail (email: string): string {
  const [local = '', domain = ''] = email.split('@')
  const dot = domain.lastIndexOf('.')
  const host = dot > 0 ? domain.slice(0, dot) : domain
  const tld = dot > 0 ? domain.slice(dot) : ''
  return `${local.slice(0, 1)}***@${host.slice(0, 1)}***${tld}`
}

/** `+*******5678`, as Cognito masks a phone number. */
export const maskPhone = (phone: string): string => `+*******${phone.slice(-4)}`

/** Where a code for an account named by `name` went: derived from the name (never from Cognito's answer), by email or by SMS. */
export const deliveryTo = (name: string): CodeDelivery =>
  isPhoneNumber(name) ? { medium: 'SMS', destination: maskPhone(name) } : { medium: 'EMAIL', destination: maskEmail(name) }

/** Cognito's newest UNCONFIRMED account whose `attribute` is `value` (ListUsers, admin credentials): an alias pool's pending sign-up, which no alias finds yet. */
async function pendingByAlias (cognito: CognitoClient, name: string): Promise<AccountLookup | undefined> {
  const out = await cognito.call<ListUsersCommandOutput>(new ListUsersCommand({ UserPoolId: cognito.pool.userPoolId, Filter: attributeFilter(attributeOfName(name), '=', name), Limit: MAX_PAGE }))
  const pending = (out.Users ?? []).filter((u) => u.UserStatus === 'UNCONFIRMED' && u.Username !== undefined)
    .sort((a, b) => (b.UserCreateDate?.getTime() ?? 0) - (a.UserCreateDate?.getTime() ?? 0))[0]
  return pending?.Username === undefined ? undefined : lookupOf({ ...pending, Username: pending.Username })
}

/** The pool's sign-in names, read once at start, and the account lookups and usernames that depend on them. */
export function signInNameOperations (cognito: CognitoClient) {
  let names: SignInNames = EMAIL_AS_USERNAME
  let known = false

  const roleOf = (name: string): NameRole => isPhoneNumber(name) ? names.phone : names.email

  /** The account a name names (admin credentials): by the name itself (a username attribute, a verified alias), else, for an alias, a pending sign-up with it. */
  async function findAccount (name: string): Promise<AccountLookup | undefined> {
    const found = await adminGetUser(cognito, name)
    if (found !== undefined || roleOf(name) !== 'alias') return found
    return await pendingByAlias(cognito, name)
  }

  return {
    /** Reads the pool's UsernameAttributes and AliasAttributes (DescribeUserPool, admin credentials); without them email stays the username. */
    async discoverSignInNames (): Promise<void> {
      try {
        const { UserPool } = await cognito.describePool()
        if (UserPool === undefined) return
        names = signInNamesOf(UserPool)
        known = true
      } catch (err) {
        // A warning: a pool that signs in by phone number or alias would refuse every such input until then.
        cognito.logger.warn({ exception: exceptionName(err) }, 'could not read the pool (DescribeUserPool): accounts are named by email as the username until a restart that can (docs/existing-pools.md#sign-in-names)')
      }
    },

    /** The pool's sign-in names (email as the username until they were read), and whether they were read. */
    signInNames: (): SignInNames & { known: boolean } => ({ ...names, known }),

    findAccount,

    /**
     * The username a new account gets, and the attribute its name sets: on an alias pool a new
     * UUID (Cognito refuses an email or phone number as the chosen username there), else the name.
     */
    newAccount: (name: string): { username: string, attribute: { Name: string, Value: string } } =>
      ({ username: roleOf(name) === 'alias' ? randomUUID() : name, attribute: { Name: attributeOfName(name), Value: name } }),

    /**
     * The username to give Cognito for an account not yet confirmed: on an alias pool its alias
     * is not active until verified, so its username is looked up (admin credentials); else the name.
     */
    async unconfirmedUsername (name: string): Promise<string> {
      if (roleOf(name) !== 'alias') return name
      return (await findAccount(name))?.username ?? name
    }
  }
}

export type SignInNameOperations = ReturnType<typeof signInNameOperations>
