// The emulator's VerifySoftwareToken operation: AWS's request in, its response out, its named errors thrown.
import type { VerifySoftwareTokenRequest, VerifySoftwareTokenResponse } from '@aws-sdk/client-cognito-identity-provider'
import { InvalidParameterError, NotAuthorizedError } from 'cognito-local/lib/errors.js'
import { authorize } from '../rules/access-token.ts'
import { EnableSoftwareTokenMfaError, SoftwareTokenMfaNotFoundError } from '../rules/errors.ts'
import { enabledMfa } from '../rules/mfa.ts'
import { codeCognitoLocalTakes, totpCodeIsRight } from '../rules/totp.ts'
import { poolById } from '../rules/users.ts'
import type { Target } from './target.ts'

/**
 * VerifySoftwareToken: a wrong first code is EnableSoftwareTokenMFAException and a missing setup
 * SoftwareTokenMFANotFoundException, as on AWS. With an MFA_SETUP session (which cognito-local
 * does not take) a right code enables TOTP and returns the session that finishes the setup.
 * Assumed: a wrong code spends that session, as a wrong MFA code does; TOTP becomes the preferred
 * method when the user had none. Codes are checked at the TOTP time (../rules/totp.ts).
 */
export const VerifySoftwareToken: Target<VerifySoftwareTokenRequest, VerifySoftwareTokenResponse> = async (req, bridge) => {
  if (req.AccessToken !== undefined || typeof req.Session !== 'string') {
    if (req.AccessToken === undefined) return await bridge.next(req)
    const { user } = await authorize(bridge, req.AccessToken)
    const secret = user.SoftwareTokenMfaConfiguration?.Secret
    if (secret === undefined) throw new SoftwareTokenMfaNotFoundError()
    // A missing code is cognito-local's InvalidParameterException; a right one is handed on as the code it takes.
    if (req.UserCode === undefined || req.UserCode === '') return await bridge.next(req)
    if (!totpCodeIsRight(bridge.totpClock, secret, req.UserCode)) throw new EnableSoftwareTokenMfaError()
    return await bridge.next({ ...req, UserCode: codeCognitoLocalTakes(secret) })
  }
  if (typeof req.UserCode !== 'string' || req.UserCode === '') throw new InvalidParameterError('Missing required parameter UserCode')
  const held = bridge.sessions.spend(req.Session, 'MFA_SETUP')
  const pool = await poolById(bridge, held.poolId)
  const user = await pool.getUserByUsername(bridge.ctx, held.username)
  const secret = user?.SoftwareTokenMfaConfiguration?.Secret
  if (user === null || secret === undefined) throw new NotAuthorizedError('Invalid session for the user.')
  if (!totpCodeIsRight(bridge.totpClock, secret, req.UserCode)) throw new EnableSoftwareTokenMfaError()
  const methods = new Set([...enabledMfa(user), 'SOFTWARE_TOKEN_MFA'])
  await pool.saveUser(bridge.ctx, {
    ...user,
    SoftwareTokenMfaConfiguration: { Secret: secret, Verified: true, FriendlyDeviceName: req.FriendlyDeviceName },
    UserMFASettingList: [...methods],
    PreferredMfaSetting: user.PreferredMfaSetting ?? 'SOFTWARE_TOKEN_MFA'
  })
  return { Status: 'SUCCESS', Session: bridge.sessions.issue(pool, user.Username, 'MFA_SETUP', { verified: true }) }
}
