// Sealing: values encrypted and authenticated for one purpose, with secret rotation.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto'

const VERSION = 'v1'
/** GCM's full tag: a shorter one would be accepted by Node unless the length is stated (DEP0182). */
const TAG_BYTES = 16
const IV_BYTES = 12

/**
 * Authenticated encryption (AES-256-GCM) of small JSON values for cookies:
 * the client can neither read nor alter what it carries. `purpose` binds a sealed value
 * to one use (a refresh cookie cannot be replayed as a challenge cookie).
 *
 * `secrets` are newest first: values are sealed with the first and opened with any, so a
 * secret can be rotated without ending every session (add the new one in front, drop the old
 * one once the longest cookie sealed with it has expired).
 */
export function createSealer (secrets: string | readonly string[]) {
  const list = typeof secrets === 'string' ? [secrets] : [...secrets]
  if (list.length === 0) throw new Error('createSealer needs at least one secret')
  const keys = new Map<string, Buffer[]>()
  /** One key per secret and purpose, derived once. */
  const keysFor = (purpose: string) => {
    let derived = keys.get(purpose)
    if (derived === undefined) {
      derived = list.map((secret) => Buffer.from(hkdfSync('sha256', secret, 'cognito-graphql-auth', purpose, 32)))
      keys.set(purpose, derived)
    }
    return derived
  }

  function open (key: Buffer, iv: Buffer, body: Buffer, tag: Buffer): string | undefined {
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES })
      decipher.setAuthTag(tag)
      return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8')
    } catch {
      return undefined
    }
  }

  return {
    /**
     * Seals `value` for `purpose`. `padTo`: the plain text is padded with spaces (which JSON
     * ignores) to a multiple of that many bytes, so that the sealed length tells nothing of the
     * value's (a stand-in challenge is as long as a real one).
     */
    seal (purpose: string, value: unknown, { padTo = 0 } = {}): string {
      const iv = randomBytes(IV_BYTES)
      const cipher = createCipheriv('aes-256-gcm', keysFor(purpose)[0] as Buffer, iv, { authTagLength: TAG_BYTES })
      const json = Buffer.from(JSON.stringify(value), 'utf8')
      const padded = padTo > 0 ? Buffer.concat([json, Buffer.alloc((padTo - json.length % padTo) % padTo, ' ')]) : json
      const body = Buffer.concat([cipher.update(padded), cipher.final()])
      return [VERSION, iv.toString('base64url'), body.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.')
    },

    /** The value, or undefined for anything not sealed by us for this purpose (a cut tag included). */
    unseal<T> (purpose: string, sealed: string | undefined): T | undefined {
      if (sealed === undefined) return undefined
      const [version, iv64, body64, tag64, extra] = sealed.split('.')
      if (version !== VERSION || iv64 === undefined || body64 === undefined || tag64 === undefined || extra !== undefined) return undefined
      const iv = Buffer.from(iv64, 'base64url')
      const tag = Buffer.from(tag64, 'base64url')
      if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) return undefined
      const body = Buffer.from(body64, 'base64url')
      for (const key of keysFor(purpose)) {
        const plain = open(key, iv, body, tag)
        if (plain === undefined) continue
        try {
          return JSON.parse(plain) as T
        } catch {
          return undefined
        }
      }
      return undefined
    }
  }
}

export type Sealer = ReturnType<typeof createSealer>
