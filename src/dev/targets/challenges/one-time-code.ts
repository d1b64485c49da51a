// The emulator: answering the sent-code challenges (EMAIL_OTP, SMS_OTP) of RespondToAuthChallenge.
import { CodeMismatchError } from 'cognito-local/lib/errors.js'
import { signedIn } from '../../rules/authentication-result.ts'
import { checkCode, type CodeChallenge } from '../../rules/one-time-codes.ts'
import type { Challenge } from './challenge.ts'

/**
 * A challenge answered with the code that was sent (../../rules/one-time-codes.ts): the right one
 * signs the user in (a one-time code is the whole sign-in, or its second factor after a password);
 * a wrong one is CodeMismatchException, and the session allows a few tries.
 */
const oneTimeCode = (name: CodeChallenge): Challenge => ({
  async answer (req, bridge, { pool, user, held, session }) {
    checkCode(bridge, session, held, name, req.ChallengeResponses)
    return await signedIn(bridge, pool, user, req.ClientId)
  },
  // Nobody's code: every one is wrong, with the same tries as a real user's.
  async answerGhost (_req, bridge, { held, session }) {
    bridge.sessions.giveBack(session, held, true)
    throw new CodeMismatchError()
  }
})

/** EMAIL_OTP: the emailed code, as EMAIL_OTP_CODE (first factor of USER_AUTH, or email MFA). */
export const emailOtp = oneTimeCode('EMAIL_OTP')

/** SMS_OTP: the texted code, as SMS_OTP_CODE (first factor of USER_AUTH). */
export const smsOtp = oneTimeCode('SMS_OTP')
