// The CAPTCHA widget, shown only where the server asks for one: the sign-up form whenever
// `Query.captcha` names a provider, the sign-in, reset and resend forms once the server answered
// CAPTCHA_REQUIRED. Its token goes with the next request as `captchaToken`, once (the server
// refuses a spent token). For the providers' documented test site keys (development's stand-in
// siteverify) a labelled box stands in for the provider's script, which does not load offline.
import { AuthError, type CaptchaConfig } from 'cognito-graphql-auth/client'
import { auth } from './auth.ts'
import { $, element } from './ui.ts'

type Provider = 'turnstile' | 'hcaptcha' | 'recaptcha'

/** The providers' test site keys (always pass, fail, or spent: docs/abuse-protection.md), which the stand-in serves. */
const TEST_SITE_KEYS = new Set(['1x00000000000000000000AA', '2x00000000000000000000AB', '3x00000000000000000000FF',
  '10000000-ffff-ffff-ffff-000000000001', '6LeIxAcTAAAAAJcZVRqyHh71UMIEGNQ_MXjiZKhI'])

/** The token each provider's test widget gives (reCAPTCHA's test key takes any). */
const TEST_TOKENS: Record<Provider, string> = { turnstile: 'XXXX.DUMMY.TOKEN.XXXX', hcaptcha: '10000000-aaaa-bbbb-cccc-000000000001', recaptcha: 'test-token' }

const NAMES: Record<Provider, string> = { turnstile: 'Cloudflare Turnstile', hcaptcha: 'hCaptcha', recaptcha: 'Google reCAPTCHA' }

/** Each provider's script (explicit rendering) and the global it defines; the page's CSP must allow its origin. */
const SCRIPTS: Record<Provider, { src: string, global: string }> = {
  turnstile: { src: 'https://challenges.cloudflare.com/turnstile/v0/api.js?render=explicit', global: 'turnstile' },
  hcaptcha: { src: 'https://js.hcaptcha.com/1/api.js?render=explicit', global: 'hcaptcha' },
  recaptcha: { src: 'https://www.google.com/recaptcha/api.js?render=explicit', global: 'grecaptcha' }
}

/** What the three providers' scripts share: render into an element with a callback for the token, reset by id. */
interface ProviderApi { render: (into: HTMLElement, options: Record<string, unknown>) => string | number, reset: (id: string | number) => void }

export interface CaptchaWidget {
  /** The token for `captchaToken`, or null while the check is not done; the widget starts over after it (one token, one request). */
  take: () => string | null
}

let config: Promise<CaptchaConfig | null> | undefined
/** `Query.captcha`, asked once: the widget to render, or null when the server has no CAPTCHA. */
export async function captchaConfig (): Promise<CaptchaConfig | null> {
  config ??= auth.captcha().catch(() => { config = undefined; return null })
  return await config
}

function providerOf (name: string): Provider | undefined {
  return name in NAMES ? name as Provider : undefined
}

/** The development stand-in: a box that, ticked, gives the test token made unique (the stand-in siteverify accepts `<token>.<anything>`). */
function standIn (box: HTMLElement, provider: Provider, action: string): CaptchaWidget {
  const tick = element('input', { type: 'checkbox', id: `${box.id}-check`, name: 'captcha' })
  box.replaceChildren(element('label', { class: 'check' }, tick, ' I am not a robot'),
    element('small', { class: 'hint' }, `A stand-in for ${NAMES[provider]} (its test key, development only).`))
  box.dataset.action = action
  return {
    take: () => {
      if (!tick.checked) return null
      tick.checked = false
      return `${TEST_TOKENS[provider]}.${crypto.randomUUID()}`
    }
  }
}

async function loadScript (provider: Provider): Promise<ProviderApi> {
  const { src, global } = SCRIPTS[provider]
  const loaded = (): ProviderApi | undefined => (globalThis as unknown as Record<string, ProviderApi | undefined>)[global]
  if (loaded() === undefined) {
    await new Promise((resolve, reject) => {
      document.head.append(Object.assign(element('script', { src, async: '' }), { onload: resolve, onerror: () => reject(new Error(`${NAMES[provider]} did not load`)) }))
    })
  }
  for (let wait = 0; loaded() === undefined && wait < 50; wait++) await new Promise((resolve) => setTimeout(resolve, 100))
  const api = loaded()
  if (api === undefined) throw new Error(`${NAMES[provider]} did not load`)
  return api
}

/** The provider's own widget, its script loaded from the provider (allowed by the page's CSP where a site uses one). */
function providerWidget (box: HTMLElement, provider: Provider, siteKey: string, action: string): CaptchaWidget {
  let token: string | null = null
  let reset = (): void => {}
  box.replaceChildren()
  loadScript(provider).then((api) => {
    const id = api.render(box, {
      sitekey: siteKey,
      ...(provider === 'turnstile' ? { action } : {}),
      callback: (value: string) => { token = value },
      'expired-callback': () => { token = null }
    })
    reset = () => { api.reset(id) }
  }).catch((error: unknown) => { box.replaceChildren(element('p', { class: 'hint' }, String((error as Error).message))) })
  return { take: () => { const taken = token; token = null; reset(); return taken } }
}

/**
 * Renders the widget into `container` for `action` (the input's field name, which Turnstile
 * checks), or hides it when the server has no CAPTCHA.
 */
export async function captchaWidget (container: string, action: string): Promise<CaptchaWidget | null> {
  const found = await captchaConfig()
  const provider = found === null ? undefined : providerOf(found.provider)
  const box = $(container)
  box.hidden = found === null || provider === undefined
  if (found === null || provider === undefined) return null
  return TEST_SITE_KEYS.has(found.siteKey) ? standIn(box, provider, action) : providerWidget(box, provider, found.siteKey, action)
}

/**
 * A form's guard: runs a request with the widget's token (none until the server asked), and on
 * CAPTCHA_REQUIRED shows the widget for the next try. `always`: the widget is there from the
 * start (sign-up, which always needs a token where a provider is configured).
 */
export function captchaGuard (container: string, action: string, always = false): <T>(run: (captchaToken: string | null) => Promise<T>) => Promise<T> {
  let widget: Promise<CaptchaWidget | null> | null = always ? captchaWidget(container, action) : null
  return async (run) => {
    const token = (await widget)?.take() ?? null
    try {
      return await run(token)
    } catch (error) {
      if (error instanceof AuthError && error.code === 'CAPTCHA_REQUIRED' && widget === null) {
        // Shown beside the error: the keyboard starts at its box (the stand-in's; a provider's is a frame of its own).
        widget = captchaWidget(container, action).then((shown) => { document.querySelector<HTMLInputElement>(`${container} input`)?.focus(); return shown })
      }
      throw error
    }
  }
}
