// SRP-6a as Cognito specifies it, for the server side: B for the client's A, and the claim checked
// (the group, the hashing and the claim's signature are src/srp.ts, shared with the client side). One
// set of rules for users (prefix: the pool's name, id: USER_ID_FOR_SRP) and remembered devices
// (prefix: the device group key, id: the device key).
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { InvalidParameterError } from 'cognito-local/lib/errors.js'
import { N, claimSignature, fromHex, g, k, modPow, padHex, randomNumber, scramble, type Verifier } from '../../srp.ts'

export { makeVerifier, padHex, type Verifier } from '../../srp.ts'

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
    if (B !== 0n && scramble(A, B) !== 0n) {
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
  const u = scramble(fromHex(state.A), fromHex(state.B))
  const S = modPow(fromHex(state.A) * modPow(fromHex(state.verifier), u, N) % N, fromHex(state.b), N)
  const expected = claimSignature(S, u, state, block, String(responses?.TIMESTAMP))
  const given = Buffer.from(signature, 'base64')
  return given.length === expected.length && timingSafeEqual(given, expected)
}
