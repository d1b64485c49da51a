// Compiled from examples/spa/src/words.ts by `npm run codegen:spa`: edit that file, not this one.
/* eslint-disable */
/** Each sign-in step's title and help. */
export const CHALLENGES = {
    SOFTWARE_TOKEN_MFA: { title: 'Enter the code from your authenticator app', help: 'Open the authenticator app you set up for this account and type the six digits it shows.' },
    SMS_MFA: { title: 'Enter the code we texted you', help: 'We sent a six-digit code to your phone.' },
    EMAIL_OTP: { title: 'Enter the code we emailed you', help: 'We sent a code to your email address.' },
    SMS_OTP: { title: 'Enter the code we texted you', help: 'We sent a code to your phone.' },
    MFA_SETUP: { title: 'Set up an authenticator app', help: 'This account needs two-step verification. Scan the QR code with an authenticator app, then type the code it shows.' },
    NEW_PASSWORD_REQUIRED: { title: 'Choose a new password', help: 'Your account was given a temporary password: choose your own to continue.' },
    SELECT_MFA_TYPE: { title: 'Choose how to verify it is you', help: 'Your account has more than one second step: pick the one to use now.' },
    WEB_AUTHN: { title: 'Use your passkey', help: 'Follow your browser\'s prompt to use the passkey for this site.' },
    SELECT_CHALLENGE: { title: 'Choose how to sign in', help: 'Pick one of the ways below.' },
    CUSTOM_CHALLENGE: { title: 'Answer the question', help: 'This sign-in asks a question of its own: type your answer.' }
};
/** The buttons that start each way of signing in. */
export const SIGN_IN_METHODS = {
    PASSWORD: 'Sign in with your password',
    EMAIL_CODE: 'Email me a sign-in code',
    SMS_CODE: 'Text me a sign-in code',
    PASSKEY: 'Sign in with a passkey',
    CUSTOM: 'Sign in by answering a question'
};
export const MFA_METHODS = {
    TOTP: 'Authenticator app',
    SMS: 'Text message',
    EMAIL: 'Email code'
};
/** The security activity the server records (SecurityEvent.type), in words. */
const EVENTS = {
    'sign-in': 'Signed in',
    'sign-in-failed': 'Failed sign-in attempt',
    'federated-sign-in': 'Signed in through another service',
    'sign-out': 'Signed out',
    'session-revoked': 'A session was ended',
    'sessions-revoked': 'Other sessions were ended',
    'refresh-token-reused': 'A session was ended because its key was used twice',
    'password-changed': 'Password changed',
    'password-reset-requested': 'Password reset requested',
    'password-reset': 'Password reset',
    'mfa-changed': 'Two-step verification changed',
    'passkey-added': 'Passkey added',
    'passkey-removed': 'Passkey removed',
    'device-remembered': 'Browser remembered',
    'device-forgotten': 'Browser forgotten',
    'profile-changed': 'Profile changed',
    'signed-out-by-admin': 'Signed out by an administrator',
    'password-reset-by-admin': 'Password reset by an administrator',
    'account-disabled': 'Account disabled by an administrator',
    'account-enabled': 'Account enabled by an administrator'
};
export function eventText(type) {
    return EVENTS[type] ?? 'Other account activity';
}
/** How a sign-in was made (SecurityEvent.method): a method, or an identity provider's name. */
export function methodText(method) {
    if (method === null)
        return null;
    if (method in SIGN_IN_METHODS)
        return { PASSWORD: 'with the password', EMAIL_CODE: 'with an emailed code', SMS_CODE: 'with a texted code', PASSKEY: 'with a passkey', CUSTOM: 'by answering a question' }[method];
    return `with ${method}`;
}
/** "Chrome on Linux" for a User-Agent; "Unknown browser" when it says too little. */
export function browserText(userAgent) {
    if (userAgent === null || userAgent === '')
        return 'Unknown browser';
    const browser = [['Edg/', 'Edge'], ['Firefox/', 'Firefox'], ['Chrome/', 'Chrome'], ['Safari/', 'Safari'], ['curl/', 'curl'], ['node', 'A program']]
        .find(([token]) => userAgent.includes(token))?.[1] ?? 'A browser';
    const system = [['Android', 'Android'], ['iPhone', 'iPhone'], ['iPad', 'iPad'], ['Windows', 'Windows'], ['Mac OS X', 'macOS'], ['CrOS', 'ChromeOS'], ['Linux', 'Linux']]
        .find(([token]) => userAgent.includes(token))?.[1];
    return system === undefined ? browser : `${browser} on ${system}`;
}
export function dateText(iso) {
    return iso === null ? '—' : new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
/**
 * Cognito puts every user who signs in through an identity provider in a group of its own named
 * `<pool id>_<provider>` (`eu-west-1_AbC123_DevIdP`): an internal group, not one of the app's.
 */
const PROVIDER_GROUP = /^[a-z]{2}(?:-[a-z]+)+-\d_[A-Za-z0-9]+_.+$/;
/** The groups people care about: the app's own, without Cognito's provider groups. */
export function visibleGroups(user) {
    return user.groups.filter((group) => !PROVIDER_GROUP.test(group));
}
/** The identity providers the user signed up through (from Cognito's provider groups). */
export function providersOf(user) {
    return user.groups.filter((group) => PROVIDER_GROUP.test(group)).map((group) => group.replace(/^[^_]+_[^_]+_/, ''));
}
/** An account made through an identity provider has no password of its own: nothing to change, nothing to confirm with. */
export function hasPassword(user) {
    return providersOf(user).length === 0;
}
