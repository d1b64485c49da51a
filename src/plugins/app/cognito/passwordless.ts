// The adapter: choice-based sign-in (USER_AUTH): emailed and texted codes, passkeys, SELECT_CHALLENGE.
import { InitiateAuthCommand, type InitiateAuthCommandOutput } from '@aws-sdk/client-cognito-identity-provider'
import { AppError } from '../../../errors.ts'
import { authOutcome } from './auth.ts'
import type { CognitoClient } from './client.ts'
import type { Decoys, StandInAccount } from './decoys.ts'
import { withDeviceKey } from './device-key.ts'
import type { RememberedDevice } from './password-flow.ts'
import { FIRST_FACTORS, METHOD_CHALLENGES, SIGN_IN_METHODS, type AuthOutcome, type ChallengeAnswer, type ChallengeName, type ChallengeToAnswer, type PendingChallenge, type SignInMethod } from './types.ts'
import { adminGetUser } from './user.ts'

/** A method that signs in without a password. */
export type PasswordlessMethod = Exclude<SignInMethod, 'PASSWORD'>

/** The challenges of a sign-in without a password: their answers go through here. */
const PASSWORDLESS: ReadonlySet<string> = new Set<ChallengeName>(['SELECT_CHALLENGE', 'EMAIL_OTP', 'SMS_OTP', 'WEB_AUTHN'])

/** The methods that sign in with a code sent to the account's email or phone. */
const SENDS_CODE: ReadonlySet<string> = new Set<SignInMethod>(['EMAIL_CODE', 'SMS_CODE'])

/**
 * What Cognito answers for accounts it starts no passwordless sign-in for, under
 * PreventUserExistenceErrors or without it: each gets a decoy challenge instead (decoys.ts).
 */
const NO_SUCH_SIGN_IN = ['UserNotFoundException', 'NotAuthorizedException', 'UserNotConfirmedException', 'PasswordResetRequiredException']

/**
 * Sign-in by Cognito's choice-based flow (USER_AUTH): an emailed or texted code, a passkey, or
 * the pool's choice of first factor (SELECT_CHALLENGE). Every start answers the challenge of the
 * method asked for, real or a decoy (see decoys.ts), and every answer to a decoy fails as a
 * wrong answer does; both settle no earlier than the existence timing floor, so that neither
 * shape nor time tells whether the email has an account.
 *
 * An emailed or texted code is no sign-in for an account with a second factor (TOTP, SMS or email
 * MFA): whoever reads the mailbox or holds the phone number would pass the factor the account
 * asks for after its password. Such an account gets the code challenge's stand-in: no code is
 * sent, every code is wrong, and its answers are an unknown email's (existence and MFA stay hidden).
 */
