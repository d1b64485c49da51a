// Compiled from src/client/index.ts by `npm run codegen:spa`: edit that file, not this one.
/* eslint-disable */
// cognito-graphql-auth/client: the typed browser client of the server. One method per Query and
// Mutation field (src/client/generated.ts, generated from the schema), each sending its operation
// by hash only, so it runs where the server accepts nothing but its manifest
// (PERSISTED_OPERATIONS=only); the session stays in HttpOnly cookies (`credentials: 'include'`).
import { AuthError, NetworkError } from "./errors.js";
import { OPERATIONS } from "./generated.js";
import { sessionChanges } from "./session-events.js";
import { passkeyCeremony, webAuthn } from "./webauthn.js";
export { AuthError, NetworkError, PasskeyUnsupportedError } from "./errors.js";
/** Operations whose `true` ends this browser's session. */
const ENDS_SESSION = new Set(['signOut', 'deleteAccount']);
/** The client of the server at `url`. */
export function createAuthClient(options = {}) {
    const url = options.url ?? '/graphql';
    const send = options.fetch ?? ((target, init) => fetch(target, init));
    const sessions = sessionChanges(`cognito-graphql-auth ${url}`);
    /** Runs one field's document by its hash; its data, or the first error as AuthError. */
    async function run(field, sha256Hash, variables) {
        let response;
        try {
            response = await send(url, {
                method: 'POST',
                credentials: 'include',
                headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
                body: JSON.stringify({ variables, extensions: { persistedQuery: { version: 1, sha256Hash } } })
            });
        }
        catch (err) {
            throw new NetworkError(`${field}: the server could not be reached`, undefined, err);
        }
        let answer;
        try {
            answer = await response.json();
        }
        catch (err) {
            throw new NetworkError(`${field}: the server answered HTTP ${response.status}, not GraphQL`, response.status, err);
        }
        const error = answer?.errors?.[0];
        if (error !== undefined) {
            const extensions = error.extensions ?? {};
            const requestId = extensions.requestId ?? response.headers.get('x-request-id') ?? undefined;
            const refusal = new AuthError((extensions.code ?? 'INTERNAL_SERVER_ERROR'), error.message ?? '', requestId, extensions);
            if (refusal.code === 'UNAUTHENTICATED')
                sessions.note(null);
            throw refusal;
        }
        if (typeof answer?.data !== 'object' || answer.data === null)
            throw new NetworkError(`${field}: the server answered HTTP ${response.status} without data`, response.status);
        const data = answer.data[field] ?? null;
        observe(field, data);
        return data;
    }
    /** What an answer says of the session, for onSessionChange. */
    function observe(field, data) {
        const result = data;
        if (field === 'me')
            sessions.note(result?.id ?? null);
        else if (result?.__typename === 'Session' && result.user !== undefined)
            sessions.note(result.user.id);
        else if (ENDS_SESSION.has(field) && data === true)
            sessions.note(null);
    }
    const operations = {};
    for (const [field, [hash, takesInput]] of Object.entries(OPERATIONS)) {
        operations[field] = async (argument) => await run(field, hash, takesInput === 1 ? { input: argument } : argument ?? {});
    }
    const client = operations;
    const answerPasskeyChallenge = async (result) => {
        if (result?.__typename !== 'Challenge' || result.name !== 'WEB_AUTHN' || result.publicKeyOptions === null)
            return result;
        return await client.respondToChallenge({ name: 'WEB_AUTHN', credential: await passkeyCeremony('get', result.publicKeyOptions) });
    };
    const helpers = {
        onSessionChange: (listener) => sessions.subscribe(listener),
        async registerPasskey(input = {}) {
            webAuthn(); // a browser without passkeys learns it before the server is asked
            // The current password, where the session's sign-in does not do (docs/security.md): for both steps.
            const registration = await client.startPasskeyRegistration(input.currentPassword != null ? { currentPassword: input.currentPassword } : undefined);
            if (registration === null)
                return null;
            return await client.finishPasskeyRegistration({ ...input, credential: await passkeyCeremony('create', registration.publicKeyOptions) });
        },
        async signInWithPasskey({ email }) {
            webAuthn();
            return await answerPasskeyChallenge(await client.signIn({ email, method: 'PASSKEY' }));
        },
        answerPasskeyChallenge
    };
    return Object.assign(operations, helpers);
}
