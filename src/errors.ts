import mercurius from 'mercurius'

const { ErrorWithProps } = mercurius

/** Every error code of API.md, with the message a client sees when the code carries no message of its own. */
export const ERROR_MESSAGES = {
  BAD_USER_INPUT: 'The input is not valid.',
  INVALID_PASSWORD: 'The password does not meet the password policy.',
  INVALID_CREDENTIALS: 'Incorrect email or password.',
  USER_NOT_CONFIRMED: 'The account is not confirmed yet.',
  USERNAME_EXISTS: 'An account with this email already exists.',
  PASSWORD_RESET_REQUIRED: 'The password must be reset: use forgotPassword.',
  CODE_MISMATCH: 'The code is not valid.',
  CODE_EXPIRED: 'The code has expired or was already used: ask for a new one.',
  CHALLENGE_EXPIRED: 'There is no sign-in step waiting for an answer: sign in again.',
  UNAUTHENTICATED: 'You need to be signed in.',
  FORBIDDEN: 'You are not allowed to do this.',
  TOO_MANY_REQUESTS: 'Too many requests: try again later.',
  SERVICE_UNAVAILABLE: 'The identity service is unavailable: try again shortly.',
  INTERNAL_SERVER_ERROR: 'Something went wrong on our side.'
} as const

export type ErrorCode = keyof typeof ERROR_MESSAGES

/**
 * An error a client may see: a code of API.md and a message safe to show.
 * Anything thrown that is not an AppError is masked as INTERNAL_SERVER_ERROR.
 */
export class AppError extends ErrorWithProps {
  readonly code: ErrorCode

  /** `statusCode`: for errors that refuse a whole request (an oversized document), the HTTP status. */
  constructor (code: ErrorCode, message: string = ERROR_MESSAGES[code], extensions: Record<string, unknown> = {}, statusCode?: number) {
    super(message, { code, ...extensions }, statusCode)
    this.code = code
    this.name = 'AppError'
  }
}
