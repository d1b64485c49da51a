// One-time codes that sign in: EMAIL_OTP (a first factor, or the second after a password) and
// SMS_OTP (a first factor), sent to the mailbox as AWS would email or text them, and checked
// against the code their challenge session holds.
import { CodeMismatchError } from 'cognito-local/lib/errors.js'
import { attributeValue, type User, type UserPoolService } from 'cognito-local/lib/services/userPoolService.js'
import type { DeliveryDetails } from 'cognito-local/lib/services/messageDelivery/messageDelivery.js'
import type { Bridge } from './bridge.ts'
import type { AuthAnswer } from './authentication-result.ts'
import type { ChallengeSession } from './challenge-sessions.ts'
import { maskDestination } from './delivery.ts'

export type CodeChallenge = 'EMAIL_OTP' | 'SMS_OTP'

/** Where each challenge's code goes, and the response field that answers it. */
const CODES = {
  EMAIL_OTP: { medium: 'EMAIL', attribute: 'email', answer: 'EMAIL_OTP_CODE' },
  SMS_OTP: { medium: 'SMS', attribute: 'phone_number', answer: 'SMS_OTP_CODE' }
} as const

/** The address a code of `challenge` goes to, if the user has one. */
export const codeDestination = (user: User, challenge: CodeChallenge): string | undefined => attributeValue(CODES[challenge].attribute, user.Attributes)

/**
 * Sends a code for `challenge` and answers with the challenge: CODE_DELIVERY_DELIVERY_MEDIUM and
 * CODE_DELIVERY_DESTINATION (masked), and a session that holds the code. `user` null is a ghost
 * (an unknown username): AWS answers as if it had sent a code to the username, and sends nothing.
 */
export async function sendCodeChallenge (
  bridge: Pick<Bridge, 'ctx' | 'services' | 'sessions'>, pool: UserPoolService, user: User | null, username: string, challenge: CodeChallenge, clientId: unknown
): Promise<AuthAnswer> {
  const { medium, attribute } = CODES[challenge]
  const destination = user === null ? username : codeDestination(user, challenge) ?? ''
  const code = bridge.services.otp()
  if (user !== null) {
    const details = { DeliveryMedium: medium, AttributeName: attribute, Destination: destination } as DeliveryDetails
    await bridge.services.messages.deliver(bridge.ctx, 'Authentication', String(clientId), pool.options.Id, user, code, undefined, details)
  }
  return {
    ChallengeName: challenge,
    ChallengeParameters: { CODE_DELIVERY_DELIVERY_MEDIUM: medium, CODE_DELIVERY_DESTINATION: maskDestination(destination) },
    Session: bridge.sessions.issue(pool, user?.Username ?? username, challenge, user === null ? { ghost: true } : { code })
  }
}

/**
 * Checks the answer to a code challenge. A wrong code is CodeMismatchException and the session
 * stays for another try, up to CODE_ATTEMPTS (then it is spent: NotAuthorizedException). A
 * ghost's code is always wrong.
 */
export function checkCode (bridge: Pick<Bridge, 'sessions'>, session: string, held: ChallengeSession, challenge: CodeChallenge, responses: Record<string, string> | undefined): void {
  const given = responses?.[CODES[challenge].answer]
  if (held.ghost === true || held.code === undefined || given !== held.code) {
    bridge.sessions.giveBack(session, held, true)
    throw new CodeMismatchError()
  }
}
