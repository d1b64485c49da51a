// Compiled from examples/spa/src/remember-browser.ts by `npm run codegen:spa`: edit that file, not this one.
/* eslint-disable */
import { $, element } from "./ui.js";
const KEY = 'remember-browser';
/** The second factors a remembered browser skips. */
const SECOND_FACTORS = ['SOFTWARE_TOKEN_MFA', 'SMS_MFA', 'EMAIL_OTP'];
/** What the devices of the user tell about the pool: it asks (a tracked, unremembered one), or (`tracking` false) it tracks none. */
export function learnDevicePolicy(devices, tracking) {
    try {
        if (!tracking)
            localStorage.removeItem(KEY);
        else if (devices.some((device) => !device.remembered))
            localStorage.setItem(KEY, 'ask');
    }
    catch { } // storage off: the box is simply not offered
}
function poolAsks() {
    try {
        return localStorage.getItem(KEY) === 'ask';
    }
    catch {
        return false;
    }
}
/** Draws the box on a second-factor step (`afterPassword`: not an emailed code that is the sign-in itself) where the pool asks. */
export function drawRememberBrowser(container, step, afterPassword) {
    const offered = afterPassword && SECOND_FACTORS.includes(step) && poolAsks();
    const box = $(container);
    box.hidden = !offered;
    box.replaceChildren(...(offered
        ? [element('label', { class: 'check' }, element('input', { type: 'checkbox', name: 'rememberDevice', id: 'remember-browser' }), ' Remember this browser'),
            element('small', { class: 'hint' }, 'Next time, your password alone signs you in here. Do not tick this on a shared computer.')]
        : []));
}
