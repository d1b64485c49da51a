// Compiled from examples/spa/src/forgot-password.ts by `npm run codegen:spa`: edit that file, not this one.
/* eslint-disable */
// The forgot-password page: a reset code by email (or SMS, for a phone number), then the code and a new password; every
// session of the account ends with the reset, and the user signs in with the new password.
import { named } from "./account-name.js";
import { auth } from "./auth.js";
import { captchaGuard } from "./captcha.js";
import { route } from "./session.js";
import { prefillSignIn } from "./sign-in.js";
import { $, focus, mailboxButton, notify, onSubmit } from "./ui.js";
let pending = '';
/** The widget, once the server asks for it (after failed sign-ins from this address or for this account). */
const withCaptcha = captchaGuard('#forgot-password-captcha', 'forgotPassword');
onSubmit('forgot-password', async ({ email = '' }) => {
    const delivery = await withCaptcha(async (captchaToken) => await auth.forgotPassword({ ...named(email), captchaToken }));
    pending = email;
    $('#forgot-password').hidden = true;
    $('#reset-password').hidden = false;
    $('#reset-password-help').textContent = `If ${email} has an account, we sent a code to ${delivery?.destination ?? email}.`;
    focus('#reset-code');
    notify(`A reset code was sent to ${delivery?.destination ?? email}.`);
});
onSubmit('reset-password', async ({ code = '', newPassword = '' }) => {
    await auth.confirmForgotPassword({ ...named(pending), code, newPassword });
    $('#forgot-password').hidden = false;
    $('#reset-password').hidden = true;
    prefillSignIn(pending);
    location.hash = '#sign-in';
    route();
    notify('Password reset: sign in with the new one. Every other session was signed out.');
});
mailboxButton('reset-password', () => pending);
