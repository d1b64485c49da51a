// The emulator: answering SELECT_MFA_TYPE of RespondToAuthChallenge.
import { InvalidParameterError } from 'cognito-local/lib/errors.js'
import { askMfa } from '../../rules/challenges.ts'
import { enabledMfa } from '../../rules/mfa.ts'
import type { Challenge } from './challenge.ts'

/**
 * SELECT_MFA_TYPE: ANSWER is one of the methods the user has enabled (MFAS_CAN_CHOOSE), whose
 * challenge comes next: an email code (EMAIL_OTP, the bridge's), SMS_MFA or SOFTWARE_TOKEN_MFA
 * (cognito-local's). Assumed: another answer is InvalidParameterException and the session stays.
 */
export const selectMfaType: Challenge = {
  async answer (req, bridge, { pool, user, held, session }) {
    const answer = req.ChallengeResponses?.ANSWER
    const method = enabledMfa(user).find((m) => m === answer)
    if (method === undefined) {
      bridge.sessions.giveBack(session, held, false)
      throw new InvalidParameterError(`ANSWER must be one of ${JSON.stringify(enabledMfa(user))}`)
    }
    return await askMfa(bridge, pool, user, req.ClientId, method)
  }
}
