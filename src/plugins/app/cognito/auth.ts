// The adapter: sign-in, challenges, revocation and global sign-out.
import {
  AdminUserGlobalSignOutCommand,
  AssociateSoftwareTokenCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  RevokeTokenCommand,
  VerifySoftwareTokenCommand,
  type AuthenticationResultType,
  type InitiateAuthCommandOutput,
  type RespondToAuthChallengeCommandInput
} from '@aws-sdk/client-cognito-identity-provider'
import type { FastifyBaseLogger } from 'fastify'
import { AppError } from '../../../errors.ts'
import type { CognitoClient } from './client.ts'
import type { DevicePolicy } from './device-policy.ts'
import type { RememberedDevice, passwordFlows } from './password-flow.ts'
import { CHALLENGES, FIRST_FACTORS, MFA_NAMES, type AuthOutcome, type ChallengeAnswer, type ChallengeName, type ChallengeToAnswer, type MfaMethod, type PendingChallenge, type Tokens } from './types.ts'
import { setTotp } from './user.ts'

/**
 * Runs a step of a challenge. Cognito answers a challenge session it no longer honours (spent by
 * an earlier answer, expired, or issued for another user) with NotAuthorizedException; so it
 * answers a refused passkey or password too, which `refused` then names.
 */
async function challengeStep<T> (step: () => Promise<T>, refused: 'CHALLENGE_EXPIRED' | 'INVALID_CREDENTIALS' = 'CHALLENGE_EXPIRED'): Promise<T> {
  try {
    return await step()
  } catch (err) {
    if (err instanceof AppError && err.code === 'INVALID_CREDENTIALS') throw new AppError(refused)
    throw err
  }
}

/**
 * Challenges whose session Cognito spends on a wrong code: the corrected code would meet a spent
 * session (NotAuthorizedException), so the wrong one ends the sign-in. Emailed and texted one-time
 * codes (EMAIL_OTP, SMS_OTP) leave the session for another try.
 */
const SPENT_BY_WRONG_CODE: ReadonlySet<ChallengeName> = new Set(['SOFTWARE_TOKEN_MFA', 'SMS_MFA', 'MFA_SETUP'])

/** CODE_MISMATCH for a challenge that a wrong code ended: the client starts the sign-in again. */
export const CHALLENGE_ENDED_MESSAGE = 'The code is not valid, and this sign-in has ended: sign in again.'

/**
 * Answers that prove who the user is (a passkey, a password, a custom challenge's answer): Cognito
 * refuses a wrong one as it refuses a spent session (a custom sequence its define trigger ends).
 */
const provesIdentity = (challenge: ChallengeToAnswer, answer: ChallengeAnswer): boolean =>
  challenge.name === 'WEB_AUTHN' || challenge.name === 'CUSTOM_CHALLENGE' || (challenge.name === 'SELECT_CHALLENGE' && answer.method === 'PASSWORD')

/** Cognito's challenge, read into the API's vocabulary; one this server does not carry is a configuration error. */
function challengeOf (logger: FastifyBaseLogger, name: string, session: string, p: Record<string, string>): PendingChallenge {
  if (!(CHALLENGES as readonly string[]).includes(name)) {
    logger.error({ challenge: name }, 'the user pool asked for a challenge this server does not support: check the app client settings')
    throw new AppError('INTERNAL_SERVER_ERROR')
  }
  return {
    name: name as ChallengeName,
    session,
    username: p.USER_ID_FOR_SRP ?? p.USERNAME,
    codeDelivery: p.CODE_DELIVERY_DESTINATION !== undefined
      ? { medium: p.CODE_DELIVERY_DELIVERY_MEDIUM === 'EMAIL' ? 'EMAIL' : 'SMS', destination: p.CODE_DELIVERY_DESTINATION }
      : undefined,
    mfaOptions: p.MFAS_CAN_CHOOSE !== undefined ? (JSON.parse(p.MFAS_CAN_CHOOSE) as string[]).flatMap((m) => MFA_NAMES[m] ?? []) : undefined,
    publicKeyOptions: p.CREDENTIAL_REQUEST_OPTIONS,
    parameters: name === 'CUSTOM_CHALLENGE' ? publicParameters(p) : undefined
  }
}

/**
 * A custom challenge's public parameters as the trigger made them, without the USERNAME Cognito
 * adds (Cognito's username, which the user never gave: a UUID where email is an alias).
 */
function publicParameters (p: Record<string, string>): string {
  const { USERNAME: _username, ...made } = p
  return JSON.stringify(made)
}

