// Cognito's exceptions mapped to the error catalogue's codes, and which of them are transient or unsupported.
import { AppError, type ErrorCode } from '../../../errors.ts'

/**
 * Cognito's documented exceptions, by the API's error code they become. Cognito's names stop
 * here: the rest of the server only sees AppErrors. Exceptions not listed are unexpected and
 * become INTERNAL_SERVER_ERROR (their detail is logged, never sent).
 */
const EXCEPTION_CODES: Record<string, ErrorCode> = {
  InvalidParameterException: 'BAD_USER_INPUT',
  InvalidPasswordException: 'INVALID_PASSWORD',
  // A new password the pool's password history refuses (ChangePassword, ConfirmForgotPassword, NEW_PASSWORD_REQUIRED).
  PasswordHistoryPolicyViolationException: 'PASSWORD_REUSED',
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
  // Another change to the same user was under way (Cognito names it on the operations that set a
  // password): nothing changed, and the same request succeeds a moment later. Retried where a
  // retry is safe (TRANSIENT), then the client is told to wait retryAfter.
  ConcurrentModificationException: 'TOO_MANY_REQUESTS',
  // AWS WAF's web ACL on the pool blocked the request: the client's doing (its address, its
  // rate, its payload), not an outage, and the same request is blocked again.
  ForbiddenException: 'FORBIDDEN',
  // One of the pool's Lambda triggers (pre sign-up, pre authentication …) threw: the team's own
  // rule refused the act, and the same request is refused again (the message says which trigger).
  UserLambdaValidationException: 'FORBIDDEN',
  // "The request isn't authorized, e.g. an invalid access token" (RevokeToken names it): the token
  // the request carries is no good to Cognito, so the caller has no usable session.
  UnauthorizedException: 'UNAUTHENTICATED',
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
  /** The raw answer (the SDK keeps it on errors, not enumerable). */
  $response?: { headers?: Record<string, string | undefined> }
}

/** Names an endpoint answers an operation it does not implement with (cognito-local; AWS's own for a feature the pool or client lacks). */
const UNSUPPORTED_NAMES = new Set(['Unsupported', 'UnsupportedOperation', 'UnsupportedOperationException', 'NotImplemented', 'NotImplementedException'])
/** What moto and LocalStack say in the message of an operation they do not implement. */
const NOT_IMPLEMENTED = /not (?:yet )?(?:been )?(?:implemented|emulated)|not (?:available|included) in your current license/i
/**
 * AWS's request validation refusing an AuthFlow outside the endpoint's enum ("1 validation error
 * detected: Value 'USER_AUTH' at 'authFlow' failed to satisfy constraint: Member must satisfy
 * enum value set: […]"): the endpoint does not know the flow at all (moto and USER_AUTH).
 */
const UNKNOWN_AUTH_FLOW = /at 'authFlow' failed to satisfy constraint/i

/**
 * A 500 or 501 whose body is not JSON. Cognito's protocol answers JSON, errors included; moto
 * answers an action it lacks with Werkzeug's HTML "500 Internal Server Error" page, which the SDK
 * cannot parse (a SyntaxError). A 502, 503 or 504 with an HTML page is not counted: gateways and
 * proxies between the server and Cognito answer outages that way.
 */
function nonJsonServerError (e: SdkError): boolean {
  const status = e.$metadata?.httpStatusCode ?? 0
  if (status !== 500 && status !== 501) return false
  const type = e.$response?.headers?.['content-type']
  return type !== undefined ? !/json/i.test(type) : e.name === 'SyntaxError'
}

/**
 * What a failure says the endpoint lacks: `operation` (it does not implement the operation) or
 * `auth-flow` (it does not know the AuthFlow sent); undefined when the failure is anything else.
 * cognito-local answers HTTP 500 `Unsupported`, LocalStack HTTP 501 `InternalFailure` ("… is
 * either not available in your current license plan or has not yet been emulated"), moto a
 * non-JSON HTTP 500, or an error naming the action "has not been implemented". Such a call is not
 * retried: it would fail the same way every time.
 */
