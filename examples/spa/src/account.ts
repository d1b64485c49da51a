// Leaving: signing out (here, or on every device), and deleting the account.
import { request } from './api.ts'
import { graphql } from './gql/gql.ts'
import { signedOut } from './session.ts'
import { notify, onSubmit } from './ui.ts'

const SignOut = graphql(`
  mutation SignOut($input: SignOutInput) { signOut(input: $input) }
`)

const DeleteAccount = graphql(`
  mutation DeleteAccount($input: ReauthInput!) { deleteAccount(input: $input) }
`)

onSubmit('sign-out', async ({ everywhere }) => {
  await request(SignOut, { input: { everywhere: everywhere === 'on' } })
  signedOut()
  notify(everywhere === 'on' ? 'Signed out on every device.' : 'Signed out.')
})

onSubmit('delete-account', async ({ currentPassword }) => {
  // Every session of the account ends with it, this one included.
  await request(DeleteAccount, { input: { currentPassword } })
  signedOut()
  notify('Your account is deleted.')
})
