// Compiled from src/password.ts by `npm run codegen:spa`: edit that file, not this one.
/* eslint-disable */
// The password: reset when forgotten (a code by email), changed when signed in.
import { request } from "./api.js";
import { graphql } from "./gql/gql.js";
import { signInStep } from "./session.js";
import { field, mailboxButton, notify, onClick, onSubmit } from "./ui.js";
const ForgotPassword = graphql(`
  mutation ForgotPassword($input: ForgotPasswordInput!) { forgotPassword(input: $input) { destination } }
`);
const ConfirmForgotPassword = graphql(`
  mutation ConfirmForgotPassword($input: ConfirmForgotPasswordInput!) { confirmForgotPassword(input: $input) }
`);
const ChangePassword = graphql(`
  mutation ChangePassword($input: ChangePasswordInput!) { changePassword(input: $input) { ...SignInStep } }
`);
onClick('#forgot-password', async () => {
    const { forgotPassword } = await request(ForgotPassword, { input: { email: field('reset-password', 'email').value } });
    notify(`A reset code was sent to ${forgotPassword?.destination}.`);
});
onSubmit('reset-password', async ({ email, code, newPassword }) => {
    // Every session of the account ends: whoever knew the old password is signed out too.
    await request(ConfirmForgotPassword, { input: { email, code, newPassword } });
    field('sign-in', 'email').value = email;
    notify('Password reset: sign in with the new one.');
});
mailboxButton('reset-password', () => field('reset-password', 'email').value);
onSubmit('change-password', async ({ currentPassword, newPassword }) => {
    // Every other session of the user ends; this one is signed in again with the new password,
    // which may ask for a second factor like a sign-in does.
    const { changePassword } = await request(ChangePassword, { input: { currentPassword, newPassword } });
    signInStep(changePassword);
    notify('Password changed: every other session has ended.');
});
