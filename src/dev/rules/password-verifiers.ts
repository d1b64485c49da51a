// Cognito keeps, for each password, the SRP verifier USER_SRP_AUTH is checked against. cognito-local
// keeps the password itself (its own checks compare it); beside it, every pool of the emulator keeps
// that verifier, made whenever a user is saved with a password it was not made for: sign-up, admin
// set, reset, change, a new password after NEW_PASSWORD_REQUIRED, a temporary password.
import { createHmac, randomBytes } from 'node:crypto'
import type { Context } from 'cognito-local/lib/services/context.js'
import type { User, UserPoolService, UserPoolServiceFactory } from 'cognito-local/lib/services/userPoolService.js'
import { makeVerifier, padHex, type Verifier } from './srp.ts'

/** The verifier on the stored user, with a fingerprint of the password it was made for (to tell a new password). */
interface StoredVerifier extends Verifier { password: string }

/** The user record with the bridge's SRP verifier. */
export type SrpUser = User & { SrpVerifier?: StoredVerifier }

/** The pool's name as SRP hashes it: the part of its id after the region (`eu-west-1_LocalPool1` → `LocalPool1`). */
export const poolName = (pool: UserPoolService): string => pool.options.Id.slice(pool.options.Id.indexOf('_') + 1)

const fingerprint = (salt: string, password: string): string => createHmac('sha256', salt).update(password).digest('hex')

/** The user as it must be stored: with a verifier of its current password (none without a password). */
function withVerifier (pool: UserPoolService, user: SrpUser): SrpUser {
  const { SrpVerifier: stored, ...rest } = user
  if (typeof user.Password !== 'string') return rest
  if (stored !== undefined && stored.password === fingerprint(stored.salt, user.Password)) return user
  const made = makeVerifier(poolName(pool), user.Username, user.Password)
  return { ...rest, SrpVerifier: { ...made, password: fingerprint(made.salt, user.Password) } }
}

/** Makes `pool` store a verifier with every password it saves (patches its saveUser for good). */
function keepVerifiers (pool: UserPoolService): UserPoolService {
  const save = pool.saveUser.bind(pool)
  pool.saveUser = async (ctx: Context, user: User) => { await save(ctx, withVerifier(pool, user)) }
  return pool
}

/** cognito-local's pool factory, whose pools (provisioned, made through CreateUserPool, or loaded) keep verifiers. */
export function keepingVerifiers (factory: UserPoolServiceFactory): UserPoolServiceFactory {
  return { create: async (...args) => keepVerifiers(await factory.create(...args)) }
}

/** The verifier of the user's password; a user stored before the emulator kept verifiers gets one now. None without a password. */
export async function verifierOf (ctx: Context, pool: UserPoolService, user: SrpUser): Promise<Verifier | undefined> {
  if (typeof user.Password !== 'string') return undefined
  const current = withVerifier(pool, user)
  if (current !== user) await pool.saveUser(ctx, current)
  return current.SrpVerifier
}

/** A verifier nobody knows the password of, with a salt stable per name while the emulator runs (an unknown user, a federated one). */
export function unknownVerifier (pool: UserPoolService, id: string): Verifier {
  const salt = createHmac('sha256', GHOST_KEY).update(`${pool.options.Id}:${id}`).digest('hex').slice(0, 32)
  return { salt, verifier: padHex(BigInt(`0x${randomBytes(384).toString('hex')}`)) }
}

/**
 * The USER_ID_FOR_SRP of a username nobody has: where an alias names users (email as the username,
 * as AWS answers with a UUID), a UUID-shaped name stable per username, so that it looks like a user's.
 */
export function unknownUserId (pool: UserPoolService, username: string): string {
  if ((pool.options.UsernameAttributes ?? []).length === 0) return username
  const hex = createHmac('sha256', GHOST_KEY).update(`${pool.options.Id}:id:${username.toLowerCase()}`).digest('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`
}

const GHOST_KEY = randomBytes(32)
