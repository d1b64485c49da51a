// Sign-in with the pool's custom challenges (CUSTOM_AUTH): the start, each CUSTOM_CHALLENGE's
// answer, and the stand-in an email gets when Cognito starts no sequence for it.
import { InitiateAuthCommand, type InitiateAuthCommandOutput } from '@aws-sdk/client-cognito-identity-provider'
import { randomBytes, randomUUID } from 'node:crypto'
import { AppError } from '../../../errors.ts'
import { authOutcome } from './auth.ts'
import type { CognitoClient } from './client.ts'
import { withDeviceKey } from './device-key.ts'
import type { RememberedDevice } from './password-flow.ts'
import type { AuthOutcome, ChallengeAnswer, ChallengeToAnswer, PendingChallenge } from './types.ts'

/**
 * What Cognito answers for an account it starts no custom sequence for: an unknown username where
 * the app client does not hide existence, a disabled, unconfirmed or reset account. Each gets a
 * stand-in instead (signInCustom).
 */
const NO_SUCH_SIGN_IN = ['UserNotFoundException', 'NotAuthorizedException', 'UserNotConfirmedException', 'PasswordResetRequiredException']

/** Why a custom sign-in cannot start: the same for every email, so it may be said (InvalidParameterException). */
export const CUSTOM_UNAVAILABLE_MESSAGE = 'This sign-in method is not available: the app client does not allow custom challenges (ALLOW_CUSTOM_AUTH), or the user pool has no challenge triggers.'

/**
 * A made-up CUSTOM_CHALLENGE, for a client that does not hide existence: no Cognito session
 * behind it, so every answer fails as a wrong one does. Its parameters are empty: the triggers'
 * are unknown without a sequence (docs/sign-in-flows.md).
 */
function standIn (email: string): PendingChallenge {
  return { name: 'CUSTOM_CHALLENGE', session: randomBytes(48).toString('base64url'), username: email, parameters: '{}', method: 'CUSTOM', decoy: true }
}

/**
 * Cognito's answer as a custom step: the tokens, or the next CUSTOM_CHALLENGE marked as this
 * method's. Another challenge (a second factor the pool asks after the triggers) goes on as it
 * does after a password.
 */
function asCustom (outcome: AuthOutcome): AuthOutcome {
  if (outcome.challenge?.name !== 'CUSTOM_CHALLENGE') return outcome
  return { challenge: { ...outcome.challenge, method: 'CUSTOM' } }
}

/**
 * CUSTOM_AUTH, driven by the pool's define, create and verify auth challenge triggers. A start
 * may make the trigger send a code, so it is never retried. Both the start and each answer
 * settle no earlier than the existence timing floor, as the other passwordless sign-ins do.
 */
export function customChallengeOperations (cognito: CognitoClient, answerAtCognito: (held: ChallengeToAnswer, answer: ChallengeAnswer, device?: RememberedDevice) => Promise<AuthOutcome>, floorMs = 0) {
  const { call, clientId, logger } = cognito

  /** InitiateAuth CUSTOM_AUTH for `username` (with this browser's DEVICE_KEY, see device-key.ts); undefined when Cognito starts no sequence for it. */
  async function start (username: string, deviceKey?: string): Promise<InitiateAuthCommandOutput | undefined> {
    try {
      return await withDeviceKey(deviceKey, async (device, seen) => await call<InitiateAuthCommandOutput | undefined>(new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: 'CUSTOM_AUTH',
        AuthParameters: { USERNAME: username, ...device, ...cognito.withSecretHash(username) }
      }), { retry: false, hidden: NO_SUCH_SIGN_IN, fallback: () => undefined, seen }))
    } catch (err) {
      // The client or the pool does not offer the flow: the same answer for every email.
      if (err instanceof AppError && err.code === 'BAD_USER_INPUT') throw new AppError('BAD_USER_INPUT', CUSTOM_UNAVAILABLE_MESSAGE)
      throw err
    }
  }

  return {
    /**
     * The trigger's first CUSTOM_CHALLENGE for `email`, or one of the same shape. Where Cognito
     * refuses the account (disabled, unconfirmed, reset; unknown on a client that does not hide
     * existence), the sequence of a username nobody has stands in: on a client that hides
     * existence Cognito runs the triggers for it as for an unknown email, so the challenge is the
     * triggers' own. Only where Cognito refuses that too does the server make one up (standIn).
     */
    async signInCustom (email: string, deviceKey?: string): Promise<AuthOutcome> {
      return await cognito.hidingExistence('signIn', floorMs, async () => {
        const out = await start(email, deviceKey) ?? await start(`${randomUUID()}@stand-in.invalid`)
        if (out === undefined) return { challenge: standIn(email) }
        return asCustom(authOutcome(logger, out))
      })
    },

    /** Answers a CUSTOM_CHALLENGE: tokens (after `device`'s proof, when the start named it), the next round, or INVALID_CREDENTIALS (a stand-in's every answer). */
    async respondCustom (held: ChallengeToAnswer, answer: ChallengeAnswer, device?: RememberedDevice): Promise<AuthOutcome> {
      return await cognito.hidingExistence('respondToChallenge', floorMs, async () => {
        if (held.decoy === true) throw new AppError('INVALID_CREDENTIALS')
        return asCustom(await answerAtCognito(held, answer, device))
      })
    }
  }
}
