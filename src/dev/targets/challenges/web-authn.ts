// The emulator: answering WEB_AUTHN of RespondToAuthChallenge.
import { NotAuthorizedError } from 'cognito-local/lib/errors.js'
import { signedIn } from '../../rules/authentication-result.ts'
import { verifyAssertion } from '../../rules/passkeys.ts'
import type { Challenge } from './challenge.ts'

/**
 * WEB_AUTHN: CREDENTIAL, an AuthenticationResponseJSON string, must be one of the user's passkeys
 * signing this session's challenge (../../rules/passkeys.ts); it signs the user in. Any refusal
 * is NotAuthorizedException and, the signature having been looked at, spends the session.
 */
export const webAuthn: Challenge = {
  async answer (req, bridge, { pool, user, held }) {
    const verified = await verifyAssertion(bridge, pool, user, req.ChallengeResponses?.CREDENTIAL, held.webAuthnChallenge ?? '')
    return await signedIn(bridge, pool, verified, req.ClientId)
  },
  async answerGhost () {
    throw new NotAuthorizedError('Passkey authentication failed: the credential is not registered for this user.')
  }
}
