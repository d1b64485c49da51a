// Compiled from src/passkeys.ts by `npm run codegen:spa`: edit that file, not this one.
/* eslint-disable */
// Passkeys: the browser's WebAuthn ceremonies (plain `navigator.credentials`, with the JSON
// helpers of PublicKeyCredential), and the signed-in user's list of passkeys: add, remove.
import { ApiError, request } from "./api.js";
import { graphql } from "./gql/gql.js";
import { state } from "./session.js";
import { $, notify, onClick } from "./ui.js";
const Passkeys = graphql(`
  query Passkeys { me { passkeys { id name createdAt } } }
`);
const StartPasskeyRegistration = graphql(`
  mutation StartPasskeyRegistration($input: StartPasskeyRegistrationInput) { startPasskeyRegistration(input: $input) { publicKeyOptions } }
`);
const FinishPasskeyRegistration = graphql(`
  mutation FinishPasskeyRegistration($input: FinishPasskeyRegistrationInput!) { finishPasskeyRegistration(input: $input) { id name createdAt } }
`);
const DeletePasskey = graphql(`
  mutation DeletePasskey($input: DeletePasskeyInput!) { deletePasskey(input: $input) }
`);
/** Runs a WebAuthn ceremony; a refusal or a cancel by the user becomes an ApiError the page can describe. */
async function ceremony(run) {
    if (typeof PublicKeyCredential === 'undefined' || typeof PublicKeyCredential.parseRequestOptionsFromJSON !== 'function') {
        throw new ApiError('NO_PASSKEYS', 'This browser cannot use passkeys here');
    }
    try {
        const credential = await run();
        if (!(credential instanceof PublicKeyCredential))
            throw new ApiError('PASSKEY_CANCELLED', 'No passkey was given');
        return JSON.stringify(credential.toJSON());
    }
    catch (error) {
        if (error instanceof ApiError)
            throw error;
        throw new ApiError('PASSKEY_CANCELLED', error.message);
    }
}
/** navigator.credentials.get with the server's `publicKeyOptions`: the AuthenticationResponseJSON, as a string. */
export async function usePasskey(publicKeyOptions) {
    return await ceremony(async () => await navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(JSON.parse(publicKeyOptions)) }));
}
/** navigator.credentials.create with the server's `publicKeyOptions`: the RegistrationResponseJSON, as a string. */
async function makePasskey(publicKeyOptions) {
    return await ceremony(async () => await navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(JSON.parse(publicKeyOptions)) }));
}
/** Shows the signed-in user's passkeys, each with a button that removes it. */
export async function loadPasskeys() {
    const { me } = await request(Passkeys);
    const list = $('#passkeys-list');
    list.replaceChildren(...(me?.passkeys ?? []).map((passkey) => {
        const item = document.createElement('li');
        item.dataset.id = passkey.id;
        item.textContent = `${passkey.name ?? 'Passkey'}, added ${new Date(passkey.createdAt).toLocaleString()} `;
        const remove = document.createElement('button');
        remove.type = 'button';
        remove.textContent = 'Remove';
        remove.addEventListener('click', () => { removePasskey(passkey.id).catch(() => { }); });
        item.append(remove);
        return item;
    }));
    $('#passkeys-empty').hidden = list.childElementCount > 0;
}
/**
 * The password typed into the passkeys form, if any: adding or removing a passkey needs it unless
 * this session signed in with the password or a passkey a few minutes ago.
 */
function currentPassword() {
    const value = $('#passkeys [name=currentPassword]').value;
    return value === '' ? null : value;
}
async function removePasskey(id) {
    await request(DeletePasskey, { input: { id, currentPassword: currentPassword() } });
    notify('Passkey removed: it no longer signs in.');
    await loadPasskeys();
}
onClick('#add-passkey', async () => {
    if (state.me === null)
        return;
    const password = currentPassword();
    const { startPasskeyRegistration } = await request(StartPasskeyRegistration, { input: { currentPassword: password } });
    if (startPasskeyRegistration == null)
        throw new ApiError('ERROR', 'The server gave no registration options');
    const credential = await makePasskey(startPasskeyRegistration.publicKeyOptions);
    await request(FinishPasskeyRegistration, { input: { credential, currentPassword: password } });
    notify('Passkey added: you can sign in with it.');
    await loadPasskeys();
});
