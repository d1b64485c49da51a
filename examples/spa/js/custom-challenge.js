// Compiled from examples/spa/src/custom-challenge.ts by `npm run codegen:spa`: edit that file, not this one.
/* eslint-disable */
// The custom-challenge step (CUSTOM_CHALLENGE, the pool's own Lambda triggers): the question the
// trigger's public parameters carry, and one answer field. Offered where settings.ts's
// `customChallenge` is on; challenge.ts draws it and answers with `answer`.
import { $, element } from "./ui.js";
/** The question of the trigger's public parameters (a JSON object as a string), if it has one. */
export function questionOf(parameters) {
    if (parameters === null)
        return null;
    try {
        const parsed = JSON.parse(parameters);
        const question = parsed?.question;
        return typeof question === 'string' && question !== '' ? question : null;
    }
    catch {
        return null;
    }
}
/** Draws the question (or a general one) and the answer field into `container`. */
export function drawCustomChallenge(container, parameters) {
    const box = $(container);
    box.hidden = false;
    box.replaceChildren(element('p', { id: 'custom-question' }, questionOf(parameters) ?? 'Answer the question your organisation set up for signing in.'), element('label', { for: 'custom-answer' }, 'Your answer'), element('input', { id: 'custom-answer', name: 'answer', autocomplete: 'off', required: '', maxlength: '2048', 'aria-describedby': 'custom-question' }));
}
export function hideCustomChallenge(container) {
    $(container).hidden = true;
    $(container).replaceChildren();
}
