// The emulator's RespondToAuthChallenge operation: AWS's request in, its response out, its named errors thrown.
import type { RespondToAuthChallengeRequest, RespondToAuthChallengeResponse } from '@aws-sdk/client-cognito-identity-provider'
import { InvalidParameterError, NotAuthorizedError } from 'cognito-local/lib/errors.js'
import type { UserPoolService } from 'cognito-local/lib/services/userPoolService.js'
import { trackingDevices } from '../rules/device-sign-in.ts'
import { postAuthentication } from '../rules/user-triggers.ts'
import { poolOfClient } from '../rules/users.ts'
import type { Challenge } from './challenges/challenge.ts'
import { answeredByCognitoLocal } from './challenges/cognito-local.ts'
import { customChallenge } from './challenges/custom-challenge.ts'
import { devicePasswordVerifier } from './challenges/device-password-verifier.ts'
import { deviceSrpAuth } from './challenges/device-srp-auth.ts'
import { smsMfa, softwareTokenMfa } from './challenges/mfa-code.ts'
import { mfaSetup } from './challenges/mfa-setup.ts'
import { newPasswordRequired } from './challenges/new-password-required.ts'
import { passwordVerifier } from './challenges/password-verifier.ts'
import { emailOtp, smsOtp } from './challenges/one-time-code.ts'
import { selectChallenge } from './challenges/select-challenge.ts'
import { selectMfaType } from './challenges/select-mfa-type.ts'
import { webAuthn } from './challenges/web-authn.ts'
import type { Bridge } from '../rules/bridge.ts'
import type { Target } from './target.ts'

/** The challenges the bridge answers or checks, one file each in ./challenges; cognito-local answers the others. */
const CHALLENGES: ReadonlyMap<string, Challenge> = new Map([
  ['CUSTOM_CHALLENGE', customChallenge],
  ['DEVICE_PASSWORD_VERIFIER', devicePasswordVerifier],
  ['DEVICE_SRP_AUTH', deviceSrpAuth],
  ['EMAIL_OTP', emailOtp],
  ['MFA_SETUP', mfaSetup],
  ['NEW_PASSWORD_REQUIRED', newPasswordRequired],
  ['PASSWORD_VERIFIER', passwordVerifier],
  ['SELECT_CHALLENGE', selectChallenge],
  ['SELECT_MFA_TYPE', selectMfaType],
  ['SMS_MFA', smsMfa],
  ['SMS_OTP', smsOtp],
  ['SOFTWARE_TOKEN_MFA', softwareTokenMfa],
  ['WEB_AUTHN', webAuthn]
])

/**
 * RespondToAuthChallenge as AWS checks it: the Session is required, must be one the bridge issued
 * for this user, pool and ChallengeName, answers once and lives three minutes; then each
 * challenge is answered as AWS does, with the pool's device tracking around it. A session issued
 * for a username nobody has (a ghost, see ../rules/first-factors.ts) is answered as a wrong answer
 * would be. Tokens (as device tracking hands them out) pass the post authentication trigger.
 */
export const RespondToAuthChallenge: Target<RespondToAuthChallengeRequest, RespondToAuthChallengeResponse> = async (req, bridge) => {
  const pool = await poolOfClient(bridge, req.ClientId)
  const device = { given: req.ChallengeResponses?.DEVICE_KEY, session: req.Session, context: req.UserContextData }
  return await postAuthentication(bridge, pool, await trackingDevices(bridge, pool, device, async () => await answer(req, bridge, pool)), req.ClientMetadata)
}

async function answer (req: RespondToAuthChallengeRequest, bridge: Bridge, pool: UserPoolService): Promise<RespondToAuthChallengeResponse> {
  const name = String(req.ChallengeName)
  if (typeof req.Session !== 'string' || req.Session === '') throw new InvalidParameterError('Missing required parameter Session')
  const challenge = CHALLENGES.get(name) ?? answeredByCognitoLocal
  challenge.checkForm?.(req, pool)
  const username = String(req.ChallengeResponses?.USERNAME)
  const user = await pool.getUserByUsername(bridge.ctx, username)
  const held = bridge.sessions.spend(req.Session, name, user)
  if (held.poolId !== pool.options.Id) throw new NotAuthorizedError('Invalid session for the user.')
  if (user !== null) return await challenge.answer(req, bridge, { pool, user, held, session: req.Session })
  if (challenge.answerGhost === undefined || held.username !== username) throw new NotAuthorizedError('Invalid session for the user.')
  return await challenge.answerGhost(req, bridge, { pool, username, held, session: req.Session })
}