/** Cognito's answer to an authentication step: the tokens or the next challenge. */
export function authOutcome (logger: FastifyBaseLogger, out: InitiateAuthCommandOutput): AuthOutcome {
  const result: AuthenticationResultType | undefined = out.AuthenticationResult
  if (result?.AccessToken !== undefined && result.IdToken !== undefined) {
    const device = result.NewDeviceMetadata
    const newDevice = device?.DeviceKey !== undefined && device.DeviceGroupKey !== undefined ? { key: device.DeviceKey, groupKey: device.DeviceGroupKey } : undefined
    return { tokens: { accessToken: result.AccessToken, idToken: result.IdToken, refreshToken: result.RefreshToken }, ...(newDevice === undefined ? {} : { newDevice }) }
  }
  if (out.ChallengeName !== undefined && out.Session !== undefined) return { challenge: challengeOf(logger, out.ChallengeName, out.Session, out.ChallengeParameters ?? {}) }
  throw new AppError('SERVICE_UNAVAILABLE')
}

/** MFA_SETUP comes with the authenticator secret to set up: Cognito makes it for the challenge session. */
async function withTotpSetup (cognito: CognitoClient, outcome: AuthOutcome): Promise<AuthOutcome> {
  if (outcome.challenge?.name !== 'MFA_SETUP') return outcome
  const challenge = outcome.challenge
  const out = await challengeStep(() => cognito.call<{ SecretCode?: string, Session?: string }>(new AssociateSoftwareTokenCommand({ Session: challenge.session }), { retry: false }))
  if (out.SecretCode === undefined || out.Session === undefined) throw new AppError('SERVICE_UNAVAILABLE')
  return { challenge: { ...challenge, session: out.Session, totpSecret: out.SecretCode } }
}

/** Cognito's answer to SELECT_MFA_TYPE for each second factor. */
const MFA_ANSWERS: Readonly<Record<MfaMethod, string>> = { TOTP: 'SOFTWARE_TOKEN_MFA', SMS: 'SMS_MFA', EMAIL: 'EMAIL_OTP' }

/** Cognito's challenge responses for an answer; MFA_SETUP first verifies the authenticator, which gives the session to finish with. */
async function challengeResponses (cognito: CognitoClient, challenge: ChallengeToAnswer, answer: ChallengeAnswer): Promise<{ responses: Record<string, string>, session: string }> {
  const responses: Record<string, string> = { USERNAME: challenge.username, ...cognito.withSecretHash(challenge.username) }
  let session = challenge.session
  switch (challenge.name) {
    case 'NEW_PASSWORD_REQUIRED': responses.NEW_PASSWORD = answer.newPassword ?? ''; break
    case 'SOFTWARE_TOKEN_MFA': responses.SOFTWARE_TOKEN_MFA_CODE = answer.code ?? ''; break
    case 'SMS_MFA': responses.SMS_MFA_CODE = answer.code ?? ''; break
    case 'SELECT_MFA_TYPE': responses.ANSWER = MFA_ANSWERS[answer.mfaMethod ?? 'TOTP']; break
    case 'EMAIL_OTP': responses.EMAIL_OTP_CODE = answer.code ?? ''; break
    case 'SMS_OTP': responses.SMS_OTP_CODE = answer.code ?? ''; break
    case 'WEB_AUTHN': responses.CREDENTIAL = answer.credential ?? ''; break
    case 'CUSTOM_CHALLENGE': responses.ANSWER = answer.answer ?? ''; break
    case 'SELECT_CHALLENGE':
      // A password chosen here is proven as every password is (password-flow.ts).
      responses.ANSWER = FIRST_FACTORS[answer.method ?? 'PASSWORD']
      break
    case 'MFA_SETUP': {
      // The first code verifies the authenticator; Cognito answers with the session to finish with.
      const out = await challengeStep(() => cognito.call<{ Status?: string, Session?: string }>(new VerifySoftwareTokenCommand({ Session: session, UserCode: answer.code }), { retry: false }))
      if (out.Status !== 'SUCCESS') throw new AppError('CODE_MISMATCH')
      session = out.Session ?? session
      break
    }
    default:
      throw new AppError('BAD_USER_INPUT', 'This sign-in step cannot be answered here: sign in again.')
  }
  return { responses, session }
}

