// Compiled from examples/spa/src/captcha.ts by `npm run codegen:spa`: edit that file, not this one.
/* eslint-disable */
// The CAPTCHA widget, shown only where the server asks for one: the sign-up form whenever
// `Query.captcha` names a provider, the sign-in, reset and resend forms once the server answered
// CAPTCHA_REQUIRED. Its token goes with the next request as `captchaToken`, once (the server
// refuses a spent token). For the providers' documented test site keys (development's stand-in
// siteverify) a labelled box stands in for the provider's script, which does not load offline.
import { AuthError } from './client/index.js';
import { auth } from "./auth.js";
import { $, element } from "./ui.js";
/** The providers' test site keys (always pass, fail, or spent: docs/abuse-protection.md), which the stand-in serves. */
const TEST_SITE_KEYS = new Set(['1x00000000000000000000AA', '2x00000000000000000000AB', '3x00000000000000000000FF',
    '10000000-ffff-ffff-ffff-000000000001', '6LeIxAcTAAAAAJcZVRqyHh71UMIEGNQ_MXjiZKhI']);
/** The token each provider's test widget gives (reCAPTCHA's test key takes any). */
const TEST_TOKENS = { turnstile: 'XXXX.DUMMY.TOKEN.XXXX', hcaptcha: '10000000-aaaa-bbbb-cccc-000000000001', recaptcha: 'test-token' };
const NAMES = { turnstile: 'Cloudflare Turnstile', hcaptcha: 'hCaptcha', recaptcha: 'Google reCAPTCHA' };
/** Each provider's script (explicit rendering) and the global it defines; the page's CSP must allow its origin. */
const SCRIPTS = {
    turnstile: { src: 'https://challenges.cloudflare.com/turnstile/v0/api.js?render=explicit', global: 'turnstile' },
    hcaptcha: { src: 'https://js.hcaptcha.com/1/api.js?render=explicit', global: 'hcaptcha' },
    recaptcha: { src: 'https://www.google.com/recaptcha/api.js?render=explicit', global: 'grecaptcha' }
};
let config;
/** `Query.captcha`, asked once: the widget to render, or null when the server has no CAPTCHA. */
export async function captchaConfig() {
    config ??= auth.captcha().catch(() => { config = undefined; return null; });
    return await config;
}
function providerOf(name) {
    return name in NAMES ? name : undefined;
}
/** The development stand-in: a box that, ticked, gives the test token made unique (the stand-in siteverify accepts `<token>.<anything>`). */
function standIn(box, provider, action) {
    const tick = element('input', { type: 'checkbox', id: `${box.id}-check`, name: 'captcha' });
    box.replaceChildren(element('label', { class: 'check' }, tick, ' I am not a robot'), element('small', { class: 'hint' }, `A stand-in for ${NAMES[provider]} (its test key, development only).`));
    box.dataset.action = action;
    return {
        take: () => {
            if (!tick.checked)
                return null;
            tick.checked = false;
            return `${TEST_TOKENS[provider]}.${crypto.randomUUID()}`;
        }
    };
}
async function loadScript(provider) {
    const { src, global } = SCRIPTS[provider];
    const loaded = () => globalThis[global];
    if (loaded() === undefined) {
        await new Promise((resolve, reject) => {
            document.head.append(Object.assign(element('script', { src, async: '' }), { onload: resolve, onerror: () => reject(new Error(`${NAMES[provider]} did not load`)) }));
        });
    }
    for (let wait = 0; loaded() === undefined && wait < 50; wait++)
        await new Promise((resolve) => setTimeout(resolve, 100));
    const api = loaded();
    if (api === undefined)
        throw new Error(`${NAMES[provider]} did not load`);
    return api;
}
/** The provider's own widget, its script loaded from the provider (allowed by the page's CSP where a site uses one). */
function providerWidget(box, provider, siteKey, action) {
    let token = null;
    let reset = () => { };
    box.replaceChildren();
    loadScript(provider).then((api) => {
        const id = api.render(box, {
            sitekey: siteKey,
            ...(provider === 'turnstile' ? { action } : {}),
            callback: (value) => { token = value; },
            'expired-callback': () => { token = null; }
        });
        reset = () => { api.reset(id); };
    }).catch((error) => { box.replaceChildren(element('p', { class: 'hint' }, String(error.message))); });
    return { take: () => { const taken = token; token = null; reset(); return taken; } };
}
/**
 * Renders the widget into `container` for `action` (the input's field name, which Turnstile
 * checks), or hides it when the server has no CAPTCHA.
 */
export async function captchaWidget(container, action) {
    const found = await captchaConfig();
    const provider = found === null ? undefined : providerOf(found.provider);
    const box = $(container);
    box.hidden = found === null || provider === undefined;
    if (found === null || provider === undefined)
        return null;
    return TEST_SITE_KEYS.has(found.siteKey) ? standIn(box, provider, action) : providerWidget(box, provider, found.siteKey, action);
}
/**
 * A form's guard: runs a request with the widget's token (none until the server asked), and on
 * CAPTCHA_REQUIRED shows the widget for the next try. `always`: the widget is there from the
 * start (sign-up, which always needs a token where a provider is configured).
 */
export function captchaGuard(container, action, always = false) {
    let widget = always ? captchaWidget(container, action) : null;
    return async (run) => {
        const token = (await widget)?.take() ?? null;
        try {
            return await run(token);
        }
        catch (error) {
            if (error instanceof AuthError && error.code === 'CAPTCHA_REQUIRED' && widget === null) {
                // Shown beside the error: the keyboard starts at its box (the stand-in's; a provider's is a frame of its own).
                widget = captchaWidget(container, action).then((shown) => { document.querySelector(`${container} input`)?.focus(); return shown; });
            }
            throw error;
        }
    };
}
