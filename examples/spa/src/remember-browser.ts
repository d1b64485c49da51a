// "Remember this browser" on a sign-in's second step, when the pool remembers devices only when
// the user asks. NOT WIRED YET: `RespondToChallengeInput.rememberDevice` is not in this build's
// schema. Wiring, in challenge.ts: `drawRememberBrowser('#challenge-remember', isMfaStep)` in
// draw(), and `rememberDevice: values.rememberDevice === 'on'` in the answer.
import { $, element } from './ui.ts'

export function drawRememberBrowser (container: string, offered: boolean): void {
  const box = $(container)
  box.hidden = !offered
  box.replaceChildren(...(offered
    ? [element('label', { class: 'check' }, element('input', { type: 'checkbox', name: 'rememberDevice' }), ' Remember this browser'),
        element('small', { class: 'hint' }, 'Next time, your password alone signs you in here. Do not tick this on a shared computer.')]
    : []))
}
