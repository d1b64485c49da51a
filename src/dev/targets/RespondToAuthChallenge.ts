import type { RespondToAuthChallengeRequest, RespondToAuthChallengeResponse } from '@aws-sdk/client-cognito-identity-provider'
import { InvalidParameterError, NotAuthorizedError } from 'cognito-local/lib/errors.js'
import { poolOfClient } from '../rules/users.ts'
import type { Challenge } from './challenges/challenge.ts'
import { answeredByCognitoLocal } from './challenges/cognito-local.ts'
import { smsMfa, softwareTokenMfa } from './challenges/mfa-code.ts'
import { mfaSetup } from './challenges/mfa-setup.ts'
import { newPasswordRequired } from './challenges/new-password-required.ts'
import type { Target } from './target.ts'

/** The challenges the bridge answers or checks, one file each in ./challenges; cognito-local answers the others. */
const CHALLENGES: ReadonlyMap<string, Challenge> = new Map([
  ['MFA_SETUP', mfaSetup],
  ['NEW_PASSWORD_REQUIRED', newPasswordRequired],
  ['SMS_MFA', smsMfa],
  ['SOFTWARE_TOKEN_MFA', softwareTokenMfa]
])

/**
 * RespondToAuthChallenge as AWS checks it: the Session is required, must be one the bridge issued
 * for this user, pool and ChallengeName, answers once and lives three minutes; then each
 * challenge is answered as AWS does.
 */
export const RespondToAuthChallenge: Target<RespondToAuthChallengeRequest, RespondToAuthChallengeResponse> = async (req, bridge) => {
  const pool = await poolOfClient(bridge, req.ClientId)
  const name = String(req.ChallengeName)
  if (typeof req.Session !== 'string' || req.Session === '') throw new InvalidParameterError('Missing required parameter Session')
  const challenge = CHALLENGES.get(name) ?? answeredByCognitoLocal
  challenge.checkForm?.(req, pool)
  const user = await pool.getUserByUsername(bridge.ctx, String(req.ChallengeResponses?.USERNAME))
  const held = bridge.sessions.spend(req.Session, name, user)
  if (user === null || held.poolId !== pool.options.Id) throw new NotAuthorizedError('Invalid session for the user.')
  return await challenge.answer(req, bridge, { pool, user, held })
}
