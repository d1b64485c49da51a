// Compiled from src/client/errors.ts by `npm run codegen:spa`: edit that file, not this one.
/* eslint-disable */
/** The server refused the operation: `code` is its `extensions.code`, `requestId` names the request in its logs. */
export class AuthError extends Error {
    name = 'AuthError';
    /** The error's `extensions` as the server sent them (`retryAfter` with TOO_MANY_REQUESTS …). */
    extensions;
    /** The error's `extensions.code`. */
    code;
    /** The request's id in the server's logs (its `X-Request-Id`). */
    requestId;
    constructor(code, message, requestId, extensions = {}) {
        super(message);
        this.code = code;
        this.requestId = requestId;
        this.extensions = extensions;
    }
}
/**
 * No answer from the server, or one that is not GraphQL (a proxy's error page): the operation may
 * or may not have run. `status` is the HTTP status when an answer came.
 */
export class NetworkError extends Error {
    name = 'NetworkError';
    /** The HTTP status, when an answer came. */
    status;
    constructor(message, status, cause) {
        super(message, { cause });
        this.status = status;
    }
}
/** This browser has no WebAuthn (`PublicKeyCredential`, `navigator.credentials`): offer another way to sign in. */
export class PasskeyUnsupportedError extends Error {
    name = 'PasskeyUnsupportedError';
    constructor() {
        super('This browser does not support passkeys (WebAuthn).');
    }
}
