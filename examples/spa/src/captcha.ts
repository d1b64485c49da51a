// The CAPTCHA widget, shown only when the server asks for one (`Query.captcha`, or a
// CAPTCHA_REQUIRED refusal). NOT WIRED YET: `Query.captcha` and the inputs' `captchaToken` are not
// in the schema of this build. Wiring: call `captchaWidget('#sign-in-captcha', await auth.captcha())`
// before a sign-in, sign-up or code request, and pass `captchaToken: await widget.token()` with it.
import { $, element } from './ui.ts'

/** What `Query.captcha` answers (null: no CAPTCHA). */
export interface CaptchaConfig { provider: 'turnstile' | 'hcaptcha' | 'recaptcha', siteKey: string }

/**
 * The providers' documented test tokens, which the development stand-in verifier accepts: the
 * stand-in widget gives one when its box is ticked, as the provider's widget gives a real one.
 */
const TEST_TOKENS: Record<CaptchaConfig['provider'], string> = {
  turnstile: 'XXXX.DUMMY.TOKEN.XXXX',
  hcaptcha: '10000000-aaaa-bbbb-cccc-000000000001',
  recaptcha: 'test-token'
}

export interface CaptchaWidget {
  /** The token to send as `captchaToken`, or null while the user has not done the check. */
  token: () => string | null
  reset: () => void
}

/**
 * Renders the widget into `container` (hidden again when `config` is null). The providers' own
 * scripts load from their origins, which the page's Content-Security-Policy (script-src 'self')
 * does not allow: a page that uses one lists its origin there. Development uses the stand-in.
 */
export function captchaWidget (container: string, config: CaptchaConfig | null): CaptchaWidget {
  const box = $(container)
  box.hidden = config === null
  if (config === null) {
    box.replaceChildren()
    return { token: () => null, reset: () => {} }
  }
  const tick = element('input', { type: 'checkbox', name: 'captcha' })
  box.replaceChildren(element('label', { class: 'check' }, tick, ' I am not a robot'),
    element('small', { class: 'hint' }, `Development stand-in for ${config.provider}`))
  return {
    token: () => tick.checked ? TEST_TOKENS[config.provider] : null,
    reset: () => { tick.checked = false }
  }
}
