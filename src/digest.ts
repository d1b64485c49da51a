// Secrets as names (SHA-256) and secrets compared in constant time.
import { createHash, timingSafeEqual } from 'node:crypto'

/** SHA-256, base64url: how secrets (refresh tokens, challenge sessions, codes) are named in stores and maps. */
export function digest (value: string): string {
  return createHash('sha256').update(value).digest('base64url')
}

/** Whether `value` is the secret `expected` (a state, a nonce), compared in constant time whatever their lengths. */
export function sameSecret (value: unknown, expected: string): boolean {
  return typeof value === 'string' && timingSafeEqual(createHash('sha256').update(value).digest(), createHash('sha256').update(expected).digest())
}
