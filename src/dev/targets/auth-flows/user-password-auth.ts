// The emulator: the USER_PASSWORD_AUTH AuthFlow of InitiateAuth.
import { NotAuthorizedError } from 'cognito-local/lib/errors.js'
import { asChallenge, mfaChallenge, mfaSetupChallenge } from '../../rules/challenges.ts'
import { deviceBeforeSecondFactor } from '../../rules/device-sign-in.ts'
import { incorrectCredentials, translate } from '../../rules/errors.ts'
import { asksSecondFactor, mustSetUpMfa } from '../../rules/mfa.ts'
import { temporaryPasswordExpired } from '../../rules/passwords.ts'
import { isFederated } from '../../rules/users.ts'
import type { AuthFlow } from './auth-flow.ts'

/**
 * USER_PASSWORD_AUTH as AWS answers it: 'Incorrect username or password.' for a wrong password or
 * an unknown user, a temporary password checked before a new one is asked for, MFA_SETUP where
 * the pool requires MFA and the user has none, a remembered device's proof (../../rules/device-sign-in.ts),
 * the second factor as AWS picks it (email codes
 * included, which cognito-local does not know), and challenges with sessions the bridge checks.
 * A federated user (DevIdP_…) has no password: 'Incorrect username or password.' whatever is typed.
 * Assumed: a disabled user is told so (NotAuthorizedException 'User is disabled.') whatever the password.
 */
export const userPasswordAuth: AuthFlow = async (req, bridge, pool) => {
  const params = req.AuthParameters ?? {}
  if (typeof params.USERNAME !== 'string') return await bridge.next(req)
  const user = await pool.getUserByUsername(bridge.ctx, params.USERNAME)
  if (user?.Enabled === false) throw new NotAuthorizedError('User is disabled.')
  if (user !== null && isFederated(user)) throw incorrectCredentials()
  // cognito-local asks for a new password without checking the temporary one: anyone could choose it.
  if (user?.UserStatus === 'FORCE_CHANGE_PASSWORD' && user.Password !== params.PASSWORD) throw incorrectCredentials()
  if (user !== null && temporaryPasswordExpired(pool, user, bridge.services.clock.get())) throw new NotAuthorizedError('Temporary password has expired and must be reset by an administrator.')
  if (user?.UserStatus === 'CONFIRMED' && user.Password === params.PASSWORD) {
    if (mustSetUpMfa(pool, user)) return mfaSetupChallenge(bridge, pool, user)
    const device = deviceBeforeSecondFactor(bridge, pool, user)
    if (device !== undefined) return device
    if (asksSecondFactor(pool, user)) return await mfaChallenge(bridge, pool, user, req.ClientId)
  }
  // cognito-local: wrong password → InvalidPasswordException, unknown user → 'User not authorized'
  const res = await bridge.cognitoLocal('InitiateAuth', req).catch(translate(['InvalidPasswordException', 'NotAuthorizedException'], incorrectCredentials))
  return await asChallenge(bridge, pool, res)
}
