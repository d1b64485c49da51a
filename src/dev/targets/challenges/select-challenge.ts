// The emulator: answering SELECT_CHALLENGE of RespondToAuthChallenge.
import type { RespondToAuthChallengeRequest } from '@aws-sdk/client-cognito-identity-provider'
import { InvalidParameterError, NotAuthorizedError } from 'cognito-local/lib/errors.js'
import type { UserPoolService } from 'cognito-local/lib/services/userPoolService.js'
import { signedIn } from '../../rules/authentication-result.ts'
import type { ChallengeSession } from '../../rules/challenge-sessions.ts'
import { incorrectCredentials } from '../../rules/errors.ts'
import { isFirstFactor, startFactor, type FirstFactor } from '../../rules/first-factors.ts'
import { verifyAssertion } from '../../rules/passkeys.ts'
import type { Bridge } from '../../rules/bridge.ts'
import { userPasswordAuth } from '../auth-flows/user-password-auth.ts'
import { userSrpAuth } from '../auth-flows/user-srp-auth.ts'
import type { Challenge } from './challenge.ts'

/**
 * The factor chosen (ANSWER) among the AvailableChallenges offered. Assumed: another one is
 * InvalidParameterException and the session stays, so that the user can choose again.
 */
function chosen (req: RespondToAuthChallengeRequest, bridge: Pick<Bridge, 'sessions'>, held: ChallengeSession, session: string): FirstFactor {
  const answer = req.ChallengeResponses?.ANSWER
  if (isFirstFactor(answer) && held.available?.includes(answer) === true) return answer
  bridge.sessions.giveBack(session, held, false)
  throw new InvalidParameterError(`ANSWER must be one of the AvailableChallenges: ${(held.available ?? []).join(', ')}`)
}

/** The password answered with the choice, as USER_PASSWORD_AUTH checks it (then the second factor, or tokens). */
const withPassword = async (req: RespondToAuthChallengeRequest, bridge: Bridge, pool: UserPoolService, username: string) =>
  await userPasswordAuth({ ClientId: req.ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: req.ChallengeResponses?.PASSWORD ?? '' } }, bridge, pool)

/** The SRP exchange started with the choice (SRP_A), as USER_SRP_AUTH starts it: PASSWORD_VERIFIER next. */
const withSrp = async (req: RespondToAuthChallengeRequest, bridge: Bridge, pool: UserPoolService, username: string) =>
  await userSrpAuth({ ClientId: req.ClientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: username, SRP_A: req.ChallengeResponses?.SRP_A ?? '' } }, bridge, pool)

/**
 * SELECT_CHALLENGE: ANSWER is the factor chosen. PASSWORD (with PASSWORD) signs in as a password
 * does; PASSWORD_SRP (with SRP_A) asks for the SRP proof (PASSWORD_VERIFIER); WEB_AUTHN with
 * CREDENTIAL signs in against the options the choice came with; EMAIL_OTP,
 * SMS_OTP and WEB_AUTHN without one return that factor's challenge. A ghost (unknown username)
 * gets what a user without the right secret gets.
 */
export const selectChallenge: Challenge = {
  async answer (req, bridge, { pool, user, held, session }) {
    const factor = chosen(req, bridge, held, session)
    if (factor === 'PASSWORD') return await withPassword(req, bridge, pool, String(req.ChallengeResponses?.USERNAME))
    if (factor === 'PASSWORD_SRP') return await withSrp(req, bridge, pool, String(req.ChallengeResponses?.USERNAME))
    if (factor === 'WEB_AUTHN' && req.ChallengeResponses?.CREDENTIAL !== undefined) {
      const verified = await verifyAssertion(bridge, pool, user, req.ChallengeResponses.CREDENTIAL, held.webAuthnChallenge ?? '')
      return await signedIn(bridge, pool, verified, req.ClientId)
    }
    return await startFactor(bridge, pool, user, user.Username, factor, req.ClientId)
  },
  async answerGhost (req, bridge, { pool, username, held, session }) {
    const factor = chosen(req, bridge, held, session)
    if (factor === 'PASSWORD') throw incorrectCredentials()
    if (factor === 'PASSWORD_SRP') return await withSrp(req, bridge, pool, username)
    if (factor === 'WEB_AUTHN' && req.ChallengeResponses?.CREDENTIAL !== undefined) {
      throw new NotAuthorizedError('Passkey authentication failed: the credential is not registered for this user.')
    }
    return await startFactor(bridge, pool, null, username, factor, req.ClientId)
  }
}
