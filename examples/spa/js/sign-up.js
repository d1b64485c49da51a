// Compiled from examples/spa/src/sign-up.ts by `npm run codegen:spa`: edit that file, not this one.
/* eslint-disable */
// The sign-up page: the account (by email, or by phone number where the pool signs in by one), then the code sent to confirm it (a new one when it is
// lost), then on to sign in with the email filled in.
import { named } from "./account-name.js";
import { auth } from "./auth.js";
import { captchaGuard } from "./captcha.js";
import { route } from "./session.js";
import { prefillSignIn } from "./sign-in.js";
import { $, focus, mailboxButton, notify, onClick, onSubmit } from "./ui.js";
/** The email (or phone number) being confirmed. */
let pending = '';
/** Sign-up always needs the widget's token where the server has a CAPTCHA; a new code once the server asks. */
const signUpCaptcha = captchaGuard('#sign-up-captcha', 'signUp', true);
const resendCaptcha = captchaGuard('#confirm-sign-up-captcha', 'resendConfirmationCode');
function confirming(address) {
    pending = address ?? '';
    $('#sign-up').hidden = address !== null;
    $('#confirm-sign-up').hidden = address === null;
}
onSubmit('sign-up', async ({ email = '', password = '', name }) => {
    const result = await signUpCaptcha(async (captchaToken) => await auth.signUp({ ...named(email), password, name: name || null, captchaToken }));
    if (result?.userConfirmed === true) {
        prefillSignIn(email);
        location.hash = '#sign-in';
        notify('Your account is ready: sign in.');
        return;
    }
    confirming(email);
    $('#confirm-sign-up-help').textContent = `We sent a code to ${result?.codeDelivery?.destination ?? email}: enter it to confirm your account.`;
    focus('#confirm-sign-up-title');
    notify(`A code was sent to ${result?.codeDelivery?.destination ?? email}.`);
});
onSubmit('confirm-sign-up', async ({ code = '' }) => {
    await auth.confirmSignUp({ ...named(pending), code });
    const confirmed = 'phone' in named(pending) ? 'Phone number' : 'Email';
    prefillSignIn(pending);
    confirming(null);
    location.hash = '#sign-in';
    route();
    notify(`${confirmed} confirmed: sign in.`);
});
onClick('#resend-sign-up-code', async () => {
    const delivery = await resendCaptcha(async (captchaToken) => await auth.resendConfirmationCode({ ...named(pending), captchaToken }));
    notify(`A new code was sent to ${delivery?.destination ?? pending}.`);
});
mailboxButton('confirm-sign-up', () => pending);
