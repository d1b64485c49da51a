// The emulator: answering the MFA code challenges of RespondToAuthChallenge.
import { CodeMismatchError } from 'cognito-local/lib/errors.js'
import { codeCognitoLocalTakes, totpCodeIsRight } from '../../rules/totp.ts'
import type { Challenge } from './challenge.ts'
import { answeredByCognitoLocal } from './cognito-local.ts'

/** A code answer that is not six digits is CodeMismatchException before the session is spent (assumed: it can be corrected). */
const sixDigits = (field: 'SMS_MFA_CODE' | 'SOFTWARE_TOKEN_MFA_CODE'): Challenge['checkForm'] => (req) => {
  if (!/^\d{6}$/.test(String(req.ChallengeResponses?.[field]))) throw new CodeMismatchError()
}

/** SMS_MFA: the texted code (SMS_MFA_CODE), checked by cognito-local. */
export const smsMfa: Challenge = { checkForm: sixDigits('SMS_MFA_CODE'), answer: answeredByCognitoLocal.answer }

/**
 * SOFTWARE_TOKEN_MFA: the authenticator's code (SOFTWARE_TOKEN_MFA_CODE), checked at the TOTP
 * time (../../rules/totp.ts); cognito-local answers the rest. A replayed code is accepted, as
 * cognito-local accepts it (the server refuses it).
 */
export const softwareTokenMfa: Challenge = {
  checkForm: sixDigits('SOFTWARE_TOKEN_MFA_CODE'),
  async answer (req, bridge, answering) {
    const setup = answering.user.SoftwareTokenMfaConfiguration
    const code = String(req.ChallengeResponses?.SOFTWARE_TOKEN_MFA_CODE)
    if (setup?.Secret === undefined || setup.Verified !== true || !totpCodeIsRight(bridge.totpClock, setup.Secret, code)) throw new CodeMismatchError()
    const responses = { ...req.ChallengeResponses, SOFTWARE_TOKEN_MFA_CODE: codeCognitoLocalTakes(setup.Secret) }
    return await answeredByCognitoLocal.answer({ ...req, ChallengeResponses: responses }, bridge, answering)
  }
}