/** Signing in, answering challenges, checking passwords, renewing tokens and ending sessions. */
export function authOperations (cognito: CognitoClient, flows: ReturnType<typeof passwordFlows>, devices: DevicePolicy) {
  const { call, clientId, logger, pool } = cognito
  const { passwordAuth } = flows

  /** What a step ends with, once a device Cognito asks about has proven itself (a pool that tracks devices). */
  async function outcomeWith (out: InitiateAuthCommandOutput, device: RememberedDevice | undefined): Promise<AuthOutcome> {
    const proven = await flows.proveDevice(out, device)
    const outcome = authOutcome(logger, proven)
    if (outcome.newDevice !== undefined || proven !== out) devices.sawDevice()
    return await withTotpSetup(cognito, outcome)
  }

  async function revokeRefreshToken (refreshToken: string): Promise<void> {
    await call(new RevokeTokenCommand({ ClientId: clientId, ClientSecret: pool.clientSecret, Token: refreshToken }))
  }

  return {
    /** A password sign-in; `device`: this browser's remembered device, which may skip the second factor. */
    async signIn (email: string, password: string, device?: RememberedDevice): Promise<AuthOutcome> {
      return await outcomeWith(await passwordAuth(email, password, device?.key), device)
    },

    /**
     * Answers a held challenge: the next challenge or the tokens. Whether a refused answer spends
     * the challenge is Cognito's call; a challenge it no longer honours is CHALLENGE_EXPIRED.
     */
    async respondToChallenge (challenge: ChallengeToAnswer, answer: ChallengeAnswer, device?: RememberedDevice): Promise<AuthOutcome> {
      let out: InitiateAuthCommandOutput
      try {
        if (challenge.name === 'SELECT_CHALLENGE' && answer.method === 'PASSWORD') {
          out = await challengeStep(() => flows.selectPassword(challenge.session, challenge.username, answer.password ?? ''), 'INVALID_CREDENTIALS')
          return await outcomeWith(out, device)
        }
        const { responses, session } = await challengeResponses(cognito, challenge, answer)
        out = await challengeStep(() => call<InitiateAuthCommandOutput>(new RespondToAuthChallengeCommand({
          ClientId: clientId, ChallengeName: challenge.name as RespondToAuthChallengeCommandInput['ChallengeName'], Session: session, ChallengeResponses: responses
        }), { retry: false }), provesIdentity(challenge, answer) ? 'INVALID_CREDENTIALS' : 'CHALLENGE_EXPIRED')
      } catch (err) {
        // Said at once, rather than by the CHALLENGE_EXPIRED the corrected code would meet.
        if (err instanceof AppError && err.code === 'CODE_MISMATCH' && SPENT_BY_WRONG_CODE.has(challenge.name as ChallengeName)) {
          throw new AppError('CODE_MISMATCH', CHALLENGE_ENDED_MESSAGE, { challengeEnded: true })
        }
        throw err
      }
      const outcome = await outcomeWith(out, device)
      // The authenticator set up during sign-in becomes the preferred method, as verifyTotp makes it.
      if (challenge.name === 'MFA_SETUP' && outcome.tokens !== undefined) await setTotp(cognito, outcome.tokens.accessToken, true)
      return outcome
    },

    /**
     * Checks a signed-in user's current password by signing in with it: tokens (revoked at once,
     * so no session is left behind) or a challenge both prove it. Throws INVALID_CREDENTIALS.
     * `username` is Cognito's (it stays the same while an email change is pending).
     */
    async checkPassword (username: string, password: string): Promise<void> {
      const refreshToken = (await passwordAuth(username, password)).AuthenticationResult?.RefreshToken
      if (refreshToken === undefined) return
      // A check leaves no session behind.
      try {
        await revokeRefreshToken(refreshToken)
      } catch (err) {
        logger.warn({ code: (err as AppError).code }, 'could not revoke the refresh token of a password check')
      }
    },

    /** Renews the access and id tokens; `username` is Cognito's username (SECRET_HASH needs it), `deviceKey` the device the session signed in with. */
    async refresh (refreshToken: string, username: string, deviceKey?: string): Promise<Tokens> {
      const out = await call<InitiateAuthCommandOutput>(new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        // A refresh token of a sign-in with a device refreshes only with that device's key.
        AuthParameters: { REFRESH_TOKEN: refreshToken, ...(deviceKey === undefined ? {} : { DEVICE_KEY: deviceKey }), ...cognito.withSecretHash(username) }
      }))
      const outcome = authOutcome(logger, out)
      if (outcome.tokens === undefined) throw new AppError('UNAUTHENTICATED')
      return outcome.tokens
    },

    revokeRefreshToken,

    /** Cognito's global sign-out with the user's own access token. */
    async globalSignOut (accessToken: string): Promise<void> {
      await call(new GlobalSignOutCommand({ AccessToken: accessToken }))
    },

    /** Cognito's global sign-out for a user whose tokens the server does not hold (admin credentials). */
    async adminGlobalSignOut (username: string): Promise<void> {
      await call(new AdminUserGlobalSignOutCommand({ UserPoolId: pool.userPoolId, Username: username }))
    }
  }
}
