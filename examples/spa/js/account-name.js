// Compiled from examples/spa/src/account-name.ts by `npm run codegen:spa`: edit that file, not this one.
/* eslint-disable */
// What a user types to name their account, as the server's inputs take it: a phone number (it
// starts with a plus: `+4915112345678`) or an email. The server says which its pool signs in with.
export function named(value) {
    const trimmed = value.trim();
    return trimmed.startsWith('+') ? { phone: trimmed } : { email: trimmed };
}
