// Compiled from src/ui.ts by `npm run codegen:spa`: edit that file, not this one.
/* eslint-disable */
// The page's few DOM helpers: find things, show messages, run a form.
import { newestCode } from "./api.js";
import { describe } from "./errors.js";
/** The element `selector` finds; a missing one is a bug of the page, so it throws. */
export function $(selector) {
    const element = document.querySelector(selector);
    if (element === null)
        throw new Error(`no ${selector} in the page`);
    return element;
}
/** The input named `name` in `form`. */
export function field(form, name) {
    return $(`#${form} [name=${name}]`);
}
export function notify(text) {
    $('#notice').textContent = text;
    $('#notice').hidden = false;
}
/** Shows an error as a sentence for people, and keeps its code where a program (or a test) finds it. */
export function showError(error) {
    const { code, sentence } = describe(error);
    if (code === 'ERROR')
        console.error(error);
    const shown = $('#error');
    shown.textContent = sentence;
    shown.dataset.code = code;
    shown.hidden = false;
}
export function clearMessages() {
    $('#error').hidden = true;
    $('#notice').hidden = true;
}
/** Empties every form of the page: no password, code or address stays behind. */
export function clearForms() {
    document.querySelectorAll('form').forEach((form) => form.reset());
}
/**
 * Runs `action` on a form's submit with the form's values: clears the messages, disables its
 * buttons meanwhile, shows its error. The form empties itself once the action succeeds.
 */
export function onSubmit(form, action) {
    const element = $(`#${form}`);
    element.addEventListener('submit', async (event) => {
        event.preventDefault();
        const values = Object.fromEntries([...new FormData(element)].map(([name, value]) => [name, String(value)]));
        await busy(element, async () => {
            await action(values);
            element.reset();
        });
    });
}
/** Runs `action` for a button that is not a submit (send a new code …), like `onSubmit` does. */
export function onClick(button, action) {
    const element = $(button);
    element.addEventListener('click', async () => await busy(element.form ?? element, action));
}
/** Runs `action` with the buttons of `scope` disabled; shows its error rather than throwing it. */
async function busy(scope, action) {
    clearMessages();
    const buttons = scope instanceof HTMLButtonElement ? [scope] : [...scope.querySelectorAll('button')];
    buttons.forEach((button) => { button.disabled = true; });
    try {
        await action();
    }
    catch (error) {
        showError(error);
    }
    finally {
        buttons.forEach((button) => { button.disabled = false; });
    }
}
/**
 * Development only: the form's "Get the code from the dev mailbox" button fills its code field
 * with the newest code sent to `address()`.
 */
export function mailboxButton(form, address) {
    onClick(`#${form} [data-mailbox]`, async () => {
        field(form, 'code').value = await newestCode(address());
    });
}
