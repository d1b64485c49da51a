// The emulator: the USER_SRP_AUTH AuthFlow of InitiateAuth.
import { InvalidParameterError, NotAuthorizedError, PasswordResetRequiredError } from 'cognito-local/lib/errors.js'
import { poolName, unknownUserId, unknownVerifier, verifierOf } from '../../rules/password-verifiers.ts'
import { challengeOf, serverStep } from '../../rules/srp.ts'
import { isFederated } from '../../rules/users.ts'
import type { AuthFlow } from './auth-flow.ts'

/**
 * USER_SRP_AUTH, which cognito-local does not know: SRP_A in, PASSWORD_VERIFIER out with SALT,
 * SRP_B and SECRET_BLOCK for the verifier stored with the user's password (../../rules/srp.ts).
 * An unknown username (PreventUserExistenceErrors) or a federated user (no password) gets a
 * challenge of the same shape whose proof never verifies. Assumed: a disabled user is told so and
 * a user whose password was reset gets PasswordResetRequiredException here, as USER_PASSWORD_AUTH
 * answers them whatever the password.
 */
export const userSrpAuth: AuthFlow = async (req, bridge, pool) => {
  const params = req.AuthParameters ?? {}
  const username = params.USERNAME
  if (typeof username !== 'string' || username === '') throw new InvalidParameterError('Missing required parameter USERNAME')
  const user = await pool.getUserByUsername(bridge.ctx, username)
  if (user?.Enabled === false) throw new NotAuthorizedError('User is disabled.')
  if (user?.UserStatus === 'RESET_REQUIRED') throw new PasswordResetRequiredError()
  const id = user?.Username ?? unknownUserId(pool, username)
  const stored = user === null || isFederated(user) ? undefined : await verifierOf(bridge.ctx, pool, user)
  const srp = serverStep(poolName(pool), id, stored ?? unknownVerifier(pool, id), params.SRP_A)
  return {
    ChallengeName: 'PASSWORD_VERIFIER',
    ChallengeParameters: { ...challengeOf(srp), USERNAME: id, USER_ID_FOR_SRP: id },
    Session: bridge.sessions.issue(pool, id, 'PASSWORD_VERIFIER', { srp, ghost: user === null })
  }
}
