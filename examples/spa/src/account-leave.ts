// Leaving: signing out (and, for an account made through an identity provider, out of its
// session at the managed login too), and deleting the account.
import type { User } from 'cognito-graphql-auth/client'
import { auth } from './auth.ts'
import { serverRoute } from './providers.ts'
import { onUser, signedOut } from './session.ts'
import { $, onSubmit } from './ui.ts'
import { hasPassword, providersOf } from './words.ts'

onUser((user: User | null) => {
  $('#who').hidden = user === null
  $('#who-email').textContent = user === null ? '' : `Signed in as ${user.email}`
  // Only a federated account has a provider session to end as well.
  const providers = user === null ? [] : providersOf(user)
  $('#provider-sign-out').hidden = providers.length === 0
  $('#provider-name').textContent = providers.join(', ')
  $<HTMLAnchorElement>('#provider-sign-out').href = serverRoute('/auth/oauth/logout')
  const password = user !== null && hasPassword(user)
  $('#delete-account').hidden = !password
  $('#delete-provider').hidden = password || user === null
})

onSubmit('sign-out', async () => {
  await auth.signOut()
  signedOut('Signed out.')
})

onSubmit('delete-account', async ({ currentPassword = '' }) => {
  // Every session of the account ends with it, this one included.
  await auth.deleteAccount({ currentPassword })
  signedOut('Your account is deleted.')
})
