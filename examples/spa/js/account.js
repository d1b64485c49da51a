// Compiled from src/account.ts by `npm run codegen:spa`: edit that file, not this one.
/* eslint-disable */
// Leaving: signing out (here, or on every device), and deleting the account.
import { request } from "./api.js";
import { graphql } from "./gql/gql.js";
import { signedOut } from "./session.js";
import { notify, onSubmit } from "./ui.js";
const SignOut = graphql(`
  mutation SignOut($input: SignOutInput) { signOut(input: $input) }
`);
const DeleteAccount = graphql(`
  mutation DeleteAccount($input: ReauthInput!) { deleteAccount(input: $input) }
`);
onSubmit('sign-out', async ({ everywhere }) => {
    await request(SignOut, { input: { everywhere: everywhere === 'on' } });
    signedOut();
    notify(everywhere === 'on' ? 'Signed out on every device.' : 'Signed out.');
});
onSubmit('delete-account', async ({ currentPassword }) => {
    // Every session of the account ends with it, this one included.
    await request(DeleteAccount, { input: { currentPassword } });
    signedOut();
    notify('Your account is deleted.');
});
