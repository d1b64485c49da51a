// Compiled from examples/spa/src/account-security.ts by `npm run codegen:spa`: edit that file, not this one.
/* eslint-disable */
import { auth } from "./auth.js";
import { step } from "./challenge.js";
import { drawTotpSetup } from "./qr.js";
import { currentUser, onUser, showUser } from "./session.js";
import { $, focus, notify, onSubmit } from "./ui.js";
import { hasPassword, MFA_METHODS, providersOf } from "./words.js";
/** An authenticator app being set up, until its first code is verified. */
let setup = null;
function draw(user) {
    if (user === null)
        setup = null;
    const password = user !== null && hasPassword(user);
    const providers = user === null ? [] : providersOf(user);
    $('#provider-account').hidden = providers.length === 0;
    $('#provider-account').textContent = `You sign in with ${providers.join(', ')}: your password and its second step are managed there.`;
    $('#password-block').hidden = !password;
    $('#passkeys-step-up').hidden = !password;
    $('#two-step').hidden = !password;
    const mfa = user?.mfa ?? [];
    $('#two-step-status').textContent = mfa.length === 0
        ? 'Off: a password alone signs in.'
        : `On: ${mfa.map((method) => MFA_METHODS[method]).join(' and ')}${user?.preferredMfa == null ? '' : ` (asked first: ${MFA_METHODS[user.preferredMfa]})`}.`;
    const totp = mfa.includes('TOTP');
    $('#setup-totp').hidden = totp || setup !== null;
    $('#disable-totp').hidden = !totp;
    $('#verify-totp').hidden = totp || setup === null;
    drawTotpSetup('totp', totp ? null : setup);
    const email = mfa.includes('EMAIL');
    $('#enable-email-mfa').hidden = email;
    $('#disable-email-mfa').hidden = !email;
}
onUser(draw);
onSubmit('change-password', async ({ currentPassword = '', newPassword = '' }) => {
    // Every session of the account ends, and this one signs in again: maybe through its second step.
    await step(await auth.changePassword({ currentPassword, newPassword }));
    notify('Password changed. Every other session was signed out.');
});
onSubmit('setup-totp', async ({ currentPassword = '' }) => {
    setup = await auth.setupTotp({ currentPassword });
    showUser(currentUser());
    focus('#verify-totp-code');
});
onSubmit('verify-totp', async ({ code = '' }) => {
    const user = await auth.verifyTotp({ code });
    setup = null;
    showUser(user);
    notify('Authenticator app turned on: sign-ins with your password now ask for its code.');
});
onSubmit('disable-totp', async ({ currentPassword = '' }) => {
    showUser(await auth.disableTotp({ currentPassword }));
    notify('Authenticator app turned off.');
});
onSubmit('enable-email-mfa', async ({ currentPassword = '' }) => {
    showUser(await auth.enableEmailMfa({ currentPassword }));
    notify('Emailed codes turned on: sign-ins with your password now ask for a code sent by email.');
});
onSubmit('disable-email-mfa', async ({ currentPassword = '' }) => {
    showUser(await auth.disableEmailMfa({ currentPassword }));
    notify('Emailed codes turned off as a second step.');
});
