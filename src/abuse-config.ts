// PWNED_PASSWORDS and CAPTCHA_*, read and checked: where breached passwords are looked up, which CAPTCHA guards what.
import { Type } from '@sinclair/typebox'

/** The environment variables of abuse protection (spread into config.ts's EnvSchema). */
export const ABUSE_ENV = {
  /** `off`, or the base URL of a Have I Been Pwned–compatible range API for breached-password checks. */
  PWNED_PASSWORDS: Type.Optional(Type.String({ pattern: '^(off|https?://\\S+)$' })),
  /** What a password choice does when the range API is unreachable, too slow or answers garbage: `open` accepts it, `closed` refuses. */
  PWNED_PASSWORDS_UNREACHABLE: Type.Union([Type.Literal('open'), Type.Literal('closed')], { default: 'open' }),
  /** How long one range query may take, in milliseconds (and never past the request's Cognito budget). */
  PWNED_PASSWORDS_TIMEOUT_MS: Type.Integer({ default: 1500, minimum: 50, maximum: 10000 }),
  /** The CAPTCHA provider whose tokens sign-up (always) and sign-in attempts under attack need. */
  CAPTCHA_PROVIDER: Type.Optional(Type.Union([Type.Literal('turnstile'), Type.Literal('hcaptcha'), Type.Literal('recaptcha')])),
  CAPTCHA_SITE_KEY: Type.Optional(Type.String({ minLength: 1 })),
  CAPTCHA_SECRET: Type.Optional(Type.String({ minLength: 1 })),
  /** The provider's siteverify URL (default the provider's own; a local stand-in in development). */
  CAPTCHA_VERIFY_URL: Type.Optional(Type.String({ pattern: '^https?://' })),
  /** Failures per address or account in the window after which a CAPTCHA token is needed. */
  CAPTCHA_AFTER_FAILURES: Type.Integer({ default: 3, minimum: 0 }),
  /** What a request that needs a token does when the provider is unreachable: `closed` refuses (CAPTCHA_REQUIRED), `open` lets it through. */
  CAPTCHA_UNREACHABLE: Type.Union([Type.Literal('open'), Type.Literal('closed')], { default: 'closed' })
}

export type CaptchaProvider = 'turnstile' | 'hcaptcha' | 'recaptcha'

/** HIBP's public range API: `GET {base}/range/{first five hex characters of the SHA-1}`. */
export const HIBP_RANGE_API = 'https://api.pwnedpasswords.com'

/** Each provider's siteverify. */
export const SITEVERIFY: Record<CaptchaProvider, string> = {
  turnstile: 'https://challenges.cloudflare.com/turnstile/v0/siteverify',
  hcaptcha: 'https://api.hcaptcha.com/siteverify',
  recaptcha: 'https://www.google.com/recaptcha/api/siteverify'
}

/**
 * The providers' documented test keys (always pass): what development uses when CAPTCHA_PROVIDER
 * is set without keys, so that the widget and the stand-in siteverify work offline.
 */
export const TEST_KEYS: Record<CaptchaProvider, { siteKey: string, secret: string }> = {
  turnstile: { siteKey: '1x00000000000000000000AA', secret: '1x0000000000000000000000000000000AA' },
  hcaptcha: { siteKey: '10000000-ffff-ffff-ffff-000000000001', secret: '0x0000000000000000000000000000000000000000' },
  recaptcha: { siteKey: '6LeIxAcTAAAAAJcZVRqyHh71UMIEGNQ_MXjiZKhI', secret: '6LeIxAcTAAAAAGG-vFI1TnRWxMZNFuojJ4WifJWe' }
}

interface AbuseEnv {
  NODE_ENV: string
  HOST: string
  PORT: number
  PWNED_PASSWORDS?: string
  PWNED_PASSWORDS_UNREACHABLE: 'open' | 'closed'
  PWNED_PASSWORDS_TIMEOUT_MS: number
  CAPTCHA_PROVIDER?: CaptchaProvider
  CAPTCHA_SITE_KEY?: string
  CAPTCHA_SECRET?: string
  CAPTCHA_VERIFY_URL?: string
  CAPTCHA_AFTER_FAILURES: number
  CAPTCHA_UNREACHABLE: 'open' | 'closed'
}

/**
 * Abuse protection's configuration; `devServer` is this server's own loopback origin when the
 * embedded emulator runs (development without a pool), whose dev plugin serves the stand-ins.
 * Problems are pushed to `problems`, which the caller turns into one ConfigError.
 */
export function abuseOf (env: AbuseEnv, embedded: boolean, problems: string[]) {
  const standIn = embedded && env.NODE_ENV === 'development' ? `http://${env.HOST === '::1' ? '[::1]' : '127.0.0.1'}:${env.PORT}/dev` : undefined
  const pwned = env.PWNED_PASSWORDS ?? (env.NODE_ENV === 'test' ? 'off' : standIn !== undefined ? `${standIn}/pwned-passwords` : HIBP_RANGE_API)
  const provider = env.CAPTCHA_PROVIDER
  const testKeys = provider !== undefined && standIn !== undefined ? TEST_KEYS[provider] : undefined
  const siteKey = env.CAPTCHA_SITE_KEY ?? testKeys?.siteKey
  const secret = env.CAPTCHA_SECRET ?? testKeys?.secret
  if (provider !== undefined && (siteKey === undefined || secret === undefined)) problems.push('CAPTCHA_PROVIDER needs CAPTCHA_SITE_KEY and CAPTCHA_SECRET (the provider\'s keys for this site)')
  if (provider === undefined && (env.CAPTCHA_SITE_KEY ?? env.CAPTCHA_SECRET ?? env.CAPTCHA_VERIFY_URL) !== undefined) problems.push('CAPTCHA_SITE_KEY, CAPTCHA_SECRET and CAPTCHA_VERIFY_URL need CAPTCHA_PROVIDER (turnstile, hcaptcha or recaptcha)')
  return {
    /** The range API's base URL, or undefined when breached passwords are not checked. */
    pwnedPasswords: {
      url: pwned === 'off' ? undefined : pwned.replace(/\/+$/, ''),
      failOpen: env.PWNED_PASSWORDS_UNREACHABLE === 'open',
      timeoutMs: env.PWNED_PASSWORDS_TIMEOUT_MS
    },
    /** The CAPTCHA provider and its keys, or undefined when none is configured. */
    captcha: provider === undefined || siteKey === undefined || secret === undefined
      ? undefined
      : {
          provider,
          siteKey,
          secret,
          verifyUrl: env.CAPTCHA_VERIFY_URL ?? (standIn !== undefined ? `${standIn}/captcha/siteverify` : SITEVERIFY[provider]),
          afterFailures: env.CAPTCHA_AFTER_FAILURES,
          failOpen: env.CAPTCHA_UNREACHABLE === 'open'
        }
  }
}

export type AbuseConfig = ReturnType<typeof abuseOf>
