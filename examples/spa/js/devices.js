// Compiled from examples/spa/src/devices.ts by `npm run codegen:spa`: edit that file, not this one.
/* eslint-disable */
// The remembered browsers of the sessions section: each browser Cognito remembers for the account
// (it skips the second step there), this one marked; forget one, or remember this one. Hidden where the pool does not
// track devices (`devices` answers an empty list).
import { AuthError } from './client/index.js';
import { auth } from "./auth.js";
import { $, actionButton, element, notify } from "./ui.js";
import { dateText } from "./words.js";
function item(device) {
    const name = device.name ?? 'Unknown browser';
    const details = [`last sign-in ${dateText(device.lastSignInAt)}`, device.lastIp].filter((part) => part !== null).join(' · ');
    return element('li', { 'data-id': device.id, ...(device.current ? { 'data-current': '' } : {}) }, element('span', {}, element('strong', {}, name), device.current ? element('span', { class: 'badge ok' }, 'This browser') : '', element('br'), element('small', {}, details)), actionButton('Forget', async () => {
        await auth.forgetDevice({ id: device.id });
        await loadDevices();
        notify(device.current ? 'This browser will ask for the second step again.' : `${name} will ask for the second step again.`);
    }, { 'aria-label': `Forget ${name}${device.current ? ' (this browser)' : ''}` }));
}
/** The devices Cognito tracks for the user; none where the pool does not track them. */
async function devices() {
    try {
        return await auth.devices();
    }
    catch (error) {
        if (error instanceof AuthError && error.code === 'NOT_SUPPORTED')
            return [];
        throw error;
    }
}
/** Whether this sign-in has seen a device: the pool tracks them, and the card stays when the last is forgotten. */
let tracking = false;
export async function loadDevices() {
    const tracked = await devices();
    tracking ||= tracked.length > 0;
    const remembered = tracked.filter((device) => device.remembered);
    // This browser tracked but not remembered (a pool that asks the user, who did not tick the box).
    const here = tracked.find((device) => device.current && !device.remembered);
    const box = $('#devices');
    box.hidden = !tracking;
    box.replaceChildren(...(!tracking
        ? []
        : [element('h3', { id: 'devices-title' }, 'Remembered browsers'),
            element('p', { class: 'hint' }, 'These browsers skip the second step when you sign in with your password. Forget one you no longer use.'),
            remembered.length === 0
                ? element('p', { class: 'hint', id: 'devices-empty' }, 'None.')
                : element('ul', { class: 'items', id: 'devices-list', 'aria-labelledby': 'devices-title' }, ...remembered.map(item)),
            ...(here === undefined
                ? []
                : [actionButton('Remember this browser', async () => {
                        await auth.rememberDevice({ id: here.id });
                        await loadDevices();
                        notify('This browser will skip the second step from now on.');
                    }, { id: 'remember-this-browser' })])]));
}
export function clearDevices() {
    tracking = false;
    $('#devices').hidden = true;
    $('#devices').replaceChildren();
}
