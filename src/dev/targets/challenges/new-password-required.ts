// The emulator: answering NEW_PASSWORD_REQUIRED of RespondToAuthChallenge.
import { challengeOutcome, mfaChallenge, mfaSetupChallenge } from '../../rules/challenges.ts'
import { asksSecondFactor, mustSetUpMfa } from '../../rules/mfa.ts'
import { checkPasswordHistory } from '../../rules/password-history.ts'
import { enforcePasswordPolicy } from '../../rules/passwords.ts'
import type { Challenge } from './challenge.ts'

/**
 * NEW_PASSWORD_REQUIRED: the new password must meet the pool's policy (assumed: a refused one
 * leaves the session standing, so it can be corrected), and, as on AWS, the second factor comes
 * next (MFA_SETUP, or the user's MFA challenge) where cognito-local hands out tokens at once.
 */
export const newPasswordRequired: Challenge = {
  checkForm (req, pool) {
    enforcePasswordPolicy(pool, req.ChallengeResponses?.NEW_PASSWORD)
  },
  async answer (req, bridge, { pool, user }) {
    checkPasswordHistory(pool, user, req.ChallengeResponses?.NEW_PASSWORD)
    // The tokens this answer may bring are those of a new password (the pre token generation trigger's source).
    const res = await bridge.tokens.source.run('NewPasswordChallenge', () => bridge.next(req))
    const updated = await pool.getUserByUsername(bridge.ctx, user.Username)
    if (updated !== null && mustSetUpMfa(pool, updated)) return mfaSetupChallenge(bridge, pool, updated)
    if (updated !== null && asksSecondFactor(pool, updated)) return await mfaChallenge(bridge, pool, updated, req.ClientId)
    return await challengeOutcome(bridge, pool, user, req.ClientId, res)
  }
}
