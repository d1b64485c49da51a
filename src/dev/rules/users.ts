// Finding pools and users as AWS does: by app client or pool id, an unknown user named as AWS
// names one. The names a user is found by, and who holds a name: ./sign-in-names.ts.
import { UserNotFoundError } from 'cognito-local/lib/errors.js'
import type { User, UserPoolService } from 'cognito-local/lib/services/userPoolService.js'
import type { Bridge } from './bridge.ts'

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

/** A user created by a federated sign-in (DevIdP_…): AWS gives it the status EXTERNAL_PROVIDER. */
export const isFederated = (user: User): boolean => user.UserStatus === 'EXTERNAL_PROVIDER'
