// SRP-6a as Cognito specifies it, for the server side: the 3072-bit group of RFC 3526 with g = 2,
// SHA-256, Cognito's hex padding, its HKDF ('Caldera Derived Key') and the PASSWORD_CLAIM_SIGNATURE
// over `<prefix><id><secret block><timestamp>`. One set of rules for users (prefix: the pool's
// name, id: USER_ID_FOR_SRP) and remembered devices (prefix: the device group key, id: the device key).
import { createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto'
import { InvalidParameterError } from 'cognito-local/lib/errors.js'

const N = BigInt('0x' +
  'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD' +
  'EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED' +
  'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F' +
  '83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B' +
  'E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510' +
  '15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7' +
  'ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C' +
  'BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF')
const g = 2n

/** Cognito's hex form of a number: even length, and a 00 in front when the high bit is set (a positive two's complement). */
export function padHex (n: bigint): string {
  const hex = n.toString(16)
  const even = hex.length % 2 === 0 ? hex : `0${hex}`
  return /^[89a-f]/i.test(even) ? `00${even}` : even
}

const sha256Hex = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex')
const hashOfHex = (hex: string): bigint => BigInt(`0x${sha256Hex(Buffer.from(hex, 'hex'))}`)
const fromHex = (hex: string): bigint => BigInt(`0x${hex}`)
const randomNumber = (bytes: number): bigint => fromHex(randomBytes(bytes).toString('hex'))

function modPow (base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n
  let b = base % modulus
  for (let e = exponent; e > 0n; e >>= 1n) {
    if ((e & 1n) === 1n) result = result * b % modulus
    b = b * b % modulus
  }
  return result
}

const k = hashOfHex(padHex(N) + padHex(g))

/** The private x of `secret` (a password, or a device's random password) under `salt` (hex). */
const privateKey = (prefix: string, id: string, secret: string, saltHex: string): bigint =>
  hashOfHex(padHex(fromHex(saltHex)) + sha256Hex(`${prefix}${id}:${secret}`))

/** A verifier as a client stores it with Cognito: salt and g^x mod N, both hex. */
export interface Verifier { salt: string, verifier: string }

/** A new verifier of `secret` (16 bytes of salt, as AWS's clients make for devices). */
export function makeVerifier (prefix: string, id: string, secret: string, salt = randomBytes(16).toString('hex')): Verifier {
  return { salt, verifier: padHex(modPow(g, privateKey(prefix, id, secret, salt), N)) }
}

/** What the server keeps between handing out B and checking the claim (hex). */
export interface SrpServerState {
  /** The verifier, salt and the names the claim is made over. */
  prefix: string
  id: string
  salt: string
  verifier: string
  /** The client's public A, the server's private b and public B. */
  A: string
  b: string
  B: string
  /** The SECRET_BLOCK handed out: the claim must sign exactly it. */
  secretBlock: string
}

/**
 * The server's step: B = k·v + g^b for the client's A (hex, as SRP_A comes). An A that is not a
 * number or is 0 mod N is InvalidParameterException, as SRP requires the server to refuse it.
 */
export function serverStep (prefix: string, id: string, stored: Verifier, srpA: unknown): SrpServerState {
  if (typeof srpA !== 'string' || !/^[0-9a-f]{1,1600}$/i.test(srpA)) throw new InvalidParameterError('Missing required parameter SRP_A')
  const A = fromHex(srpA)
  if (A % N === 0n) throw new InvalidParameterError('Invalid SRP_A')
  const v = fromHex(stored.verifier)
  for (;;) {
    const b = randomNumber(32)
    const B = (k * v + modPow(g, b, N)) % N
    if (B !== 0n && hashOfHex(padHex(A) + padHex(B)) !== 0n) {
      return { prefix, id, salt: stored.salt, verifier: stored.verifier, A: padHex(A), b: padHex(b), B: padHex(B), secretBlock: randomBytes(128).toString('base64') }
    }
  }
}

/** The challenge parameters the client computes its claim from: SRP_B and SALT in hex, SECRET_BLOCK in base64. */
export const challengeOf = (state: SrpServerState): { SRP_B: string, SALT: string, SECRET_BLOCK: string } =>
  ({ SRP_B: fromHex(state.B).toString(16), SALT: fromHex(state.salt).toString(16), SECRET_BLOCK: state.secretBlock })

const DAYS = 'Sun|Mon|Tue|Wed|Thu|Fri|Sat'
const MONTHS = 'Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec'
/** Java's `EEE MMM d HH:mm:ss z yyyy` in English, UTC, as Cognito's clients write TIMESTAMP ("Tue Sep 5 08:03:04 UTC 2026"). */
const TIMESTAMP = new RegExp(`^(?:${DAYS}) (?:${MONTHS}) (?:0?[1-9]|[12]\\d|3[01]) (?:[01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d UTC \\d{4}$`)

/** The claim's form, checked before anything secret is compared: AWS's InvalidParameterException for a malformed one. */
export function checkClaimForm (responses: Record<string, string> | undefined): void {
  for (const name of ['PASSWORD_CLAIM_SIGNATURE', 'PASSWORD_CLAIM_SECRET_BLOCK', 'TIMESTAMP']) {
    if (typeof responses?.[name] !== 'string' || responses[name] === '') throw new InvalidParameterError(`Missing required parameter ${name}`)
  }
  if (!TIMESTAMP.test(String(responses?.TIMESTAMP))) throw new InvalidParameterError('TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.')
}

/**
 * Whether the client proved knowledge of the secret: its PASSWORD_CLAIM_SIGNATURE must be the
 * HMAC, under the key both sides derive from S = (A·v^u)^b, of the prefix, the id, this state's
 * secret block and the TIMESTAMP, and the block must be the one handed out.
 */
export function verifyClaim (state: SrpServerState, responses: Record<string, string> | undefined): boolean {
  const block = responses?.PASSWORD_CLAIM_SECRET_BLOCK
  const signature = responses?.PASSWORD_CLAIM_SIGNATURE
  if (block !== state.secretBlock || typeof signature !== 'string') return false
  const A = fromHex(state.A)
  const B = fromHex(state.B)
  const u = hashOfHex(padHex(A) + padHex(B))
  const S = modPow(A * modPow(fromHex(state.verifier), u, N) % N, fromHex(state.b), N)
  const key = Buffer.from(hkdfSync('sha256', Buffer.from(padHex(S), 'hex'), Buffer.from(padHex(u), 'hex'), 'Caldera Derived Key', 16))
  const expected = createHmac('sha256', key)
    .update(Buffer.concat([Buffer.from(state.prefix), Buffer.from(state.id), Buffer.from(block, 'base64'), Buffer.from(String(responses?.TIMESTAMP))]))
    .digest()
  const given = Buffer.from(signature, 'base64')
  return given.length === expected.length && timingSafeEqual(given, expected)
}
