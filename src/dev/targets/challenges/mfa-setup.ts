// The emulator: answering MFA_SETUP of RespondToAuthChallenge.
import { signedIn } from '../../rules/authentication-result.ts'
import { SoftwareTokenMfaNotFoundError } from '../../rules/errors.ts'
import type { Challenge } from './challenge.ts'

/**
 * MFA_SETUP, which cognito-local does not know: answered with the session VerifySoftwareToken
 * returned (the new authenticator's first code was right), it signs the user in. Assumed: the
 * session of an earlier step of the setup is SoftwareTokenMFANotFoundException.
 */
export const mfaSetup: Challenge = {
  async answer (req, bridge, { pool, user, held }) {
    if (!held.verified) throw new SoftwareTokenMfaNotFoundError('Software Token MFA has not been verified.')
    return await signedIn(bridge, pool, user, req.ClientId)
  }
}
