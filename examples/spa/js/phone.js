// Compiled from examples/spa/src/phone.ts by `npm run codegen:spa`: edit that file, not this one.
/* eslint-disable */
// The Profile section's phone number: shown, changed (a code by SMS verifies it), verified. NOT
// WIRED YET: `User.phone`, `phoneVerified`, `UpdateProfileInput.phone`, `verifyPhone` and
// `resendPhoneVerificationCode` are not in this build's schema. Wiring, in account-profile.ts:
// `drawPhone('#phone', user, { change: (phone) => auth.updateProfile({ phone }), verify: (code) =>
// auth.verifyPhone({ code }), resend: () => auth.resendPhoneVerificationCode() }, showUser)`.
import { AuthError } from './client/index.js';
import { $, actionButton, element, notify } from "./ui.js";
const E164 = /^\+[1-9]\d{6,14}$/;
export function drawPhone(container, user, actions, show) {
    const box = $(container);
    box.hidden = false;
    const input = element('input', { id: 'phone-input', name: 'phone', type: 'tel', autocomplete: 'tel', placeholder: '+4915112345678', value: user.phone ?? '', 'aria-describedby': 'phone-hint' });
    const code = element('input', { id: 'phone-code', name: 'code', inputmode: 'numeric', autocomplete: 'one-time-code' });
    const status = user.phone === null ? 'No phone number.' : `${user.phone} · ${user.phoneVerified ? 'Verified' : 'Not verified'}`;
    box.replaceChildren(element('h3', {}, 'Phone number'), element('p', {}, status), element('label', { for: 'phone-input' }, 'Phone number'), input, element('small', { id: 'phone-hint', class: 'hint' }, 'With the country code, e.g. +4915112345678.'), actionButton('Save the number', async () => {
        if (!E164.test(input.value))
            throw new AuthError('BAD_USER_INPUT', 'Give the number with its country code, e.g. +4915112345678.');
        show(await actions.change(input.value));
        notify('We texted a code to the new number: enter it to verify it.');
    }), ...(user.phone !== null && !user.phoneVerified
        ? [element('label', { for: 'phone-code' }, 'Code'), code,
            actionButton('Verify', async () => { show(await actions.verify(code.value)); notify('Phone number verified.'); }),
            actionButton('Send a new code', async () => { const sent = await actions.resend(); notify(`A new code was sent to ${sent?.destination ?? 'your phone'}.`); })]
        : []));
}
