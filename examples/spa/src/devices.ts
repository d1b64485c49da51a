// The remembered devices of the sessions section: each browser Cognito remembers for the account
// (it skips the second step there), this one marked; forget one. NOT WIRED YET: `Query.devices`,
// `rememberDevice` and `forgetDevice` are not in this build's schema. Wiring, in
// account-sessions.ts: `loadDevices('#devices', () => auth.devices(), (id) => auth.forgetDevice({ id }))`
// beside load().
import { $, actionButton, element, notify } from './ui.ts'
import { browserText, dateText } from './words.ts'

/** The fields of Device this section reads. */
export interface DeviceInfo { id: string, name: string | null, remembered: boolean, current: boolean, lastSignInAt: string | null, lastIp: string | null }

export async function loadDevices (container: string, list: () => Promise<DeviceInfo[]>, forget: (id: string) => Promise<boolean | null>): Promise<void> {
  const devices = (await list()).filter((device) => device.remembered)
  const box = $(container)
  box.hidden = false
  box.replaceChildren(
    element('h3', {}, 'Remembered browsers'),
    element('p', { class: 'hint' }, 'These browsers skip the second step when you sign in with your password.'),
    devices.length === 0
      ? element('p', { class: 'hint' }, 'None.')
      : element('ul', { class: 'items' }, ...devices.map((device) => element('li', { 'data-id': device.id },
        element('span', {}, element('strong', {}, browserText(device.name)), device.current ? element('span', { class: 'badge ok' }, 'This browser') : '',
          element('br'), element('small', {}, [`last sign-in ${dateText(device.lastSignInAt)}`, device.lastIp].filter((part) => part !== null).join(' · '))),
        actionButton('Forget', async () => {
          await forget(device.id)
          notify('That browser will ask for the second step again.')
          await loadDevices(container, list, forget)
        })))))
}
