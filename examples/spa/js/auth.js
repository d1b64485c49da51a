// Compiled from examples/spa/src/auth.ts by `npm run codegen:spa`: edit that file, not this one.
/* eslint-disable */
// The page's one browser client (cognito-graphql-auth/client) and the development mailbox. The
// session lives in HttpOnly cookies the page can neither read nor write: the client sends every
// request with `credentials: 'include'`, and the page only asks `me`.
import { createAuthClient } from './client/index.js';
import { api } from "./settings.js";
export { api };
export const auth = createAuthClient({ url: `${api}/graphql` });
export class PageError extends Error {
    code;
    constructor(code, message) {
        super(message);
        this.code = code;
    }
}
/**
 * Development only: the newest code the embedded emulator "sent" to `address`, from its
 * GET /dev/mailbox. A real pool emails the code and has no such route.
 */
export async function newestCode(address) {
    let response;
    try {
        response = await fetch(`${api}/dev/mailbox?to=${encodeURIComponent(address)}`);
    }
    catch {
        throw new PageError('NETWORK_ERROR', `Cannot reach ${api}/dev/mailbox`);
    }
    if (!response.ok)
        throw new PageError('NO_MAILBOX', 'No development mailbox here');
    const [newest] = await response.json();
    if (newest === undefined)
        throw new PageError('NO_CODE', `No code was sent to ${address} yet`);
    return newest.code;
}
