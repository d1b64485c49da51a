import { createHash } from 'node:crypto'

/** SHA-256, base64url: how secrets (refresh tokens, challenge sessions, codes) are named in stores and maps. */
export function digest (value: string): string {
  return createHash('sha256').update(value).digest('base64url')
}
