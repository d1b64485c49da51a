// Compiled from examples/spa/src/remember-browser.ts by `npm run codegen:spa`: edit that file, not this one.
/* eslint-disable */
import { $, element } from "./ui.js";
/** Draws the box into `container` where the step offers it; hides it otherwise. */
export function drawRememberBrowser(container, challenge) {
    const offered = challenge.rememberDeviceOffered;
    const box = $(container);
    box.hidden = !offered;
    box.replaceChildren(...(offered
        ? [element('label', { class: 'check' }, element('input', { type: 'checkbox', name: 'rememberDevice', id: 'remember-browser' }), ' Remember this browser'),
            element('small', { class: 'hint' }, 'Next time, your password alone signs you in here. Do not tick this on a shared computer.')]
        : []));
}