export function unsupportedBy (err: unknown): 'operation' | 'auth-flow' | undefined {
  const e = (err ?? {}) as SdkError
  const status = e.$metadata?.httpStatusCode ?? 0
  if (UNSUPPORTED_NAMES.has(e.name ?? '') || status === 501 || nonJsonServerError(e)) return 'operation'
  if (status >= 500 && NOT_IMPLEMENTED.test(e.message ?? '')) return 'operation'
  if (e.name === 'InvalidParameterException' && UNKNOWN_AUTH_FLOW.test(e.message ?? '')) return 'auth-flow'
  return undefined
}

/** Whether a failure says that the endpoint lacks the operation (or the auth flow), rather than that it failed. */
export function isUnsupportedOperation (err: unknown): boolean {
  return unsupportedBy(err) !== undefined
}

/** The API's error code a Cognito failure maps to. */
export function errorCodeOf (err: unknown): ErrorCode {
  const e = (err ?? {}) as SdkError
  const name = e.name ?? ''
  // Not an outage: the server (its configuration) asks for something the endpoint does not have.
  if (isUnsupportedOperation(err)) return 'NOT_SUPPORTED'
  const mapped = EXCEPTION_CODES[name]
  if (mapped !== undefined) return mapped
  if (UNREACHABLE.has(name) || (e.code !== undefined && UNREACHABLE.has(e.code))) return 'SERVICE_UNAVAILABLE'
  const status = e.$metadata?.httpStatusCode ?? 0
  if (status >= 500) return 'SERVICE_UNAVAILABLE'
  return 'INTERNAL_SERVER_ERROR'
}

/** Failures that are not an outage and still pass on their own: a retry (where one is safe) may succeed. */
const TRANSIENT = new Set(['ConcurrentModificationException'])

/** Whether a retry of the failed call may succeed: Cognito unreachable or failing, or a concurrent change. */
export function isTransient (err: unknown): boolean {
  return errorCodeOf(err) === 'SERVICE_UNAVAILABLE' || TRANSIENT.has(exceptionName(err) ?? '')
}

/**
 * AWS names a broken password rule after a fixed prefix
 * ("Password did not conform with policy: Password must have uppercase characters").
 */
export function passwordRuleOf (message: string | undefined): string | undefined {
  const rule = /policy:\s*(.+)$/i.exec(message ?? '')?.[1]?.trim()
  return rule === undefined || rule === '' ? undefined : rule.endsWith('.') ? rule : `${rule}.`
}

/** Messages for exceptions that the message of their code would misdescribe. */
const EXCEPTION_MESSAGES: Record<string, string> = {
  ConcurrentModificationException: 'Another change to this account is under way: try again in a moment.',
  // Not "signed in, but not allowed": the firewall refuses signed-out requests too.
  ForbiddenException: 'The identity service refused this request.'
}

/** AWS's message of a trigger's throw: "PreSignUp failed with error <the trigger's message>." */
const TRIGGER_FAILED = /^(\w+) failed with error (.*?)\.?$/s

/**
 * What the client is told of a trigger's refusal: which trigger, and the message the team's trigger
 * threw (written for its users, as AWS's own clients show it), at most 200 characters.
 */
export function triggerRefusal (message: string | undefined): string {
  const [, trigger, reason] = TRIGGER_FAILED.exec(message ?? '') ?? []
  if (trigger === undefined || reason === undefined || reason.trim() === '') return 'The user pool\'s rules refused this request.'
  return `The user pool's ${trigger} rule refused this request: ${reason.trim().slice(0, 200)}`
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
    case 'FORBIDDEN':
      return new AppError(code, exceptionName(err) === 'UserLambdaValidationException' ? triggerRefusal((err as SdkError).message) : EXCEPTION_MESSAGES[exceptionName(err) ?? ''])
    case 'INTERNAL_SERVER_ERROR': {
      const wrapped = new AppError(code)
      wrapped.cause = err
      return wrapped
    }
    default:
      return new AppError(code, EXCEPTION_MESSAGES[exceptionName(err) ?? ''])
  }
}

/** The Cognito exception name of a failure, for the adapter's per-operation rules. */
export function exceptionName (err: unknown): string | undefined {
  return (err as SdkError | undefined)?.name
}
