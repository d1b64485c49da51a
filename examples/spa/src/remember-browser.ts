// "Remember this browser" on a sign-in's second step, where the server offers it: the step's
// `rememberDeviceOffered`, true where the pool remembers a browser only when the user asks
// (DeviceOnlyRememberedOnUserPrompt) and the step is a second factor after the password.
import type { Challenge } from 'cognito-graphql-auth/client'
import { $, element } from './ui.ts'

/** Draws the box into `container` where the step offers it; hides it otherwise. */
export function drawRememberBrowser (container: string, challenge: Challenge): void {
  const offered = challenge.rememberDeviceOffered
  const box = $(container)
  box.hidden = !offered
  box.replaceChildren(...(offered
    ? [element('label', { class: 'check' }, element('input', { type: 'checkbox', name: 'rememberDevice', id: 'remember-browser' }), ' Remember this browser'),
        element('small', { class: 'hint' }, 'Next time, your password alone signs you in here. Do not tick this on a shared computer.')]
    : []))
}
