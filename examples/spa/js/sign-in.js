// Compiled from src/sign-in.ts by `npm run codegen:spa`: edit that file, not this one.
/* eslint-disable */
// Signing in: with the password, with a code emailed to the address, with a passkey, or by the
// pool's choice (no password given); then each challenge the server asks for (a code, a passkey,
// a choice of method, an authenticator code, a new password …) until a Session.
import { ApiError, request } from "./api.js";
import { graphql } from "./gql/gql.js";
import { usePasskey } from "./passkeys.js";
import { loadMe, signInStep, state } from "./session.js";
import { field, mailboxButton, onClick, onSubmit } from "./ui.js";
const SignIn = graphql(`
  mutation SignIn($input: SignInInput!) { signIn(input: $input) { ...SignInStep } }
`);
const RespondToChallenge = graphql(`
  mutation RespondToChallenge($input: RespondToChallengeInput!) {
    respondToChallenge(input: $input) { ...SignInStep }
  }
`);
/** The email the sign-in in progress started with (where its emailed codes go). */
let signingIn = '';
/** Starts a sign-in with `method`, or (none, no password) with the pool's choice of methods. */
async function signIn(email, password, method) {
    signingIn = email;
    const { signIn } = await request(SignIn, { input: { email, password, method } });
    await step(signIn);
}
/** Shows the next step; a passkey challenge goes straight to the browser's passkey prompt. */
async function step(result) {
    signInStep(result);
    const challenge = state.challenge;
    if (result?.__typename === 'Challenge' && challenge?.name === 'WEB_AUTHN' && challenge.publicKeyOptions != null) {
        await respond({ name: 'WEB_AUTHN', credential: await usePasskey(challenge.publicKeyOptions) });
    }
}
async function respond(input) {
    try {
        const { respondToChallenge } = await request(RespondToChallenge, { input });
        await step(respondToChallenge);
    }
    catch (error) {
        // The challenge is over (it expired, was answered elsewhere, or a passkey was refused): start again from sign-in.
        if (error instanceof ApiError && (error.code === 'CHALLENGE_EXPIRED' || (error.code === 'INVALID_CREDENTIALS' && input.name === 'WEB_AUTHN')))
            await loadMe();
        throw error;
    }
}
onSubmit('sign-in', async ({ email = '', password = '' }) => {
    await signIn(email, password || null, null);
});
onClick('#sign-in-email-code', async () => {
    await signIn(field('sign-in', 'email').value, null, 'EMAIL_CODE');
});
onClick('#sign-in-passkey', async () => {
    await signIn(field('sign-in', 'email').value, null, 'PASSKEY');
});
onSubmit('challenge-form', async ({ code, newPassword, mfaMethod, method, password }) => {
    const challenge = state.challenge;
    if (challenge === null)
        throw new ApiError('CHALLENGE_EXPIRED', 'No challenge');
    if (challenge.name === 'WEB_AUTHN') {
        await respond({ name: 'WEB_AUTHN', credential: await usePasskey(challenge.publicKeyOptions ?? '{}') });
        return;
    }
    const chosen = challenge.availableMethods?.find((m) => m === method) ?? null;
    await respond({
        name: challenge.name,
        code: code || null,
        newPassword: newPassword || null,
        mfaMethod: challenge.mfaOptions?.find((m) => m === mfaMethod) ?? null,
        method: chosen,
        password: chosen === 'PASSWORD' ? password || null : null
    });
});
mailboxButton('challenge-form', () => signingIn);
onClick('#challenge-cancel', loadMe);
