import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto'

const VERSION = 'v1'

/**
 * Authenticated encryption (AES-256-GCM) of small JSON values for cookies:
 * the client can neither read nor alter what it carries. `purpose` binds a sealed value
 * to one use (a refresh cookie cannot be replayed as a challenge cookie).
 */
export function createSealer (secret: string) {
  const keyFor = (purpose: string) => Buffer.from(hkdfSync('sha256', secret, 'cognito-graphql-auth', purpose, 32))
  const keys = new Map<string, Buffer>()
  const key = (purpose: string) => {
    let k = keys.get(purpose)
    if (k === undefined) keys.set(purpose, (k = keyFor(purpose)))
    return k
  }

  return {
    seal (purpose: string, value: unknown): string {
      const iv = randomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', key(purpose), iv)
      const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()])
      return [VERSION, iv.toString('base64url'), body.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.')
    },

    /** The value, or undefined for anything not sealed by us for this purpose. */
    unseal<T> (purpose: string, sealed: string | undefined): T | undefined {
      if (sealed === undefined) return undefined
      const [version, iv, body, tag] = sealed.split('.')
      if (version !== VERSION || iv === undefined || body === undefined || tag === undefined) return undefined
      try {
        const decipher = createDecipheriv('aes-256-gcm', key(purpose), Buffer.from(iv, 'base64url'))
        decipher.setAuthTag(Buffer.from(tag, 'base64url'))
        const plain = Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()])
        return JSON.parse(plain.toString('utf8')) as T
      } catch {
        return undefined
      }
    }
  }
}

export type Sealer = ReturnType<typeof createSealer>
