// Compiled from examples/spa/src/account-profile.ts by `npm run codegen:spa`: edit that file, not this one.
/* eslint-disable */
import { auth } from "./auth.js";
import { currentUser, onUser, showUser } from "./session.js";
import { drawPhone } from "./phone.js";
import { $, element, field, focus, mailboxButton, notify, onClick, onSubmit } from "./ui.js";
import { hasPassword, providersOf, visibleGroups } from "./words.js";
/** The new address of an email change, until its code is verified. */
let pendingEmail = null;
function draw(user) {
    if (user === null) {
        pendingEmail = null;
        // Signed out: the phone section (and whatever was typed into it) goes.
        $('#phone').replaceChildren();
        $('#phone').hidden = true;
        return;
    }
    const rows = [
        ['Name', user.name ?? 'Not set'],
        // An account named by its phone number alone has no email.
        ['Email', user.email === '' ? 'Not set' : element('span', {}, user.email, ' ', element('span', { class: user.emailVerified ? 'badge ok' : 'badge warn' }, user.emailVerified ? 'Verified' : 'Not verified'))]
    ];
    const providers = providersOf(user);
    if (providers.length > 0)
        rows.push(['Signed up with', providers.join(', ')]);
    const groups = visibleGroups(user);
    if (groups.length > 0)
        rows.push(['Groups', groups.join(', ')]);
    $('#profile-summary').replaceChildren(...rows.flatMap(([term, value]) => [element('dt', {}, term), element('dd', {}, value)]));
    field('profile-name', 'name').placeholder = user.name ?? '';
    // A new email is confirmed with the password: an account without one changes it at its provider.
    $('#change-email').hidden = !hasPassword(user);
    // An email change waits for its code; so does an address that was never verified.
    const toVerify = pendingEmail ?? (user.emailVerified ? null : user.email);
    $('#verify-email').hidden = toVerify === null;
    $('#verify-email-help').textContent = toVerify === null ? '' : `Enter the code we sent to ${toVerify}.`;
    // A new number is confirmed with the password too.
    drawPhone('#phone', user, {
        change: hasPassword(user) ? async (phone, currentPassword) => await auth.updateProfile({ phone, currentPassword }) : null,
        verify: async (code) => await auth.verifyPhone({ code }),
        resend: async () => await auth.resendPhoneVerificationCode()
    }, showUser);
}
onUser(draw);
onSubmit('profile-name', async ({ name }) => {
    showUser(await auth.updateProfile({ name }));
    notify('Name saved.');
});
onSubmit('change-email', async ({ email = '', currentPassword }) => {
    // The old address stays the sign-in email until the new one is verified.
    const user = await auth.updateProfile({ email, currentPassword });
    pendingEmail = email;
    showUser(user);
    focus('#verify-email-code');
    notify(`A code was sent to ${email}: enter it to make it your sign-in email.`);
});
onSubmit('verify-email', async ({ code = '' }) => {
    const user = await auth.verifyEmail({ code });
    pendingEmail = null;
    showUser(user);
    notify('Email verified: sign in with it from now on.');
});
onClick('#resend-email-code', async () => {
    const delivery = await auth.resendEmailVerificationCode();
    notify(`A new code was sent to ${delivery?.destination ?? 'your new email'}.`);
});
mailboxButton('verify-email', () => pendingEmail ?? currentUser()?.email ?? '');
