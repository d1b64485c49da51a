// Compiled from examples/spa/src/challenge.ts by `npm run codegen:spa`: edit that file, not this one.
/* eslint-disable */
// One step of a sign-in that is not over: what signIn, respondToChallenge or changePassword
// answered. A Session signs the user in; a Challenge is drawn with a human title (never its
// enum name) and answered from its form; a passkey challenge goes straight to the browser.
import { AuthError } from './client/index.js';
import { auth } from "./auth.js";
import { drawCustomChallenge, hideCustomChallenge } from "./custom-challenge.js";
import { drawTotpSetup } from "./qr.js";
import { drawRememberBrowser } from "./remember-browser.js";
import { route, show, signedIn, signInEmail } from "./session.js";
import { $, element, field, focus, mailboxButton, onClick, onSubmit } from "./ui.js";
import { CHALLENGES, MFA_METHODS } from "./words.js";
/** The step waiting for an answer, or null. */
let current = null;
/** What the step asks for, besides a Continue button. */
function asks(challenge) {
    const name = challenge.name;
    return {
        code: ['SOFTWARE_TOKEN_MFA', 'SMS_MFA', 'MFA_SETUP', 'EMAIL_OTP', 'SMS_OTP'].includes(name),
        newPassword: name === 'NEW_PASSWORD_REQUIRED',
        mfaChoice: name === 'SELECT_MFA_TYPE'
    };
}
function draw(challenge) {
    const { title, help } = CHALLENGES[challenge.name];
    $('#challenge-form').reset();
    $('#challenge-title').textContent = title;
    $('#challenge-help').textContent = challenge.codeDelivery === null ? help : `${help} It went to ${challenge.codeDelivery.destination}.`;
    const wants = asks(challenge);
    $('#challenge-code').hidden = !wants.code;
    field('challenge-form', 'code').required = wants.code;
    $('#challenge-new-password').hidden = !wants.newPassword;
    field('challenge-form', 'newPassword').required = wants.newPassword;
    $('#challenge-mfa-choice').hidden = !wants.mfaChoice;
    $('#challenge-mfa-options').replaceChildren(...(challenge.mfaOptions ?? []).map((method, index) => element('label', { class: 'check' }, element('input', { type: 'radio', name: 'mfaMethod', value: method, ...(index === 0 ? { checked: '' } : {}) }), ` ${MFA_METHODS[method]}`)));
    $('#challenge-setup').hidden = challenge.totpSetup === null;
    drawTotpSetup('challenge', challenge.totpSetup);
    if (challenge.name === 'CUSTOM_CHALLENGE')
        drawCustomChallenge('#challenge-custom', challenge.parameters);
    else
        hideCustomChallenge('#challenge-custom');
    $('#challenge-form [data-mailbox]').hidden = challenge.name !== 'EMAIL_OTP';
    drawRememberBrowser('#challenge-remember', challenge);
}
/** Takes what a sign-in step answered: signed in, or the next step shown (a passkey's, answered by the browser). */
export async function step(result) {
    if (result?.__typename === 'Challenge' && result.name === 'WEB_AUTHN') {
        current = result;
        result = await answer(async () => await auth.answerPasskeyChallenge(result));
    }
    if (result === null)
        throw new AuthError('INTERNAL_SERVER_ERROR', 'The server gave no sign-in result');
    if (result.__typename === 'Session') {
        current = null;
        signedIn(result.user);
        return;
    }
    current = result;
    draw(result);
    show('challenge');
    focus('#challenge-title');
}
/** The steps a refused answer ends: a passkey, and a custom challenge (its triggers ended the sequence). */
const ENDED_BY_REFUSAL = ['WEB_AUTHN', 'CUSTOM_CHALLENGE'];
/** Runs an answer; a step that is over (expired, answered elsewhere, a refused passkey or custom answer) sends the user back to start again. */
async function answer(run) {
    try {
        return await run();
    }
    catch (error) {
        const over = error instanceof AuthError && (error.code === 'CHALLENGE_EXPIRED' || (error.code === 'INVALID_CREDENTIALS' && ENDED_BY_REFUSAL.includes(current?.name ?? 'WEB_AUTHN')));
        if (over || current?.name === 'WEB_AUTHN') {
            current = null;
            route();
        }
        throw error;
    }
}
onSubmit('challenge-form', async ({ code, newPassword, mfaMethod, rememberDevice, answer: custom }) => {
    const challenge = current;
    if (challenge === null)
        throw new AuthError('CHALLENGE_EXPIRED', 'No sign-in step is waiting');
    const input = {
        name: challenge.name,
        code: asks(challenge).code ? code ?? null : null,
        newPassword: newPassword || null,
        mfaMethod: challenge.mfaOptions?.find((method) => method === mfaMethod) ?? null,
        rememberDevice: rememberDevice === 'on' ? true : null,
        answer: challenge.name === 'CUSTOM_CHALLENGE' ? custom ?? '' : null
    };
    await step(await answer(async () => await auth.respondToChallenge(input)));
});
onClick('#challenge-cancel', async () => {
    current = null;
    route();
});
mailboxButton('challenge-form', signInEmail);
