import { createHmac, randomBytes } from 'node:crypto'
import { emailDelivery } from './account.ts'
import { SIGN_IN_METHODS, type ChallengeName, type CodeDelivery, type PendingChallenge } from './types.ts'

/** How long a browser may take over a passkey prompt (ms): Cognito keeps a challenge session three minutes. */
const PASSKEY_TIMEOUT_MS = 180_000

/** The fields of WebAuthn request options a client sees, whoever the email belongs to. */
interface RequestTemplate { rpId?: string, userVerification: string }

/**
 * The challenges of a sign-in without a password, shaped the same for every email.
 *
 * Cognito starts a passwordless sign-in only for an account that can use the method (it exists,
 * is confirmed, has a passkey or a phone number), and answers the others with an error or a
 * challenge of another kind. Each of those gets a decoy instead: a challenge of the kind asked
 * for, with the same fields, whose every answer fails as a wrong one does. Real challenges are
 * reduced to the fields a decoy can have too: an emailed code's destination comes from the
 * input, and the WebAuthn options carry no `allowCredentials` (passkeys are discoverable
 * credentials: the browser finds them without a list, and a list would tell that the account
 * exists and how many passkeys it has).
 */
export function createDecoys (options: { relyingPartyId?: string, secret?: string }) {
  const secret = options.secret ?? randomBytes(32).toString('base64url')
  // The relying party and user verification of the pool, learnt from its real options.
  let template: RequestTemplate = { rpId: options.relyingPartyId, userVerification: 'preferred' }

  function requestOptions (challenge: string): string {
    return JSON.stringify({ challenge, timeout: PASSKEY_TIMEOUT_MS, rpId: template.rpId, userVerification: template.userVerification })
  }

  /** A masked phone number for an email, the same on every ask (Cognito masks real ones as `+*******1234`). */
  function smsDestination (email: string): string {
    const digits = createHmac('sha256', secret).update(`sms:${email}`).digest().readUInt32BE(0) % 10_000
    return `+*******${String(digits).padStart(4, '0')}`
  }

  return {
    /** Cognito's CREDENTIAL_REQUEST_OPTIONS, reduced to the fields every answer has (see above). */
    publicKeyOptions (cognitoOptions: string): string {
      const parsed = JSON.parse(cognitoOptions) as { challenge?: unknown, rpId?: unknown, userVerification?: unknown }
      if (typeof parsed.challenge !== 'string') throw new Error('WebAuthn request options without a challenge')
      template = {
        rpId: typeof parsed.rpId === 'string' ? parsed.rpId : template.rpId,
        userVerification: typeof parsed.userVerification === 'string' ? parsed.userVerification : template.userVerification
      }
      return requestOptions(parsed.challenge)
    },

    /** Where an emailed sign-in code went: derived from the input, as for every other code. */
    emailDelivery,

    /** A decoy of the challenge `name` for `email`: the shape of a real one, no Cognito session behind it. */
    challenge (name: ChallengeName, email: string): PendingChallenge {
      const decoy: PendingChallenge = { name, session: randomBytes(48).toString('base64url'), username: email, decoy: true }
      switch (name) {
        case 'EMAIL_OTP': return { ...decoy, method: 'EMAIL_CODE', codeDelivery: emailDelivery(email) }
        case 'SMS_OTP': return { ...decoy, method: 'SMS_CODE', codeDelivery: { medium: 'SMS', destination: smsDestination(email) } satisfies CodeDelivery }
        case 'WEB_AUTHN': return { ...decoy, method: 'PASSKEY', publicKeyOptions: requestOptions(randomBytes(32).toString('base64url')) }
        case 'SELECT_CHALLENGE': return { ...decoy, availableMethods: [...SIGN_IN_METHODS] }
        default: throw new Error(`no decoy for ${name}`)
      }
    }
  }
}

export type Decoys = ReturnType<typeof createDecoys>
