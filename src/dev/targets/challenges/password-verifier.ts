// The emulator: answering PASSWORD_VERIFIER of RespondToAuthChallenge.
import { incorrectCredentials } from '../../rules/errors.ts'
import { checkClaimForm, verifyClaim } from '../../rules/srp.ts'
import { userPasswordAuth } from '../auth-flows/user-password-auth.ts'
import type { Challenge } from './challenge.ts'

/**
 * PASSWORD_VERIFIER, the second step of USER_SRP_AUTH: PASSWORD_CLAIM_SIGNATURE over the
 * session's SECRET_BLOCK and the TIMESTAMP must prove the password the stored verifier was made
 * from (../../rules/srp.ts); a wrong one is 'Incorrect username or password.' and spends the
 * session, so a replayed proof is refused whatever it signs. A right one goes on as a right
 * password does (a new password, MFA_SETUP, a remembered device, the second factor, or tokens).
 * A claim of the wrong form (a missing field, a TIMESTAMP not in Cognito's format) is
 * InvalidParameterException and leaves the session standing.
 */
export const passwordVerifier: Challenge = {
  checkForm (req) {
    checkClaimForm(req.ChallengeResponses)
  },
  async answer (req, bridge, { pool, user, held }) {
    if (held.srp === undefined || !verifyClaim(held.srp, req.ChallengeResponses)) throw incorrectCredentials()
    return await userPasswordAuth({ ClientId: req.ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: user.Username, PASSWORD: user.Password } }, bridge, pool)
  },
  async answerGhost () {
    throw incorrectCredentials()
  }
}