export function passwordlessOperations (cognito: CognitoClient, decoys: Decoys, answerAtCognito: (held: ChallengeToAnswer, answer: ChallengeAnswer, device?: RememberedDevice) => Promise<AuthOutcome>, floorMs = 0) {
  const { call, clientId, logger } = cognito

  /**
   * Cognito's challenge as the challenge `expected`, when it is that one; anything else (none,
   * another challenge) becomes its decoy. Real challenges keep only what a decoy has too.
   */
  async function asExpected (challenge: PendingChallenge | undefined, expected: ChallengeName, email: string): Promise<AuthOutcome> {
    if (challenge?.name !== expected) return { challenge: await decoys.challenge(expected, email) }
    switch (expected) {
      case 'EMAIL_OTP': return { challenge: { ...challenge, method: 'EMAIL_CODE', codeDelivery: decoys.emailDelivery(email) } }
      case 'SMS_OTP': return { challenge: { ...challenge, method: 'SMS_CODE' } }
      case 'WEB_AUTHN': return { challenge: { ...challenge, method: 'PASSKEY', publicKeyOptions: await decoys.publicKeyOptions(challenge.publicKeyOptions ?? '{}') } }
      // Only the session: Cognito's parameters (its AvailableChallenges, passkey options) are the account's.
      case 'SELECT_CHALLENGE': return { challenge: { name: 'SELECT_CHALLENGE', session: challenge.session, username: challenge.username, availableMethods: [...SIGN_IN_METHODS] } }
      default: return { challenge }
    }
  }

  /**
   * The account behind `username` when a code must not sign it in (it has a second factor), with
   * what its stand-in shows; undefined for every other account and for none. One look-up whatever
   * the account, so the time taken tells nothing.
   */
  async function keptOutOfCodes (username: string): Promise<StandInAccount | undefined> {
    const account = await adminGetUser(cognito, username)
    return account?.secondFactor === true ? { phone: account.phone } : undefined
  }

  /** An answer to a decoy: a wrong answer for a code or a passkey, the next decoy for a choice. */
  async function answerDecoy (held: ChallengeToAnswer, answer: ChallengeAnswer): Promise<AuthOutcome> {
    switch (held.name) {
      case 'EMAIL_OTP':
      case 'SMS_OTP':
        throw new AppError('CODE_MISMATCH')
      case 'SELECT_CHALLENGE':
        if (answer.method !== undefined && answer.method !== 'PASSWORD') return { challenge: await decoys.challenge(METHOD_CHALLENGES[answer.method], held.email) }
        throw new AppError('INVALID_CREDENTIALS')
      default:
        throw new AppError('INVALID_CREDENTIALS')
    }
  }

  return {
    /**
     * InitiateAuth USER_AUTH with the method's first factor as PREFERRED_CHALLENGE, or none
     * (`undefined`: the pool's choice, answered as SELECT_CHALLENGE). Never retried: a retry
     * could send a second code. `deviceKey`: this browser's remembered device (DEVICE_KEY), which
     * proves itself after the first factor, as after a password (device-key.ts).
     */
    async signInWithout (email: string, method: PasswordlessMethod | undefined, deviceKey?: string): Promise<AuthOutcome> {
      const expected = method === undefined ? 'SELECT_CHALLENGE' : METHOD_CHALLENGES[method]
      return await cognito.hidingExistence('signIn', floorMs, async () => {
        const kept = method !== undefined && SENDS_CODE.has(method) ? await keptOutOfCodes(email) : undefined
        if (kept !== undefined) return { challenge: await decoys.challenge(expected, email, kept) }
        const out = await withDeviceKey(deviceKey, async (device, seen) => await call<InitiateAuthCommandOutput | undefined>(new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: 'USER_AUTH',
          AuthParameters: { USERNAME: email, ...(method === undefined ? {} : { PREFERRED_CHALLENGE: FIRST_FACTORS[method] }), ...device, ...cognito.withSecretHash(email) }
        }), { retry: false, hidden: NO_SUCH_SIGN_IN, fallback: () => undefined, seen }))
        return await asExpected(out?.ChallengeName === expected ? authOutcome(logger, out).challenge : undefined, expected, email)
      })
    },

    /** Whether an answer to this challenge goes through `respond` here. */
    handles: (held: ChallengeToAnswer): boolean => held.decoy === true || PASSWORDLESS.has(held.name),

    /**
     * Answers a passwordless challenge (or any decoy). Choosing a passwordless method in
     * SELECT_CHALLENGE answers that method's challenge, real or a decoy, as a start does.
     */
    async respond (held: ChallengeToAnswer, answer: ChallengeAnswer, device?: RememberedDevice): Promise<AuthOutcome> {
      return await cognito.hidingExistence('respondToChallenge', floorMs, async () => {
        if (held.decoy === true) return await answerDecoy(held, answer)
        const method = answer.method
        // `device`: the browser's remembered device, named at the start: its proof follows the first factor (or an emailed code as the second).
        if (held.name !== 'SELECT_CHALLENGE' || method === undefined || method === 'PASSWORD') return await answerAtCognito(held, answer, device)
        const expected = METHOD_CHALLENGES[method]
        const kept = SENDS_CODE.has(method) ? await keptOutOfCodes(held.username) : undefined
        if (kept !== undefined) return { challenge: await decoys.challenge(expected, held.email, kept) }
        // A method the account cannot use (Cognito: InvalidParameterException) gets its decoy, as an unknown email does.
        const outcome = await answerAtCognito(held, answer, device).catch((err: unknown) => {
          if (err instanceof AppError && err.code === 'BAD_USER_INPUT') return undefined
          throw err
        })
        return await asExpected(outcome?.challenge, expected, held.email)
      })
    }
  }
}
