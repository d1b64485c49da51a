// What the page says when something fails: one sentence per ErrorCode of the server (the table
// is typed by the enum, so a new code does not compile until it has its sentence), per reason a
// federated sign-in comes back with (`?error=`), and per failure of the page itself. Chosen by the
// stable code, never by the message, and never showing the code itself to people.
import { AuthError, NetworkError, PasskeyUnsupportedError, type ErrorCode } from 'cognito-graphql-auth/client'
import { PageError, type PageErrorCode } from './auth.ts'

type Sentence = string | ((error: AuthError) => string)

const retryAfter = (error: AuthError): string => typeof error.extensions.retryAfter === 'number'
  ? `Too many attempts: please wait ${Math.ceil(error.extensions.retryAfter)} seconds and try again.`
  : 'Too many attempts: please wait a little and try again.'

export const ERROR_TEXTS: Record<ErrorCode, Sentence> = {
  BAD_USER_INPUT: (error) => `Please check what you typed: ${error.message}`,
  INVALID_PASSWORD: (error) => `Please choose another password: ${error.message}`,
  PASSWORD_REUSED: 'You used this password before on this account: please choose a new one.',
  PASSWORD_BREACHED: 'This password appeared in a data breach elsewhere, so attackers try it first: please choose another one.',
  INVALID_CREDENTIALS: 'The email, the password, the passkey or the answer is not right.',
  USER_NOT_CONFIRMED: 'This account is not confirmed yet: enter the code we emailed you.',
  USERNAME_EXISTS: 'An account with this email already exists: sign in instead.',
  PASSWORD_RESET_REQUIRED: 'Your password must be reset before you sign in: use "Forgot your password?".',
  CODE_MISMATCH: 'That code is not right: check it and try again.',
  CODE_EXPIRED: 'That code has expired or was already used: ask for a new one.',
  CHALLENGE_EXPIRED: 'That sign-in took too long: please start again.',
  UNAUTHENTICATED: 'Your session has ended: please sign in again.',
  FORBIDDEN: 'You are not allowed to do that.',
  CAPTCHA_REQUIRED: 'Please show that you are not a robot, then try again.',
  REAUTHENTICATION_REQUIRED: 'For your security, please sign in again before making this change.',
  TOO_MANY_REQUESTS: retryAfter,
  SERVICE_UNAVAILABLE: 'The sign-in service is not answering: please try again shortly.',
  PERSISTED_QUERY_NOT_FOUND: 'This page and the server do not match: please reload the page.',
  NOT_SUPPORTED: 'This is not available here.',
  INTERNAL_SERVER_ERROR: (error) => error.requestId === undefined
    ? 'Something went wrong on our side: please try again.'
    : `Something went wrong on our side: please try again (reference ${error.requestId}).`
}

/** The reasons a federated sign-in comes back with (`?error=`), the server's list (src/plugins/app/oauth.ts). */
export const CALLBACK_TEXTS: Record<string, string> = {
  INVALID_REDIRECT: 'That sign-in link does not lead back to this site.',
  UNKNOWN_PROVIDER: 'That way of signing in is not offered here.',
  INVALID_STATE: 'That sign-in was not started in this browser, or took too long: please start again.',
  PROVIDER_ERROR: 'The other service did not sign you in (was it cancelled?): please try again.',
  CODE_EXPIRED: 'That sign-in took too long: please start again.',
  INVALID_TOKEN: 'That sign-in could not be verified: please start again.',
  FORBIDDEN: 'This account may not sign in here.',
  TOO_MANY_REQUESTS: 'Too many attempts: please wait a little and try again.',
  SERVICE_UNAVAILABLE: 'The sign-in service is not answering: please try again shortly.'
}

const PAGE_TEXTS: Record<PageErrorCode, string> = {
  NETWORK_ERROR: 'The server cannot be reached: check your connection and try again.',
  NO_MAILBOX: 'There is no development mailbox here: look for the code in your email.',
  NO_CODE: 'No code has been sent to this address yet.',
  PASSKEY_UNSUPPORTED: 'This browser cannot use passkeys: please choose another way.',
  PASSKEY_CANCELLED: 'No passkey was used: try again, or choose another way.'
}

/** A sentence for people, and the code a program (or a test) reads from the page's data-code. */
export function describe (error: unknown): { code: string, sentence: string } {
  if (error instanceof AuthError) {
    const sentence: Sentence | undefined = ERROR_TEXTS[error.code]
    if (sentence === undefined) return { code: error.code, sentence: 'Something went wrong: please try again.' }
    return { code: error.code, sentence: typeof sentence === 'function' ? sentence(error) : sentence }
  }
  if (error instanceof PageError) return { code: error.code, sentence: PAGE_TEXTS[error.code] }
  if (error instanceof NetworkError) return { code: 'NETWORK_ERROR', sentence: PAGE_TEXTS.NETWORK_ERROR }
  if (error instanceof PasskeyUnsupportedError) return { code: 'PASSKEY_UNSUPPORTED', sentence: PAGE_TEXTS.PASSKEY_UNSUPPORTED }
  // The browser's own refusal of a passkey dialog (cancelled, timed out, no passkey for the site).
  if (error instanceof DOMException && (error.name === 'NotAllowedError' || error.name === 'AbortError')) {
    return { code: 'PASSKEY_CANCELLED', sentence: PAGE_TEXTS.PASSKEY_CANCELLED }
  }
  console.error(error)
  return { code: 'ERROR', sentence: 'Something went wrong in this page: please reload it.' }
}

/** The sentence for a federated sign-in's `?error=` reason (an unknown one: a general sentence). */
export function callbackText (reason: string): string {
  return CALLBACK_TEXTS[reason] ?? 'That sign-in did not finish: please try again.'
}
