// Compiled from src/errors.ts by `npm run codegen:spa`: edit that file, not this one.
/* eslint-disable */
// What the page says for each error: chosen by the error's `extensions.code`, which is stable,
// never by its message, which is for people and may change.
import { ApiError } from "./api.js";
const SENTENCES = {
    BAD_USER_INPUT: (error) => `Please check what you typed: ${error.message}`,
    INVALID_PASSWORD: (error) => `Please choose another password: ${error.message}`,
    INVALID_CREDENTIALS: 'The email or the password is not right.',
    USER_NOT_CONFIRMED: 'This account is not confirmed yet: enter the code we emailed you.',
    USERNAME_EXISTS: 'An account with this email already exists: sign in instead.',
    PASSWORD_RESET_REQUIRED: 'Your password must be reset: use "Forgot the password?".',
    CODE_MISMATCH: 'That code is not right: check it and try again.',
    CODE_EXPIRED: 'That code has expired or was already used: ask for a new one.',
    CHALLENGE_EXPIRED: 'That sign-in took too long: please sign in again.',
    UNAUTHENTICATED: 'Your session has ended: please sign in again.',
    FORBIDDEN: 'You are not allowed to do that.',
    REAUTHENTICATION_REQUIRED: 'Type your current password (or sign in again with your password or a passkey) before making this change.',
    TOO_MANY_REQUESTS: (error) => typeof error.extensions.retryAfter === 'number'
        ? `Too many attempts: please wait ${error.extensions.retryAfter} seconds and try again.`
        : 'Too many attempts: please wait a little and try again.',
    SERVICE_UNAVAILABLE: 'The sign-in service is not answering: please try again shortly.',
    INTERNAL_SERVER_ERROR: (error) => typeof error.extensions.requestId === 'string'
        ? `Something went wrong on our side (request ${error.extensions.requestId}).`
        : 'Something went wrong on our side.',
    // The reasons a federated sign-in comes back with (?error=).
    INVALID_REDIRECT: 'That sign-in link does not lead back to this site.',
    UNKNOWN_PROVIDER: 'That identity provider is not offered here.',
    INVALID_STATE: 'That sign-in was not started in this browser, or took too long: please start again.',
    PROVIDER_ERROR: 'The identity provider did not sign you in (cancelled?): please try again.',
    INVALID_TOKEN: 'That sign-in could not be verified: please start again.',
    // The page's own codes.
    NETWORK_ERROR: (error) => `${error.message}: is the server up, and this page's origin in its CORS_ORIGINS?`,
    NO_MAILBOX: 'There is no development mailbox here: the code was sent by email.',
    NO_CODE: (error) => `${error.message}.`,
    NO_PASSKEYS: 'This browser cannot use passkeys on this page.',
    PASSKEY_CANCELLED: 'No passkey was used: try again, or sign in another way.'
};
/** The error's code, and a sentence for people. */
export function describe(error) {
    if (!(error instanceof ApiError))
        return { code: 'ERROR', sentence: 'Something went wrong in this page.' };
    const sentence = SENTENCES[error.code] ?? `Something went wrong: ${error.message}`;
    return { code: error.code, sentence: typeof sentence === 'function' ? sentence(error) : sentence };
}
