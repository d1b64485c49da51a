import { AppError, type ErrorCode } from '../../errors.ts'

/**
 * Cognito's documented exceptions, by the API's error code they become. Cognito's names stop
 * here: the rest of the server only sees AppErrors. Exceptions not listed are unexpected and
 * become INTERNAL_SERVER_ERROR (their detail is logged, never sent).
 */
const EXCEPTION_CODES: Record<string, ErrorCode> = {
  InvalidParameterException: 'BAD_USER_INPUT',
  InvalidPasswordException: 'INVALID_PASSWORD',
  NotAuthorizedException: 'INVALID_CREDENTIALS',
  UserNotFoundException: 'INVALID_CREDENTIALS',
  UserNotConfirmedException: 'USER_NOT_CONFIRMED',
  UsernameExistsException: 'USERNAME_EXISTS',
  AliasExistsException: 'USERNAME_EXISTS',
  PasswordResetRequiredException: 'PASSWORD_RESET_REQUIRED',
  CodeMismatchException: 'CODE_MISMATCH',
  EnableSoftwareTokenMFAException: 'CODE_MISMATCH',
  // verifyTotp before setupTotp; a SELECT_MFA_TYPE answer naming a method the user does not have.
  SoftwareTokenMFANotFoundException: 'BAD_USER_INPUT',
  MFAMethodNotFoundException: 'BAD_USER_INPUT',
  ExpiredCodeException: 'CODE_EXPIRED',
  // finishPasskeyRegistration with no registration started, or one Cognito no longer keeps.
  WebAuthnChallengeNotFoundException: 'CHALLENGE_EXPIRED',
  // A registration the browser made for another site, client or relying party, or with an
  // authenticator the pool does not accept. (WebAuthnNotEnabledException and
  // WebAuthnConfigurationMissingException are the pool's configuration: unexpected, and logged.)
  WebAuthnOriginNotAllowedException: 'BAD_USER_INPUT',
  WebAuthnRelyingPartyMismatchException: 'BAD_USER_INPUT',
  WebAuthnClientMismatchException: 'BAD_USER_INPUT',
  WebAuthnCredentialNotSupportedException: 'BAD_USER_INPUT',
  TooManyRequestsException: 'TOO_MANY_REQUESTS',
  LimitExceededException: 'TOO_MANY_REQUESTS',
  TooManyFailedAttemptsException: 'TOO_MANY_REQUESTS',
  InternalErrorException: 'SERVICE_UNAVAILABLE',
  CodeDeliveryFailureException: 'SERVICE_UNAVAILABLE',
  ServiceUnavailable: 'SERVICE_UNAVAILABLE',
  ServiceUnavailableException: 'SERVICE_UNAVAILABLE'
}

/** Network-level failures of the SDK: the service did not answer. */
const UNREACHABLE = new Set(['AbortError', 'TimeoutError', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'RequestTimeout'])

interface SdkError {
  name?: string
  code?: string
  message?: string
  $metadata?: { httpStatusCode?: number }
}

/** Names an endpoint answers an operation it does not implement with (cognito-local; AWS's own for a feature the pool or client lacks). */
const UNSUPPORTED_NAMES = new Set(['Unsupported', 'UnsupportedOperation', 'UnsupportedOperationException', 'NotImplemented', 'NotImplementedException'])
/** What moto and LocalStack say in the message of an operation they do not implement. */
const NOT_IMPLEMENTED = /not (?:yet )?(?:been )?(?:implemented|emulated)|not (?:available|included) in your current license/i

/**
 * Whether a failure says that the endpoint lacks the operation, rather than that it failed:
 * cognito-local answers HTTP 500 `Unsupported`, LocalStack HTTP 501 `InternalFailure` ("… is
 * either not available in your current license plan or has not yet been emulated"), moto an
 * error naming the action "has not been implemented". Such a call is not retried: it would
 * fail the same way every time.
 */
export function isUnsupportedOperation (err: unknown): boolean {
  const e = (err ?? {}) as SdkError
  const status = e.$metadata?.httpStatusCode ?? 0
  if (UNSUPPORTED_NAMES.has(e.name ?? '') || status === 501) return true
  return status >= 500 && NOT_IMPLEMENTED.test(e.message ?? '')
}

/** The API's error code a Cognito failure maps to. */
export function errorCodeOf (err: unknown): ErrorCode {
  const e = (err ?? {}) as SdkError
  const name = e.name ?? ''
  // Not an outage: the server (its configuration) asks for something the endpoint does not have.
  if (isUnsupportedOperation(err)) return 'INTERNAL_SERVER_ERROR'
  const mapped = EXCEPTION_CODES[name]
  if (mapped !== undefined) return mapped
  if (UNREACHABLE.has(name) || (e.code !== undefined && UNREACHABLE.has(e.code))) return 'SERVICE_UNAVAILABLE'
  const status = e.$metadata?.httpStatusCode ?? 0
  if (status >= 500) return 'SERVICE_UNAVAILABLE'
  return 'INTERNAL_SERVER_ERROR'
}

/**
 * AWS names a broken password rule after a fixed prefix
 * ("Password did not conform with policy: Password must have uppercase characters").
 */
export function passwordRuleOf (message: string | undefined): string | undefined {
  const rule = /policy:\s*(.+)$/i.exec(message ?? '')?.[1]?.trim()
  return rule === undefined || rule === '' ? undefined : rule.endsWith('.') ? rule : `${rule}.`
}

/**
 * Turns any failure of a Cognito call into an AppError (INTERNAL_SERVER_ERROR keeps the cause for
 * the log). Throttling carries the catalogue's retryAfter: Cognito gives no hint of its own.
 */
export function toAppError (err: unknown): AppError {
  if (err instanceof AppError) return err
  const code = errorCodeOf(err)
  switch (code) {
    case 'INVALID_PASSWORD':
      return new AppError(code, passwordRuleOf((err as SdkError).message))
    case 'INTERNAL_SERVER_ERROR': {
      const wrapped = new AppError(code)
      wrapped.cause = err
      return wrapped
    }
    default:
      return new AppError(code)
  }
}

/** The Cognito exception name of a failure, for the adapter's per-operation rules. */
export function exceptionName (err: unknown): string | undefined {
  return (err as SdkError | undefined)?.name
}
