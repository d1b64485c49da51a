// The account page's passkeys: the list (from `me`), add one with the browser's dialog, remove one.
import type { User } from 'cognito-graphql-auth/client'
import { auth } from './auth.ts'
import { currentUser, onUser, showUser } from './session.ts'
import { $, actionButton, element, notify, onClick } from './ui.ts'
import { dateText } from './words.ts'

function draw (user: User | null): void {
  const passkeys = user?.passkeys ?? []
  $('#passkeys-list').replaceChildren(...passkeys.map((passkey) => element('li', { 'data-id': passkey.id },
    element('span', {}, element('strong', {}, passkey.name ?? 'Passkey'), ` · added ${dateText(passkey.createdAt)}`),
    actionButton('Remove', async () => await remove(passkey.id), { 'aria-label': `Remove the passkey ${passkey.name ?? ''} added ${dateText(passkey.createdAt)}` }))))
  $('#passkeys-empty').hidden = passkeys.length > 0
}

/** The current password, when typed: adding or removing a passkey asks for it after a sign-in without it (docs/security.md). */
function stepUp (): { currentPassword?: string } {
  const input = $<HTMLInputElement>('#passkeys-password')
  const currentPassword = input.value
  input.value = ''
  return currentPassword === '' ? {} : { currentPassword }
}

async function reload (): Promise<void> {
  showUser(await auth.me())
}

async function remove (id: string): Promise<void> {
  await auth.deletePasskey({ id, ...stepUp() })
  await reload()
  notify('Passkey removed: it no longer signs in.')
}

onUser(draw)

onClick('#add-passkey', async () => {
  if (currentUser() === null) return
  await auth.registerPasskey(stepUp())
  await reload()
  notify('Passkey added: you can sign in with it.')
})
