// Passkeys over the browser's WebAuthn: the server's options (JSON strings) into
// navigator.credentials.create/get and the browser's answer back to JSON, with the browser's own
// parse…FromJSON and toJSON where it has them and the same conversions written out where it
// does not (base64url fields ↔ ArrayBuffers).
import { PasskeyUnsupportedError } from './errors.ts'

type Json = Record<string, unknown>

// The WebAuthn globals used here, typed locally: the client compiles without the DOM library.
interface Credential {
  id: string
  rawId: ArrayBuffer
  type: string
  authenticatorAttachment?: string | null
  response: Record<string, unknown>
  getClientExtensionResults?: () => unknown
  toJSON?: () => unknown
}
interface WebAuthn {
  PublicKeyCredential: { parseCreationOptionsFromJSON?: (options: Json) => unknown, parseRequestOptionsFromJSON?: (options: Json) => unknown }
  credentials: { create: (options: { publicKey: unknown }) => Promise<Credential | null>, get: (options: { publicKey: unknown }) => Promise<Credential | null> }
}

/** The browser's WebAuthn; PasskeyUnsupportedError without it. */
export function webAuthn (): WebAuthn {
  const globals = globalThis as unknown as { PublicKeyCredential?: WebAuthn['PublicKeyCredential'], navigator?: { credentials?: Partial<WebAuthn['credentials']> } }
  const credentials = globals.navigator?.credentials
  if (globals.PublicKeyCredential === undefined || typeof credentials?.create !== 'function' || typeof credentials.get !== 'function') throw new PasskeyUnsupportedError()
  return { PublicKeyCredential: globals.PublicKeyCredential, credentials: credentials as WebAuthn['credentials'] }
}

const toBase64url = (buffer: ArrayBuffer): string =>
  btoa(String.fromCharCode(...new Uint8Array(buffer))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
const fromBase64url = (text: unknown): ArrayBuffer =>
  Uint8Array.from(atob(String(text).replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)).buffer

/** parse…FromJSON written out: the challenge, the user's id and the credential ids as buffers. */
function decodeOptions (options: Json): Json {
  const decoded: Json = { ...options, challenge: fromBase64url(options.challenge) }
  const user = options.user as Json | undefined
  if (user !== undefined) decoded.user = { ...user, id: fromBase64url(user.id) }
  for (const list of ['excludeCredentials', 'allowCredentials']) {
    const credentials = options[list] as Json[] | undefined
    if (credentials !== undefined) decoded[list] = credentials.map((credential) => ({ ...credential, id: fromBase64url(credential.id) }))
  }
  return decoded
}

/** toJSON written out: RegistrationResponseJSON or AuthenticationResponseJSON. */
function encodeCredential (credential: Credential): Json {
  const source = credential.response
  const response: Json = {}
  for (const key of ['clientDataJSON', 'attestationObject', 'authenticatorData', 'signature', 'userHandle']) {
    if (source[key] instanceof ArrayBuffer) response[key] = toBase64url(source[key])
  }
  const call = (name: string): unknown => typeof source[name] === 'function' ? (source[name] as () => unknown).call(source) : undefined
  const transports = call('getTransports')
  const algorithm = call('getPublicKeyAlgorithm')
  const publicKey = call('getPublicKey')
  if (transports !== undefined) response.transports = transports
  if (algorithm !== undefined) response.publicKeyAlgorithm = algorithm
  if (publicKey instanceof ArrayBuffer) response.publicKey = toBase64url(publicKey)
  return {
    id: credential.id,
    rawId: toBase64url(credential.rawId),
    type: credential.type,
    response,
    clientExtensionResults: credential.getClientExtensionResults?.() ?? {},
    ...(credential.authenticatorAttachment != null ? { authenticatorAttachment: credential.authenticatorAttachment } : {})
  }
}

/**
 * Runs navigator.credentials.create (`create`) or get with the server's options, a JSON string,
 * and gives the browser's answer as a JSON string. The user's refusal or a timeout rejects with
 * the browser's own error (a DOMException named NotAllowedError).
 */
export async function passkeyCeremony (kind: 'create' | 'get', optionsJSON: string): Promise<string> {
  const { PublicKeyCredential, credentials } = webAuthn()
  const options = JSON.parse(optionsJSON) as Json
  const parse = kind === 'create' ? PublicKeyCredential.parseCreationOptionsFromJSON : PublicKeyCredential.parseRequestOptionsFromJSON
  const publicKey = typeof parse === 'function' ? parse.call(PublicKeyCredential, options) : decodeOptions(options)
  const credential = await credentials[kind]({ publicKey })
  if (credential === null) throw new Error('The browser gave no passkey answer.')
  return JSON.stringify(typeof credential.toJSON === 'function' ? credential.toJSON() : encodeCredential(credential))
}
