// What the browser client throws: the server's refusals, answers that never came, and a browser
// without passkeys, each its own class so that a page tells them apart with `instanceof`.
import type { ErrorCode } from './generated.ts'

/** The server refused the operation: `code` is its `extensions.code`, `requestId` names the request in its logs. */
export class AuthError extends Error {
  override readonly name = 'AuthError'
  /** The error's `extensions` as the server sent them (`retryAfter` with TOO_MANY_REQUESTS …). */
  readonly extensions: Readonly<Record<string, unknown>>

  constructor (readonly code: ErrorCode, message: string, readonly requestId?: string, extensions: Record<string, unknown> = {}) {
    super(message)
    this.extensions = extensions
  }
}

/**
 * No answer from the server, or one that is not GraphQL (a proxy's error page): the operation may
 * or may not have run. `status` is the HTTP status when an answer came.
 */
export class NetworkError extends Error {
  override readonly name = 'NetworkError'

  constructor (message: string, readonly status?: number, cause?: unknown) {
    super(message, { cause })
  }
}

/** This browser has no WebAuthn (`PublicKeyCredential`, `navigator.credentials`): offer another way to sign in. */
export class PasskeyUnsupportedError extends Error {
  override readonly name = 'PasskeyUnsupportedError'

  constructor () {
    super('This browser does not support passkeys (WebAuthn).')
  }
}
