// Compiled from src/profile.ts by `npm run codegen:spa`: edit that file, not this one.
/* eslint-disable */
// The profile: the name, and the email (changed once the code sent to the new address is entered).
import { request } from "./api.js";
import { graphql } from "./gql/gql.js";
import { showUser, state } from "./session.js";
import { mailboxButton, notify, onClick, onSubmit } from "./ui.js";
const UpdateProfile = graphql(`
  mutation UpdateProfile($input: UpdateProfileInput!) { updateProfile(input: $input) { ...UserFields } }
`);
const VerifyEmail = graphql(`
  mutation VerifyEmail($input: VerifyEmailInput!) { verifyEmail(input: $input) { ...UserFields } }
`);
const ResendEmailVerificationCode = graphql(`
  mutation ResendEmailVerificationCode { resendEmailVerificationCode { destination } }
`);
onSubmit('profile', async ({ name }) => {
    const { updateProfile } = await request(UpdateProfile, { input: { name } });
    showUser(updateProfile);
    notify('Name saved.');
});
onSubmit('change-email', async ({ email, currentPassword }) => {
    // The old address stays the sign-in email until the new one is verified.
    const { updateProfile } = await request(UpdateProfile, { input: { email, currentPassword } });
    state.pendingEmail = email;
    showUser(updateProfile);
    notify(`A code was sent to ${email}: enter it to make it your sign-in email.`);
});
onSubmit('verify-email', async ({ code }) => {
    const { verifyEmail } = await request(VerifyEmail, { input: { code } });
    state.pendingEmail = null;
    showUser(verifyEmail);
    notify('Email verified: sign in with it from now on.');
});
onClick('#resend-email-code', async () => {
    const { resendEmailVerificationCode } = await request(ResendEmailVerificationCode);
    notify(`A new code was sent to ${resendEmailVerificationCode?.destination}.`);
});
mailboxButton('verify-email', () => state.pendingEmail ?? state.me?.email ?? '');
