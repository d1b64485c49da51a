// The error catalogue: every code of the API, its message and status, and the error class that carries one.
import mercurius from 'mercurius'

const { ErrorWithProps } = mercurius

/** One code of the catalogue: what a client reads, and how an error with the code answers. */
export interface ErrorEntry {
  /** The message a client sees when the error carries no message of its own. */
  message: string
  /**
   * The HTTP status when an error with this code refuses a whole request (before anything ran).
   * Absent: 200, as GraphQL-over-HTTP answers a request that ran, whatever its fields' errors.
   */
  status?: number
  /**
   * The extensions, beside `code`, a client finds on this code, with the value an error gets
   * when its thrower gives none; `undefined`: filled in where the error is answered.
   */
  extensions?: Readonly<Record<string, unknown>>
}

/**
 * Every error code of the API (the ErrorCode enum of schema/errors.graphql, in the same order),
 * in one place: code, message, status, as mercurius keeps its own errors.
 */
export const ERRORS = {
  BAD_USER_INPUT: { message: 'The input is not valid.', status: 400 },
  INVALID_PASSWORD: { message: 'The password does not meet the password policy.' },
  PASSWORD_REUSED: { message: 'This password was used before: choose one you have not used.' },
  PASSWORD_BREACHED: { message: 'This password has appeared in a data breach elsewhere, so attackers try it first: choose another one.' },
  INVALID_CREDENTIALS: { message: 'Incorrect email or password.' },
  USER_NOT_CONFIRMED: { message: 'The account is not confirmed yet.' },
  USERNAME_EXISTS: { message: 'An account with this email already exists.' },
  PASSWORD_RESET_REQUIRED: { message: 'The password must be reset: use forgotPassword.' },
  CODE_MISMATCH: { message: 'The code is not valid.' },
  CODE_EXPIRED: { message: 'The code has expired or was already used: ask for a new one.' },
  CHALLENGE_EXPIRED: { message: 'There is no sign-in step waiting for an answer: sign in again.' },
  UNAUTHENTICATED: { message: 'You need to be signed in.' },
  FORBIDDEN: { message: 'You are not allowed to do this.' },
  CAPTCHA_REQUIRED: { message: 'Please complete the CAPTCHA, then try again.' },
  REAUTHENTICATION_REQUIRED: { message: 'This change needs a recent sign-in: sign in again, then retry.' },
  // Seconds to wait; Cognito's throttling gives no hint, so its errors get a short fixed pause.
  TOO_MANY_REQUESTS: { message: 'Too many requests: try again later.', extensions: { retryAfter: 1 } },
  SERVICE_UNAVAILABLE: { message: 'The identity service is unavailable: try again shortly.' },
  // Automatic persisted queries: Apollo's and urql's links resend the document on this code.
  PERSISTED_QUERY_NOT_FOUND: { message: 'PersistedQueryNotFound' },
  NOT_SUPPORTED: { message: 'The identity service does not support this operation.' },
  // The request's id, which the log line of the failure carries too (set by the error formatter).
  INTERNAL_SERVER_ERROR: { message: 'Something went wrong on our side.', extensions: { requestId: undefined } }
} as const satisfies Record<string, ErrorEntry>

export type ErrorCode = keyof typeof ERRORS

/** The message of every code, for callers that answer a code themselves. */
export const ERROR_MESSAGES = Object.fromEntries(
  Object.entries(ERRORS).map(([code, entry]) => [code, entry.message])
) as { readonly [C in ErrorCode]: typeof ERRORS[C]['message'] }

/** A code's default extensions: those of its entry whose value is known where the error is thrown. */
function defaultExtensions (code: ErrorCode): Record<string, unknown> {
  const declared: Readonly<Record<string, unknown>> = (ERRORS[code] as ErrorEntry).extensions ?? {}
  return Object.fromEntries(Object.entries(declared).filter(([, value]) => value !== undefined))
}

/**
 * An error a client may see: a code of the API and a message safe to show. The message, the
 * status and the extensions default to the code's entry in ERRORS; given ones win.
 * Anything thrown that is not an AppError is masked as INTERNAL_SERVER_ERROR.
 */
export class AppError extends ErrorWithProps {
  readonly code: ErrorCode

  constructor (code: ErrorCode, message: string = ERRORS[code].message, extensions: Record<string, unknown> = {}, statusCode?: number) {
    super(message, { code, ...defaultExtensions(code), ...extensions }, statusCode ?? (ERRORS[code] as ErrorEntry).status)
    this.code = code
    this.name = 'AppError'
  }
}

/**
 * AppError under the name an app that installs authServer throws it by (`new AuthError('FORBIDDEN')`):
 * the same class, so the error formatter answers it with its code and message, as ours.
 */
export { AppError as AuthError }
