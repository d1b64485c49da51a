// Challenges as AWS hands them out: with a session the bridge checks, the texted number masked,
// the second factor AWS would ask for (the preferred method at once; email codes, which
// cognito-local does not know), and MFA_SETUP, which it does not know either.
import type { User, UserPoolService } from 'cognito-local/lib/services/userPoolService.js'
import type { Bridge } from './bridge.ts'
import { completeAuthenticationResult, type AuthAnswer } from './authentication-result.ts'
import { maskDestination } from './delivery.ts'
import { incorrectCredentials } from './errors.ts'
import { enabledMfa, type MfaMethod } from './mfa.ts'
import { sendCodeChallenge } from './one-time-codes.ts'

/**
 * MFA_SETUP for a user who must set up a second factor. Assumed (AWS documents the challenge, not
 * its parameters): USER_ID_FOR_SRP, and MFAS_CAN_SETUP as a JSON list of the methods the pool
 * offers, which here is at most SOFTWARE_TOKEN_MFA.
 */
export function mfaSetupChallenge ({ sessions }: Pick<Bridge, 'sessions'>, pool: UserPoolService, user: User): AuthAnswer {
  const canSetUp = pool.options.SoftwareTokenMfaConfiguration?.Enabled === true ? ['SOFTWARE_TOKEN_MFA'] : []
  return {
    ChallengeName: 'MFA_SETUP',
    ChallengeParameters: { USER_ID_FOR_SRP: user.Username, MFAS_CAN_SETUP: JSON.stringify(canSetUp) },
    Session: sessions.issue(pool, user.Username, 'MFA_SETUP')
  }
}

/**
 * The second factor asked of a user whose password was right, as AWS picks it: the preferred
 * method, or the only one, or else SELECT_MFA_TYPE among those enabled (MFAS_CAN_CHOOSE). Email
 * codes (EMAIL_OTP), which cognito-local does not know, are the bridge's; SMS and TOTP
 * cognito-local's, asked for as if the user had chosen them.
 */
export async function mfaChallenge (bridge: Pick<Bridge, 'ctx' | 'services' | 'cognitoLocal' | 'sessions' | 'tokens'>, pool: UserPoolService, user: User, clientId: unknown): Promise<AuthAnswer> {
  const methods = enabledMfa(user)
  const preferred = methods.find((m) => m === user.PreferredMfaSetting)
  const method = preferred ?? (methods.length === 1 ? methods[0] : undefined)
  if (method === undefined) {
    return {
      ChallengeName: 'SELECT_MFA_TYPE',
      ChallengeParameters: { USER_ID_FOR_SRP: user.Username, MFAS_CAN_CHOOSE: JSON.stringify(methods) },
      Session: bridge.sessions.issue(pool, user.Username, 'SELECT_MFA_TYPE')
    }
  }
  return await askMfa(bridge, pool, user, clientId, method)
}

/** The challenge of one MFA method: an email code sent by the bridge, or cognito-local's SMS_MFA or SOFTWARE_TOKEN_MFA. */
export async function askMfa (bridge: Pick<Bridge, 'ctx' | 'services' | 'cognitoLocal' | 'sessions' | 'tokens'>, pool: UserPoolService, user: User, clientId: unknown, method: MfaMethod): Promise<AuthAnswer> {
  if (method === 'EMAIL_OTP') return await sendCodeChallenge(bridge, pool, user, user.Username, 'EMAIL_OTP', clientId)
  const asked = await bridge.cognitoLocal('RespondToAuthChallenge', {
    ClientId: clientId, ChallengeName: 'SELECT_MFA_TYPE', Session: 'chosen', ChallengeResponses: { USERNAME: user.Username, ANSWER: method }
  })
  return await asChallenge(bridge, pool, asked)
}

/**
 * cognito-local's answer as AWS gives it: a challenge with a session the bridge can check and the
 * texted number masked. Tokens pass through, completed.
 */
export async function asChallenge (bridge: Pick<Bridge, 'ctx' | 'sessions' | 'tokens'>, pool: UserPoolService, res: AuthAnswer): Promise<AuthAnswer> {
  if (res?.ChallengeName === undefined) return completeAuthenticationResult(bridge, res)
  const user = await pool.getUserByUsername(bridge.ctx, String(res.ChallengeParameters?.USER_ID_FOR_SRP))
  if (user === null) throw incorrectCredentials()
  const parameters = { ...res.ChallengeParameters }
  if (typeof parameters.CODE_DELIVERY_DESTINATION === 'string') parameters.CODE_DELIVERY_DESTINATION = maskDestination(parameters.CODE_DELIVERY_DESTINATION)
  return { ChallengeName: res.ChallengeName, ChallengeParameters: parameters, Session: bridge.sessions.issue(pool, user.Username, res.ChallengeName) }
}

/**
 * cognito-local's answer to a challenge, as AWS gives it: the next challenge (as above), or
 * tokens whose refresh token the pool remembers. cognito-local forgets to store the refresh token
 * it issues here, so it would never refresh; it is stored on the user as the answer left them (a
 * new password is saved by then).
 */
export async function challengeOutcome (
  bridge: Pick<Bridge, 'ctx' | 'cognitoLocal' | 'sessions' | 'tokens'>, pool: UserPoolService, user: User, clientId: unknown, res: AuthAnswer
): Promise<AuthAnswer> {
  if (res?.ChallengeName !== undefined) return await asChallenge(bridge, pool, res)
  const refreshToken = res?.AuthenticationResult?.RefreshToken
  const answered = await pool.getUserByUsername(bridge.ctx, user.Username)
  if (typeof refreshToken === 'string' && answered !== null) await pool.storeRefreshToken(bridge.ctx, refreshToken, answered)
  return completeAuthenticationResult(bridge, res)
}
