// Email codes as a second factor, beside the authenticator app: on (and preferred), or off.
import { request } from './api.ts'
import { graphql } from './gql/gql.ts'
import { showUser } from './session.ts'
import { notify, onSubmit } from './ui.ts'

const EnableEmailMfa = graphql(`
  mutation EnableEmailMfa($input: ReauthInput!) { enableEmailMfa(input: $input) { ...UserFields } }
`)

const DisableEmailMfa = graphql(`
  mutation DisableEmailMfa($input: ReauthInput!) { disableEmailMfa(input: $input) { ...UserFields } }
`)

onSubmit('enable-email-mfa', async ({ currentPassword }) => {
  const { enableEmailMfa } = await request(EnableEmailMfa, { input: { currentPassword } })
  showUser(enableEmailMfa)
  notify('Email codes turned on: sign-ins with a password now ask for a code sent by email.')
})

onSubmit('disable-email-mfa', async ({ currentPassword }) => {
  const { disableEmailMfa } = await request(DisableEmailMfa, { input: { currentPassword } })
  showUser(disableEmailMfa)
  notify('Email codes turned off as a second factor.')
})
