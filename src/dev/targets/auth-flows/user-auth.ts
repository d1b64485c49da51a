// The emulator: the USER_AUTH AuthFlow of InitiateAuth.
import { InvalidParameterError, NotAuthorizedError } from 'cognito-local/lib/errors.js'
import { availableFactors, isFirstFactor, selectChallenge, startFactor } from '../../rules/first-factors.ts'
import type { AuthFlow } from './auth-flow.ts'
import { userPasswordAuth } from './user-password-auth.ts'
import { userSrpAuth } from './user-srp-auth.ts'

/**
 * USER_AUTH, choice-based sign-in, which cognito-local does not know (the app client must allow
 * it: ALLOW_USER_AUTH, ../../rules/app-clients.ts). Without PREFERRED_CHALLENGE, SELECT_CHALLENGE
 * with the user's AvailableChallenges; with one the user has, that challenge at once (PASSWORD
 * with the PASSWORD given, as USER_PASSWORD_AUTH; PASSWORD_SRP with SRP_A, as USER_SRP_AUTH); with
 * one they have not, SELECT_CHALLENGE, as AWS documents. An unknown username is answered as a
 * plausible user (PreventUserExistenceErrors; ../../rules/first-factors.ts).
 * Assumed: a PREFERRED_CHALLENGE that is no factor is InvalidParameterException, PASSWORD without
 * a PASSWORD too, and a disabled user is told so.
 */
export const userAuth: AuthFlow = async (req, bridge, pool) => {
  const params = req.AuthParameters ?? {}
  const username = params.USERNAME
  if (typeof username !== 'string' || username === '') throw new InvalidParameterError('Missing required parameter USERNAME')
  const preferred = params.PREFERRED_CHALLENGE
  if (preferred !== undefined && !isFirstFactor(preferred)) throw new InvalidParameterError('PREFERRED_CHALLENGE must be one of PASSWORD, PASSWORD_SRP, EMAIL_OTP, SMS_OTP, WEB_AUTHN')
  if (preferred === 'PASSWORD' && typeof params.PASSWORD !== 'string') throw new InvalidParameterError('Missing required parameter PASSWORD')

  const user = await pool.getUserByUsername(bridge.ctx, username)
  if (user?.Enabled === false) throw new NotAuthorizedError('User is disabled.')
  if (preferred === undefined || !availableFactors(pool, user).includes(preferred)) return await selectChallenge(bridge, pool, user, username)
  if (preferred === 'PASSWORD_SRP') {
    return await userSrpAuth({ ClientId: req.ClientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: username, SRP_A: params.SRP_A ?? '' } }, bridge, pool)
  }
  if (preferred === 'PASSWORD') {
    return await userPasswordAuth({ ClientId: req.ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: params.PASSWORD ?? '' } }, bridge, pool)
  }
  return await startFactor(bridge, pool, user, username, preferred, req.ClientId)
}
