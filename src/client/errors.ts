// What the browser client throws: the server's refusals, answers that never came, and a browser
// without passkeys, each its own class so that a page tells them apart with `instanceof`.
import type { ErrorCode } from './generated.ts'

/** The server refused the operation: `code` is its `extensions.code`, `requestId` names the request in its logs. */
export class AuthError extends Error {
  override readonly name = 'AuthError'
  /** The error's `extensions` as the server sent them (`retryAfter` with TOO_MANY_REQUESTS …). */
  readonly extensions: Readonly<Record<string, unknown>>
  /** The error's `extensions.code`. */
  readonly code: ErrorCode
  /** The request's id in the server's logs (its `X-Request-Id`). */
  readonly requestId?: string

  constructor (code: ErrorCode, message: string, requestId?: string, extensions: Record<string, unknown> = {}) {
    super(message)
    this.code = code
    this.requestId = requestId
    this.extensions = extensions
  }
}

/**
 * No answer from the server, or one that is not GraphQL (a proxy's error page): the operation may
 * or may not have run. `status` is the HTTP status when an answer came.
 */
export class NetworkError extends Error {
  override readonly name = 'NetworkError'
  /** The HTTP status, when an answer came. */
  readonly status?: number

  constructor (message: string, status?: number, cause?: unknown) {
    super(message, { cause })
    this.status = status
  }
}

/** This browser has no WebAuthn (`PublicKeyCredential`, `navigator.credentials`): offer another way to sign in. */
export class PasskeyUnsupportedError extends Error {
  override readonly name = 'PasskeyUnsupportedError'

  constructor () {
    super('This browser does not support passkeys (WebAuthn).')
  }
}
