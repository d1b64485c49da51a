// Compiled from examples/spa/src/account-leave.ts by `npm run codegen:spa`: edit that file, not this one.
/* eslint-disable */
import { auth } from "./auth.js";
import { serverRoute } from "./providers.js";
import { onUser, signedOut } from "./session.js";
import { $, onSubmit } from "./ui.js";
import { hasPassword, providersOf } from "./words.js";
onUser((user) => {
    $('#who').hidden = user === null;
    $('#who-email').textContent = user === null ? '' : `Signed in as ${user.email}`;
    // Only a federated account has a provider session to end as well.
    const providers = user === null ? [] : providersOf(user);
    $('#provider-sign-out').hidden = providers.length === 0;
    $('#provider-name').textContent = providers.join(', ');
    $('#provider-sign-out').href = serverRoute('/auth/oauth/logout');
    const password = user !== null && hasPassword(user);
    $('#delete-account').hidden = !password;
    $('#delete-provider').hidden = password || user === null;
});
onSubmit('sign-out', async () => {
    await auth.signOut();
    signedOut('Signed out.');
});
onSubmit('delete-account', async ({ currentPassword = '' }) => {
    // Every session of the account ends with it, this one included.
    await auth.deleteAccount({ currentPassword });
    signedOut('Your account is deleted.');
});
