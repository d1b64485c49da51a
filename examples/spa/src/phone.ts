// The Profile section's phone number: shown, changed with the current password (a code by SMS
// verifies it), verified, a new code sent. An account without a password changes it at its provider.
import { AuthError } from 'cognito-graphql-auth/client'
import { $, actionButton, element, notify } from './ui.ts'

/** The fields of User this section reads. */
export interface PhoneUser { phone: string | null, phoneVerified: boolean }

export interface PhoneActions<U> {
  /** Sets the new number; null when the account has no password to confirm it with. */
  change: ((phone: string, currentPassword: string) => Promise<U | null>) | null
  verify: (code: string) => Promise<U | null>
  resend: () => Promise<{ destination: string } | null>
}

// E.164 as the server takes it; spaces, dots, dashes and brackets are dropped first.
const E164 = /^\+[1-9]\d{1,14}$/
const normalised = (value: string): string => value.trim().replace(/[\s.()-]/g, '')

export function drawPhone<U extends PhoneUser> (container: string, user: U, actions: PhoneActions<U>, show: (user: U | null) => void): void {
  const box = $(container)
  box.hidden = false
  const input = element('input', { id: 'phone-input', name: 'phone', type: 'tel', autocomplete: 'tel', placeholder: '+4915112345678', 'aria-describedby': 'phone-hint' })
  const password = element('input', { id: 'phone-password', name: 'currentPassword', type: 'password', autocomplete: 'current-password' })
  const code = element('input', { id: 'phone-code', name: 'code', inputmode: 'numeric', autocomplete: 'one-time-code' })
  const status = element('p', { id: 'phone-status' }, user.phone ?? 'No phone number.', ...(user.phone === null
    ? []
    : [' ', element('span', { class: user.phoneVerified ? 'badge ok' : 'badge warn' }, user.phoneVerified ? 'Verified' : 'Not verified')]))
  const change = actions.change
  box.replaceChildren(
    element('h3', {}, 'Phone number'), status,
    ...(change === null
      ? []
      : [element('label', { for: 'phone-input' }, user.phone === null ? 'Phone number' : 'New phone number'), input,
          element('small', { id: 'phone-hint', class: 'hint' }, 'With the country code, e.g. +4915112345678.'),
          element('label', { for: 'phone-password' }, 'Current password'), password,
          actionButton('Text a code to the number', async () => {
            const phone = normalised(input.value)
            if (!E164.test(phone)) throw new AuthError('BAD_USER_INPUT', 'Give the number with its country code, e.g. +4915112345678.')
            const changed = await change(phone, password.value)
            password.value = ''
            show(changed)
            notify(`We texted a code to ${phone}: enter it to verify the number.`)
            $('#phone-code').focus()
          }, { id: 'phone-save' })]),
    ...(user.phone !== null && !user.phoneVerified
      ? [element('label', { for: 'phone-code' }, 'Code from the text message'), code,
          actionButton('Verify', async () => { show(await actions.verify(code.value)); notify('Phone number verified.') }, { id: 'phone-verify' }),
          actionButton('Send a new code', async () => { const sent = await actions.resend(); notify(`A new code was sent to ${sent?.destination ?? 'your phone'}.`) }, { id: 'phone-resend' })]
      : []))
}
