// The emulator's AssociateSoftwareToken operation: AWS's request in, its response out, its named errors thrown.
import type { AssociateSoftwareTokenRequest, AssociateSoftwareTokenResponse } from '@aws-sdk/client-cognito-identity-provider'
import { NotAuthorizedError } from 'cognito-local/lib/errors.js'
import { generateSecret as generateTotpSecret } from 'cognito-local/lib/services/totp.js'
import { authorize } from '../rules/access-token.ts'
import { poolById } from '../rules/users.ts'
import type { Target } from './target.ts'

/**
 * AssociateSoftwareToken: with an access token (checked as AWS does), cognito-local's; with an
 * MFA_SETUP session (which cognito-local does not take), a new secret and the next session of the
 * setup. Assumed: the session given is spent, and the one returned is the only one that goes on.
 */
export const AssociateSoftwareToken: Target<AssociateSoftwareTokenRequest, AssociateSoftwareTokenResponse> = async (req, bridge) => {
  if (req.AccessToken !== undefined || typeof req.Session !== 'string') {
    if (req.AccessToken !== undefined) await authorize(bridge, req.AccessToken)
    return await bridge.next(req)
  }
  const held = bridge.sessions.spend(req.Session, 'MFA_SETUP')
  const pool = await poolById(bridge, held.poolId)
  const user = await pool.getUserByUsername(bridge.ctx, held.username)
  if (user === null) throw new NotAuthorizedError('Invalid session for the user.')
  const secret = generateTotpSecret()
  await pool.saveUser(bridge.ctx, { ...user, SoftwareTokenMfaConfiguration: { Secret: secret, Verified: false } })
  return { SecretCode: secret, Session: bridge.sessions.issue(pool, user.Username, 'MFA_SETUP') }
}
