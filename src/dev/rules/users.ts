// Finding pools and users as AWS does: by app client or pool id, by username or email alias
// ignoring case, an unknown user named as AWS names one, an email alias kept unique.
import { UserNotFoundError } from 'cognito-local/lib/errors.js'
import { attributeValue, type User, type UserPoolService } from 'cognito-local/lib/services/userPoolService.js'
import type { Bridge } from '../targets/target.ts'

type Store = Pick<Bridge, 'ctx' | 'services'>

/** The pool of an app client; ResourceNotFoundException for an unknown client (cognito-local's). */
export const poolOfClient = ({ ctx, services }: Store, clientId: unknown): Promise<UserPoolService> =>
  services.cognito.getUserPoolForClientId(ctx, String(clientId))

/** The pool of an id; ResourceNotFoundException for an unknown pool (cognito-local's). */
export const poolById = ({ ctx, services }: Store, poolId: unknown): Promise<UserPoolService> =>
  services.cognito.getUserPool(ctx, String(poolId))

/** The user an administrator names; UserNotFoundException when there is none (admin operations reveal existence on AWS too). */
export async function existingUser ({ ctx }: Pick<Bridge, 'ctx'>, pool: UserPoolService, username: unknown): Promise<User> {
  const user = await pool.getUserByUsername(ctx, String(username))
  if (user === null) throw new UserNotFoundError('User does not exist.')
  return user
}

/** The user who already has `email`, other than `user`: AWS keeps an email alias unique. */
export async function aliasOwner ({ ctx }: Pick<Bridge, 'ctx'>, pool: UserPoolService, email: string, user: User): Promise<User | null> {
  const owner = await pool.getUserByUsername(ctx, email)
  return owner !== null && owner.Username !== user.Username ? owner : null
}

/**
 * cognito-local matches the email alias case-sensitively; AWS (CaseSensitive: false) does not. And
 * a federated user's email (status EXTERNAL_PROVIDER) is no alias on AWS: signing in, signing up
 * or changing an email by that address never finds it. Patches `pool` for good.
 */
export function matchEmailsIgnoringCase (pool: UserPoolService): void {
  const exact = pool.getUserByUsername.bind(pool)
  pool.getUserByUsername = async (ctx, username) => {
    const user = await exact(ctx, username)
    if (user !== null && !(isFederated(user) && user.Username !== username && attributeValue('sub', user.Attributes) !== username)) return user
    if (typeof username !== 'string' || !username.includes('@')) return null
    const wanted = username.toLowerCase()
    return (await pool.listUsers(ctx)).find(u => !isFederated(u) && attributeValue('email', u.Attributes)?.toLowerCase() === wanted) ?? null
  }
}

/** A user created by a federated sign-in (DevIdP_…): AWS gives it the status EXTERNAL_PROVIDER. */
export const isFederated = (user: User): boolean => user.UserStatus === 'EXTERNAL_PROVIDER'
