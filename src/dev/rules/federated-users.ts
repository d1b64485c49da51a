// Federated users as Cognito keeps them: the first sign-in through an identity provider creates
// `<Provider>_<sub>` (status EXTERNAL_PROVIDER, the provider's claims mapped to attributes, an
// `identities` attribute), later ones find it; an identity linked with AdminLinkProviderForUser
// signs in as the user it was linked to. Never a match by email (docs/emulator.md).
import { randomBytes, randomUUID } from 'node:crypto'
import { attributesAppend, attributeValue, type User, type UserPoolService } from 'cognito-local/lib/services/userPoolService.js'
import type { Bridge } from './bridge.ts'
import { preSignUp } from './user-triggers.ts'
import { isFederated } from './users.ts'

type Store = Pick<Bridge, 'ctx' | 'services'>

/** One entry of the `identities` attribute (a JSON array in a string), with the field names and string values Cognito uses. */
export interface IdentityEntry {
  userId: string
  providerName: string
  providerType: string
  issuer: string | null
  primary: 'true' | 'false'
  dateCreated: string
}

/** What an identity provider said about its user, from its id token: `sub` always, the rest as it chose. */
export interface ProviderClaims {
  sub: string
  email?: string
  email_verified?: boolean
  name?: string
}

/** An identity provider as the pool knows it (CreateIdentityProvider's ProviderName and ProviderType). */
export interface ProviderRef { name: string, type: string }

/** Cognito's username for a provider's user: `DevIdP_<sub>`. */
export const federatedUsername = (provider: string, sub: string): string => `${provider}_${sub}`

/** The identities a user carries (none for a password user that was never linked). */
export function identitiesOf (user: User): IdentityEntry[] {
  const value = attributeValue('identities', user.Attributes)
  if (value === undefined) return []
  const parsed: unknown = JSON.parse(value)
  return Array.isArray(parsed) ? parsed as IdentityEntry[] : []
}

/** The entry Cognito adds for `sub` at `provider`. */
export const identityEntry = (provider: ProviderRef, sub: string, at: Date, primary: boolean): IdentityEntry =>
  ({ userId: sub, providerName: provider.name, providerType: provider.type, issuer: null, primary: primary ? 'true' : 'false', dateCreated: String(at.getTime()) })

/** The user (not federated itself) an identity was linked to with AdminLinkProviderForUser, if any. */
export async function linkedUser ({ ctx }: Store, pool: UserPoolService, provider: string, sub: string): Promise<User | null> {
  const users = await pool.listUsers(ctx)
  return users.find(u => !isFederated(u) && identitiesOf(u).some(i => i.providerName === provider && i.userId === sub)) ?? null
}

/** The attributes an identity provider's claims map to (the DevIdP's attribute mapping: email, email_verified, name). */
function mappedAttributes (claims: ProviderClaims): Array<{ Name: string, Value: string }> {
  return [
    ...(claims.email === undefined ? [] : [{ Name: 'email', Value: claims.email }]),
    ...(claims.email_verified === undefined ? [] : [{ Name: 'email_verified', Value: String(claims.email_verified) }]),
    ...(claims.name === undefined ? [] : [{ Name: 'name', Value: claims.name }])
  ]
}

/**
 * The user a federated sign-in signs in as: the linked user, else `<Provider>_<sub>`, created the
 * first time (after the pre sign-up trigger, PreSignUp_ExternalProvider, and put in the group
 * `<poolId>_<Provider>`, as Cognito does), its mapped attributes refreshed from the provider's
 * claims on every sign-in.
 */
export async function federatedSignIn (store: Store & Pick<Bridge, 'triggers'>, pool: UserPoolService, provider: ProviderRef, claims: ProviderClaims): Promise<User> {
  const { ctx, services } = store
  const linked = await linkedUser(store, pool, provider.name, claims.sub)
  if (linked !== null) return linked
  const username = federatedUsername(provider.name, claims.sub)
  const now = services.clock.get()
  const existing = await pool.getUserByUsername(ctx, username)
  if (existing !== null) {
    const updated = { ...existing, Attributes: attributesAppend(existing.Attributes, ...mappedAttributes(claims)), UserLastModifiedDate: now }
    await pool.saveUser(ctx, updated)
    return updated
  }
  const user: User = {
    Username: username,
    Password: randomBytes(32).toString('base64url'), // known to no one: EXTERNAL_PROVIDER users never sign in with a password
    Attributes: [
      { Name: 'sub', Value: randomUUID() },
      ...mappedAttributes(claims),
      { Name: 'identities', Value: JSON.stringify([identityEntry(provider, claims.sub, now, true)]) }
    ],
    Enabled: true,
    UserStatus: 'EXTERNAL_PROVIDER',
    UserCreateDate: now,
    UserLastModifiedDate: now,
    RefreshTokens: []
  }
  await preSignUp(store, pool, { source: 'ExternalProvider', username, attributes: user.Attributes.filter((a) => a.Name !== 'sub') })
  await pool.saveUser(ctx, user)
  await pool.addUserToGroup(ctx, await providerGroup(store, pool, provider.name), user)
  return user
}

/** The group Cognito creates for an identity provider's users: `<poolId>_<Provider>`. */
async function providerGroup ({ ctx, services }: Store, pool: UserPoolService, provider: string) {
  const name = `${pool.options.Id}_${provider}`
  const existing = await pool.getGroupByGroupName(ctx, name)
  if (existing !== null) return existing
  const now = services.clock.get()
  const group = { GroupName: name, Description: `Autogenerated group for users who sign in using ${provider}`, CreationDate: now, LastModifiedDate: now }
  await pool.saveGroup(ctx, group)
  return group
}
