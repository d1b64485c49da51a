// The stand-in challenges that keep a sign-in's answers the same shape for every email.
import { createHmac, randomBytes } from 'node:crypto'
import type { FastifyBaseLogger } from 'fastify'
import { emailDelivery } from './account.ts'
import { SIGN_IN_METHODS, type ChallengeName, type CodeDelivery, type PendingChallenge } from './types.ts'

/** How long a browser may take over a passkey prompt (ms): Cognito keeps a challenge session three minutes. */
const PASSKEY_TIMEOUT_MS = 180_000

/** The fields of WebAuthn request options a client sees, whoever the email belongs to. */
interface RequestTemplate { rpId?: string, userVerification: string }

/** The pool's passkey settings (GetUserPoolMfaConfig's WebAuthnConfiguration), as far as it names them. */
export interface PasskeySettings { rpId?: string, userVerification?: string }

export interface DecoyOptions {
  /** The relying party when the pool names none (PUBLIC_ORIGIN's host). */
  relyingPartyId?: string
  /** Keys a stand-in's made-up details: it must not change while accounts live (STAND_IN_SECRET, the client secret); random when absent. */
  secret?: string
  /** Reads the pool's passkey settings; asked once, when the first passkey challenge is shaped. */
  passkeySettings?: () => Promise<PasskeySettings>
  logger?: FastifyBaseLogger
}

/** What is known of an account a stand-in is made for (one whose second factor keeps codes out, say). */
export interface StandInAccount { phone?: string }

/**
 * The challenges of a sign-in without a password, shaped the same for every email.
 *
 * Cognito starts a passwordless sign-in only for an account that can use the method (it exists,
 * is confirmed, has a passkey or a phone number), and answers the others with an error or a
 * challenge of another kind; this server starts none with a code for an account with a second
 * factor. Each of those gets a stand-in instead: a challenge of the kind asked for, with the same
 * fields, whose every answer fails as a wrong one does. Real challenges are reduced to the fields
 * a stand-in has too: an emailed code's destination comes from the input, and the WebAuthn
 * options come from the pool's settings (never from what a real challenge showed) and carry no
 * `allowCredentials` (passkeys are discoverable credentials: the browser finds them without a
 * list, and a list would tell that the account exists and how many passkeys it has).
 */
export function createDecoys (options: DecoyOptions) {
  const secret = options.secret ?? randomBytes(32).toString('base64url')
  const fallback: RequestTemplate = { rpId: options.relyingPartyId, userVerification: 'preferred' }
  let settings: Promise<RequestTemplate> | undefined
  let warned = false

  /** The relying party and user verification of every passkey challenge: the pool's, else the configured ones. */
  async function template (): Promise<RequestTemplate> {
    settings ??= (options.passkeySettings?.() ?? Promise.resolve<PasskeySettings>({})).then(
      (pool) => ({ rpId: pool.rpId ?? fallback.rpId, userVerification: pool.userVerification ?? fallback.userVerification }),
      () => {
        // Asked again next time; until then the configured relying party stands in for the pool's.
        settings = undefined
        return fallback
      })
    return await settings
  }

  async function requestOptions (challenge: string): Promise<string> {
    const { rpId, userVerification } = await template()
    return JSON.stringify({ challenge, timeout: PASSKEY_TIMEOUT_MS, rpId, userVerification })
  }

  /** A masked phone number: the account's own, as Cognito masks it (`+*******1234`), else made up, the same for an email on every ask. */
  function smsDestination (email: string, phone: string | undefined): string {
    if (phone !== undefined && phone.length >= 4) return `+*******${phone.slice(-4)}`
    const digits = createHmac('sha256', secret).update(`stand-in:sms:${email}`).digest().readUInt32BE(0) % 10_000
    return `+*******${String(digits).padStart(4, '0')}`
  }

  return {
    /** Cognito's CREDENTIAL_REQUEST_OPTIONS, reduced to the fields every answer has (see above). */
    async publicKeyOptions (cognitoOptions: string): Promise<string> {
      const parsed = JSON.parse(cognitoOptions) as { challenge?: unknown, rpId?: unknown }
      if (typeof parsed.challenge !== 'string') throw new Error('WebAuthn request options without a challenge')
      const shaped = await requestOptions(parsed.challenge)
      if (!warned && typeof parsed.rpId === 'string' && parsed.rpId !== (await template()).rpId) {
        warned = true
        options.logger?.warn({ cognito: parsed.rpId, configured: (await template()).rpId }, 'the passkey relying party Cognito names differs from the pool settings and PUBLIC_ORIGIN: set PUBLIC_ORIGIN to the relying party\'s origin')
      }
      return shaped
    },

    /** Where an emailed sign-in code went: derived from the input, as for every other code. */
    emailDelivery,

    /** A stand-in of the challenge `name` for `email`: the shape of a real one, no Cognito session behind it. */
    async challenge (name: ChallengeName, email: string, account: StandInAccount = {}): Promise<PendingChallenge> {
      const decoy: PendingChallenge = { name, session: randomBytes(48).toString('base64url'), username: email, decoy: true }
      switch (name) {
        case 'EMAIL_OTP': return { ...decoy, method: 'EMAIL_CODE', codeDelivery: emailDelivery(email) }
        case 'SMS_OTP': return { ...decoy, method: 'SMS_CODE', codeDelivery: { medium: 'SMS', destination: smsDestination(email, account.phone) } satisfies CodeDelivery }
        case 'WEB_AUTHN': return { ...decoy, method: 'PASSKEY', publicKeyOptions: await requestOptions(randomBytes(32).toString('base64url')) }
        case 'SELECT_CHALLENGE': return { ...decoy, availableMethods: [...SIGN_IN_METHODS] }
        default: throw new Error(`no decoy for ${name}`)
      }
    }
  }
}

export type Decoys = ReturnType<typeof createDecoys>
