// The emulator: the challenges cognito-local answers itself (SELECT_MFA_TYPE, the MFA codes).
import { challengeOutcome } from '../../rules/challenges.ts'
import type { Challenge } from './challenge.ts'

/**
 * A challenge cognito-local answers itself (SELECT_MFA_TYPE, and the MFA codes once their form is
 * checked): its outcome as AWS gives it. A wrong code spends the session, as on AWS: the next
 * answer is refused and the user signs in again.
 */
export const answeredByCognitoLocal: Challenge = {
  async answer (req, bridge, { pool, user }) {
    return await challengeOutcome(bridge, pool, user, req.ClientId, await bridge.next(req))
  }
}
