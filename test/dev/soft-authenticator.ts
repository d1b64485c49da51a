// A WebAuthn authenticator in software, for tests: a real ES256 key pair (node:crypto) that makes
// real registrations ('none' attestation) and real signed assertions, as a browser hands them to
// a relying party (RegistrationResponseJSON, AuthenticationResponseJSON). Nothing is mocked: the
// emulator verifies these signatures as it would a hardware key's. Knobs make the wrong ones a
// real authenticator could send: another origin, another relying party, an old counter.
import { createHash, createSign, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto'

const b64url = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url')
const sha256 = (data: Uint8Array | string): Buffer => createHash('sha256').update(data).digest()

/** The smallest CBOR encoder WebAuthn needs: unsigned and negative integers, byte and text strings, maps. */
type Cbor = number | string | Uint8Array | Map<Cbor, Cbor>
function cbor (value: Cbor): Buffer {
  const head = (major: number, n: number): Buffer => {
    if (n < 24) return Buffer.from([major << 5 | n])
    if (n < 256) return Buffer.from([major << 5 | 24, n])
    return Buffer.from([major << 5 | 25, n >> 8, n & 0xff])
  }
  if (typeof value === 'number') return value >= 0 ? head(0, value) : head(1, -1 - value)
  if (typeof value === 'string') return Buffer.concat([head(3, Buffer.byteLength(value)), Buffer.from(value)])
  if (value instanceof Uint8Array) return Buffer.concat([head(2, value.length), value])
  return Buffer.concat([head(5, value.size), ...[...value].flatMap(([k, v]) => [cbor(k), cbor(v)])])
}

/** Where and how a ceremony is performed; the defaults are the right ones for the emulator. */
export interface Ceremony {
  /** The page's origin (clientDataJSON.origin). */
  origin?: string
  /** The relying party the authenticator signs for (its hash is in the authenticator data). */
  rpId?: string
  /** Registration: the attestation format ('none'; another one comes without the statement it needs). */
  fmt?: string
  /** Whether the authenticator verified the user (the UV flag); default true. */
  userVerified?: boolean
}

/** One credential of a software authenticator: its id, key pair, user handle and signature counter. */
export class SoftAuthenticator {
  readonly credentialId = randomBytes(32)
  readonly #privateKey: KeyObject
  readonly #publicKey: KeyObject
  #userHandle = new Uint8Array()
  /** The signature counter; the next assertion carries counter + 1. */
  counter = 0

  readonly attachment: 'platform' | 'cross-platform'
  readonly transports: string[]
  constructor (attachment: 'platform' | 'cross-platform' = 'platform', transports: string[] = ['internal', 'hybrid']) {
    this.attachment = attachment
    this.transports = transports
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    this.#privateKey = privateKey
    this.#publicKey = publicKey
  }

  get id (): string { return b64url(this.credentialId) }

  /** The credential's public key as COSE (EC2, ES256, P-256). */
  #cosePublicKey (): Buffer {
    const { x = '', y = '' } = this.#publicKey.export({ format: 'jwk' })
    return cbor(new Map<Cbor, Cbor>([[1, 2], [3, -7], [-1, 1], [-2, Buffer.from(x, 'base64url')], [-3, Buffer.from(y, 'base64url')]]))
  }

  #authenticatorData (rpId: string, flags: number, counter: number, attested?: Buffer): Buffer {
    const count = Buffer.alloc(4)
    count.writeUInt32BE(counter)
    return Buffer.concat([sha256(rpId), Buffer.from([flags]), count, ...(attested === undefined ? [] : [attested])])
  }

  /** navigator.credentials.create() answered: a RegistrationResponseJSON for `options` (PublicKeyCredentialCreationOptionsJSON). */
  register (options: { challenge: string, rp: { id?: string }, user: { id: string } }, { origin = 'http://localhost:3000', rpId = options.rp.id ?? 'localhost', fmt = 'none', userVerified = true }: Ceremony = {}): Record<string, unknown> {
    this.#userHandle = Buffer.from(options.user.id, 'base64url')
    const clientDataJSON = Buffer.from(JSON.stringify({ type: 'webauthn.create', challenge: options.challenge, origin, crossOrigin: false }))
    const idLength = Buffer.alloc(2)
    idLength.writeUInt16BE(this.credentialId.length)
    const attested = Buffer.concat([Buffer.alloc(16), idLength, this.credentialId, this.#cosePublicKey()])
    // Flags: user present, user verified (unless told otherwise), attested credential data.
    const authData = this.#authenticatorData(rpId, 0x01 | (userVerified ? 0x04 : 0) | 0x40, this.counter, attested)
    const attestationObject = cbor(new Map<Cbor, Cbor>([['fmt', fmt], ['attStmt', new Map()], ['authData', authData]]))
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      response: { clientDataJSON: b64url(clientDataJSON), attestationObject: b64url(attestationObject), transports: this.transports },
      authenticatorAttachment: this.attachment,
      clientExtensionResults: {}
    }
  }

  /**
   * navigator.credentials.get() answered: an AuthenticationResponseJSON signing `challenge` (of
   * PublicKeyCredentialRequestOptionsJSON), with the counter moved on (or `counter` as given).
   */
  sign (challenge: string, { origin = 'http://localhost:3000', rpId = 'localhost', counter, userVerified = true }: Ceremony & { counter?: number } = {}): Record<string, unknown> {
    this.counter = counter ?? this.counter + 1
    const clientDataJSON = Buffer.from(JSON.stringify({ type: 'webauthn.get', challenge, origin, crossOrigin: false }))
    const authenticatorData = this.#authenticatorData(rpId, 0x01 | (userVerified ? 0x04 : 0), this.counter)
    const signature = createSign('SHA256').update(Buffer.concat([authenticatorData, sha256(clientDataJSON)])).sign(this.#privateKey)
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      response: { clientDataJSON: b64url(clientDataJSON), authenticatorData: b64url(authenticatorData), signature: b64url(signature), userHandle: b64url(this.#userHandle) },
      authenticatorAttachment: this.attachment,
      clientExtensionResults: {}
    }
  }
}

/** The challenge of a CREDENTIAL_REQUEST_OPTIONS challenge parameter (a JSON string). */
export const requestChallenge = (options: string | undefined): string => (JSON.parse(options ?? '{}') as { challenge: string }).challenge
