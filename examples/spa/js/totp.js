// Compiled from src/totp.ts by `npm run codegen:spa`: edit that file, not this one.
/* eslint-disable */
// The authenticator app (TOTP): set up with a QR code and a first code, or turned off.
import { request } from "./api.js";
import { graphql } from "./gql/gql.js";
import { render, showUser, state } from "./session.js";
import { notify, onSubmit } from "./ui.js";
const SetupTotp = graphql(`
  mutation SetupTotp($input: ReauthInput!) { setupTotp(input: $input) { secret otpauthUri } }
`);
const VerifyTotp = graphql(`
  mutation VerifyTotp($input: VerifyTotpInput!) { verifyTotp(input: $input) { ...UserFields } }
`);
const DisableTotp = graphql(`
  mutation DisableTotp($input: ReauthInput!) { disableTotp(input: $input) { ...UserFields } }
`);
onSubmit('setup-totp', async ({ currentPassword }) => {
    const { setupTotp } = await request(SetupTotp, { input: { currentPassword } });
    state.totpSetup = setupTotp ?? null;
    render();
});
onSubmit('verify-totp', async ({ code }) => {
    const { verifyTotp } = await request(VerifyTotp, { input: { code } });
    state.totpSetup = null;
    showUser(verifyTotp);
    notify('Authenticator app set up: sign-ins now ask for its code.');
});
onSubmit('disable-totp', async ({ currentPassword }) => {
    const { disableTotp } = await request(DisableTotp, { input: { currentPassword } });
    showUser(disableTotp);
    notify('Authenticator app turned off: sign-ins ask for the password only.');
});
