// Compiled from src/client/webauthn.ts by `npm run codegen:spa`: edit that file, not this one.
/* eslint-disable */
// Passkeys over the browser's WebAuthn: the server's options (JSON strings) into
// navigator.credentials.create/get and the browser's answer back to JSON, with the browser's own
// parse…FromJSON and toJSON where it has them and the same conversions written out where it
// does not (base64url fields ↔ ArrayBuffers).
import { PasskeyUnsupportedError } from "./errors.js";
/** The browser's WebAuthn; PasskeyUnsupportedError without it. */
export function webAuthn() {
    const globals = globalThis;
    const credentials = globals.navigator?.credentials;
    if (globals.PublicKeyCredential === undefined || typeof credentials?.create !== 'function' || typeof credentials.get !== 'function')
        throw new PasskeyUnsupportedError();
    return { PublicKeyCredential: globals.PublicKeyCredential, credentials: credentials };
}
const toBase64url = (buffer) => btoa(String.fromCharCode(...new Uint8Array(buffer))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const fromBase64url = (text) => Uint8Array.from(atob(String(text).replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0)).buffer;
/** parse…FromJSON written out: the challenge, the user's id and the credential ids as buffers. */
function decodeOptions(options) {
    const decoded = { ...options, challenge: fromBase64url(options.challenge) };
    const user = options.user;
    if (user !== undefined)
        decoded.user = { ...user, id: fromBase64url(user.id) };
    for (const list of ['excludeCredentials', 'allowCredentials']) {
        const credentials = options[list];
        if (credentials !== undefined)
            decoded[list] = credentials.map((credential) => ({ ...credential, id: fromBase64url(credential.id) }));
    }
    return decoded;
}
/** toJSON written out: RegistrationResponseJSON or AuthenticationResponseJSON. */
function encodeCredential(credential) {
    const source = credential.response;
    const response = {};
    for (const key of ['clientDataJSON', 'attestationObject', 'authenticatorData', 'signature', 'userHandle']) {
        if (source[key] instanceof ArrayBuffer)
            response[key] = toBase64url(source[key]);
    }
    const call = (name) => typeof source[name] === 'function' ? source[name].call(source) : undefined;
    const transports = call('getTransports');
    const algorithm = call('getPublicKeyAlgorithm');
    const publicKey = call('getPublicKey');
    if (transports !== undefined)
        response.transports = transports;
    if (algorithm !== undefined)
        response.publicKeyAlgorithm = algorithm;
    if (publicKey instanceof ArrayBuffer)
        response.publicKey = toBase64url(publicKey);
    return {
        id: credential.id,
        rawId: toBase64url(credential.rawId),
        type: credential.type,
        response,
        clientExtensionResults: credential.getClientExtensionResults?.() ?? {},
        ...(credential.authenticatorAttachment != null ? { authenticatorAttachment: credential.authenticatorAttachment } : {})
    };
}
/**
 * Runs navigator.credentials.create (`create`) or get with the server's options, a JSON string,
 * and gives the browser's answer as a JSON string. The user's refusal or a timeout rejects with
 * the browser's own error (a DOMException named NotAllowedError).
 */
export async function passkeyCeremony(kind, optionsJSON) {
    const { PublicKeyCredential, credentials } = webAuthn();
    const options = JSON.parse(optionsJSON);
    const parse = kind === 'create' ? PublicKeyCredential.parseCreationOptionsFromJSON : PublicKeyCredential.parseRequestOptionsFromJSON;
    const publicKey = typeof parse === 'function' ? parse.call(PublicKeyCredential, options) : decodeOptions(options);
    const credential = await credentials[kind]({ publicKey });
    if (credential === null)
        throw new Error('The browser gave no passkey answer.');
    return JSON.stringify(typeof credential.toJSON === 'function' ? credential.toJSON() : encodeCredential(credential));
}
