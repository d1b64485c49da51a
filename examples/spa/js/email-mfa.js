// Compiled from src/email-mfa.ts by `npm run codegen:spa`: edit that file, not this one.
/* eslint-disable */
// Email codes as a second factor, beside the authenticator app: on (and preferred), or off.
import { request } from "./api.js";
import { graphql } from "./gql/gql.js";
import { showUser } from "./session.js";
import { notify, onSubmit } from "./ui.js";
const EnableEmailMfa = graphql(`
  mutation EnableEmailMfa($input: ReauthInput!) { enableEmailMfa(input: $input) { ...UserFields } }
`);
const DisableEmailMfa = graphql(`
  mutation DisableEmailMfa($input: ReauthInput!) { disableEmailMfa(input: $input) { ...UserFields } }
`);
onSubmit('enable-email-mfa', async ({ currentPassword }) => {
    const { enableEmailMfa } = await request(EnableEmailMfa, { input: { currentPassword } });
    showUser(enableEmailMfa);
    notify('Email codes turned on: sign-ins with a password now ask for a code sent by email.');
});
onSubmit('disable-email-mfa', async ({ currentPassword }) => {
    const { disableEmailMfa } = await request(DisableEmailMfa, { input: { currentPassword } });
    showUser(disableEmailMfa);
    notify('Email codes turned off as a second factor.');
});
