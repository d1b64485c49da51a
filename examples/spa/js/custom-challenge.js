// Compiled from examples/spa/src/custom-challenge.ts by `npm run codegen:spa`: edit that file, not this one.
/* eslint-disable */
// The custom-challenge step (CUSTOM_CHALLENGE, the pool's own Lambda triggers): the question the
// trigger's public parameters carry, and one answer field. NOT WIRED YET: `ChallengeName` has no
// CUSTOM_CHALLENGE and `Challenge` no `parameters` in this build. Wiring, in challenge.ts: for a
// CUSTOM_CHALLENGE call `drawCustomChallenge('#challenge-custom', challenge.parameters)`, and answer
// with `respondToChallenge({ name: 'CUSTOM_CHALLENGE', answer: values.answer })`.
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
    box.replaceChildren(element('p', { id: 'custom-question' }, questionOf(parameters) ?? 'Answer the question your organisation set up for signing in.'), element('label', { for: 'custom-answer' }, 'Your answer'), element('input', { id: 'custom-answer', name: 'answer', autocomplete: 'off', required: '', 'aria-describedby': 'custom-question' }));
}
export function hideCustomChallenge(container) {
    $(container).hidden = true;
    $(container).replaceChildren();
}
