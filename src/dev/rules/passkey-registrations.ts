// Registering a passkey, as StartWebAuthnRegistration and CompleteWebAuthnRegistration do it: the
// creation options of the user's latest start (held in memory, one per user, three minutes, used
// once), then the attestation checked step by step so that each failure has AWS's name.
import { createHash } from 'node:crypto'
import type { PublicKeyCredentialCreationOptionsJSON, RegistrationResponseJSON } from '@simplewebauthn/server'
import { InvalidParameterError } from 'cognito-local/lib/errors.js'
import type { Clock } from 'cognito-local/lib/services/clock.js'
import { attributeValue, type User, type UserPoolService } from 'cognito-local/lib/services/userPoolService.js'
import { CHALLENGE_SESSION_MS } from './challenge-sessions.ts'
import { webAuthn } from './webauthn.ts'
import { webAuthnChallengeNotFound, webAuthnClientMismatch, webAuthnCredentialNotSupported, webAuthnOriginNotAllowed, webAuthnRelyingPartyMismatch } from './errors.ts'
import { CEREMONY_TIMEOUT_MS, passkeysOf, type StoredPasskey, type WebAuthnOrigins } from './passkeys.ts'
import { webAuthnOf } from './pool-mfa.ts'

/** ES256 and RS256, as AWS offers them. */
const ALGORITHMS = [-7, -257]

/** A registration started and not yet completed. */
interface Pending { challenge: string, clientId: string, expires: number }

/** The registrations in progress of one emulator, by user (sub); a new start replaces the last one. */
export class PasskeyRegistrations {
  readonly #pending = new Map<string, Pending>()

  private readonly clock: Clock
  private readonly origins: WebAuthnOrigins
  constructor (clock: Clock, origins: WebAuthnOrigins) {
    this.clock = clock
    this.origins = origins
  }

  /**
   * CredentialCreationOptions as AWS makes them: rp id and name the pool's relying party id, user
   * id the user's sub, name and display name their email, the passkeys they have excluded, a
   * resident key required, user verification as the pool says (preferred by default), no
   * attestation asked for.
   */
  async start (pool: UserPoolService, user: User, clientId: string): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const name = attributeValue('email', user.Attributes) ?? attributeValue('phone_number', user.Attributes) ?? user.Username
    const sub = attributeValue('sub', user.Attributes) ?? user.Username
    const { relyingPartyId, userVerification } = webAuthnOf(pool)
    const { generateRegistrationOptions } = await webAuthn()
    const options = await generateRegistrationOptions({
      rpName: relyingPartyId,
      rpID: relyingPartyId,
      userID: new TextEncoder().encode(sub),
      userName: name,
      userDisplayName: name,
      timeout: CEREMONY_TIMEOUT_MS,
      attestationType: 'none',
      excludeCredentials: passkeysOf(user).map((p) => ({ id: p.CredentialId, transports: p.AuthenticatorTransports })),
      authenticatorSelection: { residentKey: 'required', requireResidentKey: true, userVerification },
      supportedAlgorithmIDs: ALGORITHMS
    })
    const now = this.clock.get().getTime()
    for (const [id, pending] of this.#pending) if (pending.expires <= now) this.#pending.delete(id)
    this.#pending.set(sub, { challenge: options.challenge, clientId, expires: now + CHALLENGE_SESSION_MS })
    return options
  }

  /**
   * The passkey of a RegistrationResponseJSON, verified against the user's latest start (which it
   * spends, whatever the outcome): WebAuthnChallengeNotFoundException without one or for another
   * challenge, WebAuthnClientMismatchException from another app client, WebAuthnOriginNotAllowedException,
   * WebAuthnRelyingPartyMismatchException, WebAuthnCredentialNotSupportedException when it does not
   * verify (or, where the pool requires user verification, when the user was not verified).
   */
  async complete (pool: UserPoolService, user: User, clientId: string, credential: unknown): Promise<StoredPasskey> {
    const response = credential as RegistrationResponseJSON | undefined
    if (typeof response?.id !== 'string' || typeof response.response?.clientDataJSON !== 'string' || typeof response.response.attestationObject !== 'string') {
      throw new InvalidParameterError('Credential must be a RegistrationResponseJSON')
    }
    const { decodeAttestationObject, decodeClientDataJSON, isoBase64URL, parseAuthenticatorData, verifyRegistrationResponse } = await webAuthn()
    const sub = attributeValue('sub', user.Attributes) ?? user.Username
    const pending = this.#pending.get(sub)
    this.#pending.delete(sub)
    if (pending === undefined || pending.expires <= this.clock.get().getTime()) throw webAuthnChallengeNotFound()
    if (pending.clientId !== clientId) throw webAuthnClientMismatch()
    const clientData = readOrRefuse(() => decodeClientDataJSON(response.response.clientDataJSON))
    if (clientData.challenge !== pending.challenge) throw webAuthnChallengeNotFound()
    const { relyingPartyId, userVerification } = webAuthnOf(pool)
    if (!this.origins.allows(clientData.origin, relyingPartyId)) throw webAuthnOriginNotAllowed()
    const authData = readOrRefuse(() => parseAuthenticatorData(decodeAttestationObject(isoBase64URL.toBuffer(response.response.attestationObject)).get('authData')))
    const expectedHash = createHash('sha256').update(relyingPartyId).digest()
    if (!Buffer.from(authData.rpIdHash).equals(expectedHash)) throw webAuthnRelyingPartyMismatch()
    const verified = await verifyRegistrationResponse({
      response, expectedChallenge: pending.challenge, expectedOrigin: clientData.origin, expectedRPID: relyingPartyId, requireUserVerification: userVerification === 'required', supportedAlgorithmIDs: ALGORITHMS
    }).catch(() => ({ verified: false as const }))
    if (!verified.verified) throw webAuthnCredentialNotSupported()
    const { credential: made } = verified.registrationInfo
    const attachment = response.authenticatorAttachment
    return {
      CredentialId: made.id,
      PublicKey: isoBase64URL.fromBuffer(made.publicKey),
      Counter: made.counter,
      AuthenticatorTransports: made.transports ?? response.response.transports ?? [],
      ...(attachment === undefined ? {} : { AuthenticatorAttachment: attachment }),
      // Assumed: AWS names a passkey by its kind ('Roaming passkey' in its examples).
      FriendlyCredentialName: attachment === 'cross-platform' ? 'Roaming passkey' : attachment === 'platform' ? 'Platform passkey' : 'Passkey',
      RelyingPartyId: relyingPartyId,
      CreatedAt: this.clock.get().getTime()
    }
  }
}

/** A part of the credential the library decodes, or WebAuthnCredentialNotSupportedException when it cannot. */
function readOrRefuse<T> (read: () => T): T {
  try {
    return read()
  } catch {
    throw webAuthnCredentialNotSupported()
  }
}
