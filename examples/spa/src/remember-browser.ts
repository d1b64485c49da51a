// "Remember this browser" on a sign-in's second step, where the pool remembers a browser only when
// the user asks (DeviceOnlyRememberedOnUserPrompt). No answer of the server names the pool's
// policy before the sign-in: the page learns it from `devices` once signed in (a browser Cognito
// tracks but does not remember exists only in such a pool), and keeps it in this origin's storage.
import type { ChallengeName, Device } from 'cognito-graphql-auth/client'
import { $, element } from './ui.ts'

const KEY = 'remember-browser'

/** The second factors a remembered browser skips. */
const SECOND_FACTORS: ChallengeName[] = ['SOFTWARE_TOKEN_MFA', 'SMS_MFA', 'EMAIL_OTP']

/** What the devices of the user tell about the pool: it asks (a tracked, unremembered one), or (`tracking` false) it tracks none. */
export function learnDevicePolicy (devices: Device[], tracking: boolean): void {
  try {
    if (!tracking) localStorage.removeItem(KEY)
    else if (devices.some((device) => !device.remembered)) localStorage.setItem(KEY, 'ask')
  } catch {} // storage off: the box is simply not offered
}

function poolAsks (): boolean {
  try {
    return localStorage.getItem(KEY) === 'ask'
  } catch {
    return false
  }
}

/** Draws the box on a second-factor step (`afterPassword`: not an emailed code that is the sign-in itself) where the pool asks. */
export function drawRememberBrowser (container: string, step: ChallengeName, afterPassword: boolean): void {
  const offered = afterPassword && SECOND_FACTORS.includes(step) && poolAsks()
  const box = $(container)
  box.hidden = !offered
  box.replaceChildren(...(offered
    ? [element('label', { class: 'check' }, element('input', { type: 'checkbox', name: 'rememberDevice', id: 'remember-browser' }), ' Remember this browser'),
        element('small', { class: 'hint' }, 'Next time, your password alone signs you in here. Do not tick this on a shared computer.')]
    : []))
}
