import { InitiateAuthCommand, type InitiateAuthCommandOutput } from '@aws-sdk/client-cognito-identity-provider'
import { AppError } from '../../../errors.ts'
import { authOutcome, type ChallengeToAnswer } from './auth.ts'
import type { CognitoClient } from './client.ts'
import type { Decoys } from './decoys.ts'
import { FIRST_FACTORS, METHOD_CHALLENGES, SIGN_IN_METHODS, type AuthOutcome, type ChallengeAnswer, type ChallengeName, type PendingChallenge, type SignInMethod } from './types.ts'

/** A method that signs in without a password. */
export type PasswordlessMethod = Exclude<SignInMethod, 'PASSWORD'>

/** The challenges of a sign-in without a password: their answers go through here. */
const PASSWORDLESS: ReadonlySet<string> = new Set<ChallengeName>(['SELECT_CHALLENGE', 'EMAIL_OTP', 'SMS_OTP', 'WEB_AUTHN'])

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
 */
export function passwordlessOperations (cognito: CognitoClient, decoys: Decoys, answerAtCognito: (held: ChallengeToAnswer, answer: ChallengeAnswer) => Promise<AuthOutcome>, floorMs = 0) {
  const { call, clientId, logger } = cognito

  /**
   * Cognito's challenge as the challenge `expected`, when it is that one; anything else (none,
   * another challenge) becomes its decoy. Real challenges keep only what a decoy has too.
   */
  function asExpected (challenge: PendingChallenge | undefined, expected: ChallengeName, email: string): AuthOutcome {
    if (challenge?.name !== expected) return { challenge: decoys.challenge(expected, email) }
    switch (expected) {
      case 'EMAIL_OTP': return { challenge: { ...challenge, method: 'EMAIL_CODE', codeDelivery: decoys.emailDelivery(email) } }
      case 'SMS_OTP': return { challenge: { ...challenge, method: 'SMS_CODE' } }
      case 'WEB_AUTHN': return { challenge: { ...challenge, method: 'PASSKEY', publicKeyOptions: decoys.publicKeyOptions(challenge.publicKeyOptions ?? '{}') } }
      // Only the session: Cognito's parameters (its AvailableChallenges, passkey options) are the account's.
      case 'SELECT_CHALLENGE': return { challenge: { name: 'SELECT_CHALLENGE', session: challenge.session, username: challenge.username, availableMethods: [...SIGN_IN_METHODS] } }
      default: return { challenge }
    }
  }

  /** An answer to a decoy: a wrong answer for a code or a passkey, the next decoy for a choice. */
  function answerDecoy (held: ChallengeToAnswer, answer: ChallengeAnswer): AuthOutcome {
    switch (held.name) {
      case 'EMAIL_OTP':
      case 'SMS_OTP':
        throw new AppError('CODE_MISMATCH')
      case 'SELECT_CHALLENGE':
        if (answer.method !== undefined && answer.method !== 'PASSWORD') return { challenge: decoys.challenge(METHOD_CHALLENGES[answer.method], held.email) }
        throw new AppError('INVALID_CREDENTIALS')
      default:
        throw new AppError('INVALID_CREDENTIALS')
    }
  }

  return {
    /**
     * InitiateAuth USER_AUTH with the method's first factor as PREFERRED_CHALLENGE, or none
     * (`undefined`: the pool's choice, answered as SELECT_CHALLENGE). Never retried: a retry
     * could send a second code.
     */
    async signInWithout (email: string, method: PasswordlessMethod | undefined): Promise<AuthOutcome> {
      const expected = method === undefined ? 'SELECT_CHALLENGE' : METHOD_CHALLENGES[method]
      return await cognito.hidingExistence('signIn', floorMs, async () => {
        const out = await call<InitiateAuthCommandOutput | undefined>(new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: 'USER_AUTH',
          AuthParameters: { USERNAME: email, ...(method === undefined ? {} : { PREFERRED_CHALLENGE: FIRST_FACTORS[method] }), ...cognito.withSecretHash(email) }
        }), { retry: false, hidden: NO_SUCH_SIGN_IN, fallback: () => undefined })
        return asExpected(out?.ChallengeName === expected ? authOutcome(logger, out).challenge : undefined, expected, email)
      })
    },

    /** Whether an answer to this challenge goes through `respond` here. */
    handles: (held: ChallengeToAnswer): boolean => held.decoy === true || PASSWORDLESS.has(held.name),

    /**
     * Answers a passwordless challenge (or any decoy). Choosing a passwordless method in
     * SELECT_CHALLENGE answers that method's challenge, real or a decoy, as a start does.
     */
    async respond (held: ChallengeToAnswer, answer: ChallengeAnswer): Promise<AuthOutcome> {
      return await cognito.hidingExistence('respondToChallenge', floorMs, async () => {
        if (held.decoy === true) return answerDecoy(held, answer)
        const method = answer.method
        if (held.name !== 'SELECT_CHALLENGE' || method === undefined || method === 'PASSWORD') return await answerAtCognito(held, answer)
        // A method the account cannot use (Cognito: InvalidParameterException) gets its decoy, as an unknown email does.
        const outcome = await answerAtCognito(held, answer).catch((err: unknown) => {
          if (err instanceof AppError && err.code === 'BAD_USER_INPUT') return undefined
          throw err
        })
        return asExpected(outcome?.challenge, METHOD_CHALLENGES[method], held.email)
      })
    }
  }
}
