// Compiled from src/sign-in.ts by `npm run codegen:spa`: edit that file, not this one.
/* eslint-disable */
// Signing in: the password, then each challenge the server asks for (an authenticator code, a
// new password …) until a Session.
import { ApiError, request } from "./api.js";
import { graphql } from "./gql/gql.js";
import { loadMe, signInStep, state } from "./session.js";
import { onClick, onSubmit } from "./ui.js";
const SignIn = graphql(`
  mutation SignIn($input: SignInInput!) { signIn(input: $input) { ...SignInStep } }
`);
const RespondToChallenge = graphql(`
  mutation RespondToChallenge($input: RespondToChallengeInput!) {
    respondToChallenge(input: $input) { ...SignInStep }
  }
`);
onSubmit('sign-in', async ({ email, password }) => {
    const { signIn } = await request(SignIn, { input: { email, password } });
    signInStep(signIn);
});
onSubmit('challenge-form', async ({ code, newPassword, mfaMethod }) => {
    const challenge = state.challenge;
    if (challenge === null)
        throw new ApiError('CHALLENGE_EXPIRED', 'No challenge');
    const input = {
        name: challenge.name,
        code: code || null,
        newPassword: newPassword || null,
        mfaMethod: challenge.mfaOptions?.find((method) => method === mfaMethod) ?? null
    };
    try {
        const { respondToChallenge } = await request(RespondToChallenge, { input });
        signInStep(respondToChallenge);
    }
    catch (error) {
        // The challenge is over (it expired, or was answered elsewhere): start again from sign-in.
        if (error instanceof ApiError && error.code === 'CHALLENGE_EXPIRED')
            await loadMe();
        throw error;
    }
});
onClick('#challenge-cancel', loadMe);
