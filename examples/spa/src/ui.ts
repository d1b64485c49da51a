// The page's few DOM helpers: find things, show messages, run a form.
import { newestCode } from './api.ts'
import { describe } from './errors.ts'

/** The element `selector` finds; a missing one is a bug of the page, so it throws. */
export function $<T extends HTMLElement = HTMLElement> (selector: string): T {
  const element = document.querySelector<T>(selector)
  if (element === null) throw new Error(`no ${selector} in the page`)
  return element
}

/** The input named `name` in `form`. */
export function field (form: string, name: string): HTMLInputElement {
  return $<HTMLInputElement>(`#${form} [name=${name}]`)
}

export function notify (text: string): void {
  $('#notice').textContent = text
  $('#notice').hidden = false
}

/** Shows an error as a sentence for people, and keeps its code where a program (or a test) finds it. */
export function showError (error: unknown): void {
  const { code, sentence } = describe(error)
  if (code === 'ERROR') console.error(error)
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

/** A form's fields by name (an unticked box is absent, a ticked one is `'on'`). */
type Values = Record<string, string>

/**
 * Runs `action` on a form's submit with the form's values: clears the messages, disables its
 * buttons meanwhile, shows its error. The form empties itself once the action succeeds.
 */
export function onSubmit (form: string, action: (values: Values) => Promise<void>): void {
  const element = $<HTMLFormElement>(`#${form}`)
  element.addEventListener('submit', async (event) => {
    event.preventDefault()
    const values = Object.fromEntries([...new FormData(element)].map(([name, value]) => [name, String(value)]))
    await busy(element, async () => {
      await action(values)
      element.reset()
    })
  })
}

/** Runs `action` for a button that is not a submit (send a new code …), like `onSubmit` does. */
export function onClick (button: string, action: () => Promise<void>): void {
  const element = $<HTMLButtonElement>(button)
  element.addEventListener('click', async () => await busy(element.form ?? element, action))
}

/** Runs `action` with the buttons of `scope` disabled; shows its error rather than throwing it. */
async function busy (scope: HTMLElement, action: () => Promise<void>): Promise<void> {
  clearMessages()
  const buttons = scope instanceof HTMLButtonElement ? [scope] : [...scope.querySelectorAll('button')]
  buttons.forEach((button) => { button.disabled = true })
  try {
    await action()
  } catch (error) {
    showError(error)
  } finally {
    buttons.forEach((button) => { button.disabled = false })
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
