// The page's few DOM helpers: find things, build small lists, say what happened (in live regions
// screen readers announce), move the focus to what comes next, and run a form's action.
import { newestCode } from './auth.ts'
import { describe } from './messages.ts'

/** The element `selector` finds; a missing one is a bug of the page, so it throws. */
export function $<T extends HTMLElement = HTMLElement> (selector: string): T {
  const element = document.querySelector<T>(selector)
  if (element === null) throw new Error(`no ${selector} in the page`)
  return element
}

/** The input named `name` in the form `#form`. */
export function field (form: string, name: string): HTMLInputElement {
  return $<HTMLInputElement>(`#${form} [name=${name}]`)
}

/** A new element with text, attributes and children. */
export function element<K extends keyof HTMLElementTagNameMap> (tag: K, attributes: Record<string, string> = {}, ...children: Array<Node | string>): HTMLElementTagNameMap[K] {
  const made = document.createElement(tag)
  for (const [name, value] of Object.entries(attributes)) made.setAttribute(name, value)
  made.append(...children)
  return made
}

/** A button that runs `action` like a form's submit does (busy while it runs, its error shown). */
export function actionButton (text: string, action: () => Promise<void>, attributes: Record<string, string> = {}): HTMLButtonElement {
  const button = element('button', { type: 'button', ...attributes }, text)
  button.addEventListener('click', () => { busy(button, action).catch(() => {}) })
  return button
}

/** Says that something worked, in the polite live region. */
export function notify (text: string): void {
  const notice = $('#notice')
  notice.textContent = text
  notice.hidden = false
}

/** Says what failed, in words, in the assertive live region; its code stays in data-code for programs. */
export function showError (error: unknown): void {
  const { code, sentence } = describe(error)
  const shown = $('#error')
  shown.textContent = sentence
  shown.dataset.code = code
  shown.hidden = false
}

/** Shows a sentence as an error (a federated sign-in's `?error=`, which is no exception). */
export function showErrorText (code: string, sentence: string): void {
  const shown = $('#error')
  shown.textContent = sentence
  shown.dataset.code = code
  shown.hidden = false
}

export function clearMessages (): void {
  $('#error').hidden = true
  $('#notice').hidden = true
}

/** Empties every form of the page: no password, code or address stays behind. */
export function clearForms (): void {
  document.querySelectorAll('form').forEach((form) => form.reset())
}

/** Moves the focus to `selector` (a heading gets tabindex=-1 for it), so keyboard and screen-reader users start where the step does. */
export function focus (selector: string): void {
  const target = $(selector)
  if (!target.matches('input, button, select, textarea, a[href]') && !target.hasAttribute('tabindex')) target.tabIndex = -1
  target.focus()
}

/** A form's fields by name (an unticked box is absent, a ticked one is `'on'`). */
export type Values = Record<string, string>

/**
 * Runs `action` on a form's submit with the form's values: clears the messages, disables its
 * buttons meanwhile, shows its error. The form empties itself once the action succeeds.
 */
export function onSubmit (form: string, action: (values: Values) => Promise<void>): void {
  const target = $<HTMLFormElement>(`#${form}`)
  target.addEventListener('submit', (event) => {
    event.preventDefault()
    const values = Object.fromEntries([...new FormData(target)].map(([name, value]) => [name, String(value)]))
    busy(target, async () => {
      await action(values)
      target.reset()
    }).catch(() => {})
  })
}

/** Runs `action` for a button that is not a submit (send a new code …), like `onSubmit` does. */
export function onClick (button: string, action: () => Promise<void>): void {
  const target = $<HTMLButtonElement>(button)
  target.addEventListener('click', () => { busy(target.form ?? target, action).catch(() => {}) })
}

/** Runs `action` with the buttons of `scope` disabled; shows its error rather than throwing it. */
async function busy (scope: HTMLElement, action: () => Promise<void>): Promise<void> {
  clearMessages()
  const buttons = scope instanceof HTMLButtonElement ? [scope] : [...scope.querySelectorAll('button')]
  buttons.forEach((button) => { button.disabled = true })
  scope.setAttribute('aria-busy', 'true')
  try {
    await action()
  } catch (error) {
    showError(error)
  } finally {
    buttons.forEach((button) => { button.disabled = false })
    scope.removeAttribute('aria-busy')
  }
}

/**
 * Development only: the form's "Get the code from the dev mailbox" button fills its code field
 * with the newest code sent to `address()`.
 */
export function mailboxButton (form: string, address: () => string): void {
  onClick(`#${form} [data-mailbox]`, async () => {
    field(form, 'code').value = await newestCode(address())
  })
}
