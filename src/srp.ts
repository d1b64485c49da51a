// SRP-6a as Cognito specifies it (both sides share the rules; the client side is the server's, which proves passwords and remembered devices for its users).
import { createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto'

/** The 3072-bit group of RFC 3526, g = 2: the one Cognito uses. */
export const N = BigInt('0x' +
  'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD' +
  'EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED' +
  'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F' +
  '83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B' +
  'E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510' +
  '15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7' +
  'ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C' +
  'BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF')
export const g = 2n

/** Cognito's hex form of a number: even length, and a 00 in front when the high bit is set (a positive two's complement). */
export function padHex (n: bigint): string {
  const hex = n.toString(16)
  const even = hex.length % 2 === 0 ? hex : `0${hex}`
  return /^[89a-f]/i.test(even) ? `00${even}` : even
}

const sha256Hex = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex')
export const hashOfHex = (hex: string): bigint => BigInt(`0x${sha256Hex(Buffer.from(hex, 'hex'))}`)
export const fromHex = (hex: string): bigint => BigInt(`0x${hex}`)
export const randomNumber = (bytes: number): bigint => fromHex(randomBytes(bytes).toString('hex'))

export function modPow (base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n
  let b = base % modulus
  for (let e = exponent; e > 0n; e >>= 1n) {
    if ((e & 1n) === 1n) result = result * b % modulus
    b = b * b % modulus
  }
  return result
}

export const k = hashOfHex(padHex(N) + padHex(g))

/** The private x of `secret` (a password, or a device's random password) under `salt` (hex). */
const privateKey = (prefix: string, id: string, secret: string, saltHex: string): bigint =>
  hashOfHex(padHex(fromHex(saltHex)) + sha256Hex(`${prefix}${id}:${secret}`))

/** A verifier as a client stores it with Cognito: salt and g^x mod N, both hex. */
export interface Verifier { salt: string, verifier: string }

/** A new verifier of `secret` (16 bytes of salt, as AWS's clients make for devices). */
export function makeVerifier (prefix: string, id: string, secret: string, salt = randomBytes(16).toString('hex')): Verifier {
  return { salt, verifier: padHex(modPow(g, privateKey(prefix, id, secret, salt), N)) }
}

/** u = H(A | B), both padded. */
export const scramble = (A: bigint, B: bigint): bigint => hashOfHex(padHex(A) + padHex(B))

/**
 * PASSWORD_CLAIM_SIGNATURE: the HMAC, under the 16-byte key HKDF derives from the shared S
 * ("Caldera Derived Key", salted with u), of the prefix, the id, the SECRET_BLOCK and the TIMESTAMP.
 */
export function claimSignature (S: bigint, u: bigint, names: { prefix: string, id: string }, secretBlock: string, timestamp: string): Buffer {
  const key = Buffer.from(hkdfSync('sha256', Buffer.from(padHex(S), 'hex'), Buffer.from(padHex(u), 'hex'), 'Caldera Derived Key', 16))
  return createHmac('sha256', key)
    .update(Buffer.concat([Buffer.from(names.prefix), Buffer.from(names.id), Buffer.from(secretBlock, 'base64'), Buffer.from(timestamp)]))
    .digest()
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const two = (n: number): string => String(n).padStart(2, '0')

/** TIMESTAMP as Cognito wants it: Java's `EEE MMM d HH:mm:ss z yyyy` in English, UTC ("Tue Sep 5 08:03:04 UTC 2026"). */
export function cognitoTimestamp (date = new Date()): string {
  const time = `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}`
  return `${DAYS[date.getUTCDay()]} ${MONTHS[date.getUTCMonth()]} ${date.getUTCDate()} ${time} UTC ${date.getUTCFullYear()}`
}

/** What the client's claim is computed from: Cognito's PASSWORD_VERIFIER (or DEVICE_PASSWORD_VERIFIER) parameters. */
export interface ServerChallenge { SRP_B?: string, SALT?: string, SECRET_BLOCK?: string }

/**
 * The client's side of one exchange: `A` (hex) to send as SRP_A, then `claim` for the server's
 * answer. `prefix` is the pool's name for a user, the device group key for a device; `id` is
 * USER_ID_FOR_SRP or the device key. Undefined from `claim`: the server's B is unusable (0 mod N).
 * `given`: the private a, for checking the math against a known exchange; random otherwise.
 */
export function srpClient (given?: bigint): { A: string, claim: (names: { prefix: string, id: string }, secret: string, server: ServerChallenge, timestamp?: string) => Record<string, string> | undefined } {
  let a = given ?? 0n
  let A = given === undefined ? 0n : modPow(g, given, N)
  // A = g^a must not be 0 mod N (never in practice; the loop is SRP's rule). 256 random bits, as
  // RFC 5054 asks at least: a quarter of the CPU of AWS's libraries' 1,024, as safe.
  while (A === 0n) {
    a = randomNumber(32)
    A = modPow(g, a, N)
  }
  return {
    A: A.toString(16),
    claim (names, secret, server, timestamp = cognitoTimestamp()) {
      if (server.SRP_B === undefined || server.SALT === undefined || server.SECRET_BLOCK === undefined) return undefined
      const B = fromHex(server.SRP_B)
      const u = scramble(A, B)
      if (B % N === 0n || u === 0n) return undefined
      const x = privateKey(names.prefix, names.id, secret, server.SALT)
      const S = modPow(((B - k * modPow(g, x, N)) % N + N) % N, a + u * x, N)
      return {
        PASSWORD_CLAIM_SIGNATURE: claimSignature(S, u, names, server.SECRET_BLOCK, timestamp).toString('base64'),
        PASSWORD_CLAIM_SECRET_BLOCK: server.SECRET_BLOCK,
        TIMESTAMP: timestamp
      }
    }
  }
}

/** A new device's secrets for ConfirmDevice: a random password the server keeps, and the verifier Cognito keeps (base64). */
export function newDeviceSecret (groupKey: string, deviceKey: string): { secret: string, verifier: { PasswordVerifier: string, Salt: string } } {
  const secret = randomBytes(40).toString('base64')
  const { salt, verifier } = makeVerifier(groupKey, deviceKey, secret)
  return { secret, verifier: { PasswordVerifier: Buffer.from(verifier, 'hex').toString('base64'), Salt: Buffer.from(padHex(fromHex(salt)), 'hex').toString('base64') } }
}
