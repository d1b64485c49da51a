// Compiled from examples/spa/src/account-passkeys.ts by `npm run codegen:spa`: edit that file, not this one.
/* eslint-disable */
import { auth } from "./auth.js";
import { currentUser, onUser, showUser } from "./session.js";
import { $, actionButton, element, notify, onClick } from "./ui.js";
import { dateText } from "./words.js";
function draw(user) {
    const passkeys = user?.passkeys ?? [];
    $('#passkeys-list').replaceChildren(...passkeys.map((passkey) => element('li', { 'data-id': passkey.id }, element('span', {}, element('strong', {}, passkey.name ?? 'Passkey'), ` · added ${dateText(passkey.createdAt)}`), actionButton('Remove', async () => await remove(passkey.id), { 'aria-label': `Remove the passkey ${passkey.name ?? ''} added ${dateText(passkey.createdAt)}` }))));
    $('#passkeys-empty').hidden = passkeys.length > 0;
}
/** The current password, when typed: adding or removing a passkey asks for it after a sign-in without it (docs/security.md). */
function stepUp() {
    const input = $('#passkeys-password');
    const currentPassword = input.value;
    input.value = '';
    return currentPassword === '' ? {} : { currentPassword };
}
async function reload() {
    showUser(await auth.me());
}
async function remove(id) {
    await auth.deletePasskey({ id, ...stepUp() });
    await reload();
    notify('Passkey removed: it no longer signs in.');
}
onUser(draw);
onClick('#add-passkey', async () => {
    if (currentUser() === null)
        return;
    await auth.registerPasskey(stepUp());
    await reload();
    notify('Passkey added: you can sign in with it.');
});
