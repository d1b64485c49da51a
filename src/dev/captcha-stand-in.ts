// A siteverify that answers as Turnstile, hCaptcha and reCAPTCHA do for their documented test keys: development's stand-in, and the tests'.
import type { CaptchaProvider } from '../abuse-config.ts'

/** What a siteverify answers (the fields the server reads). */
export interface SiteverifyAnswer {
  success: boolean
  'error-codes': string[]
  hostname?: string
  challenge_ts?: string
  action?: string
}

/** The providers' documented test secrets, and what each makes siteverify answer. */
const SECRETS: Record<string, { provider: CaptchaProvider, answer: 'pass' | 'fail' | 'spent' }> = {
  '1x0000000000000000000000000000000AA': { provider: 'turnstile', answer: 'pass' },
  '2x0000000000000000000000000000000AA': { provider: 'turnstile', answer: 'fail' },
  '3x0000000000000000000000000000000AA': { provider: 'turnstile', answer: 'spent' },
  '0x0000000000000000000000000000000000000000': { provider: 'hcaptcha', answer: 'pass' },
  '6LeIxAcTAAAAAGG-vFI1TnRWxMZNFuojJ4WifJWe': { provider: 'recaptcha', answer: 'pass' }
}

/** The token each provider's test widget gives (reCAPTCHA's test key accepts any). */
export const TEST_TOKENS: Record<CaptchaProvider, string | undefined> = {
  turnstile: 'XXXX.DUMMY.TOKEN.XXXX',
  hcaptcha: '10000000-aaaa-bbbb-cccc-000000000001',
  recaptcha: undefined
}

/** The test token made new (a stand-in widget's answer): the stand-in accepts the token followed by `.` and anything. */
export const freshTestToken = (provider: CaptchaProvider, nonce: string): string => `${TEST_TOKENS[provider] ?? 'test-token'}.${nonce}`

const failure = (code: string): SiteverifyAnswer => ({ success: false, 'error-codes': [code] })

/** What the stand-in answers to `secret` and `response` (a token), solved on `hostname`. */
export function standInAnswer (form: { secret?: string, response?: string }, hostname = 'localhost'): SiteverifyAnswer {
  const key = SECRETS[form.secret ?? '']
  if (key === undefined) return failure(form.secret === undefined ? 'missing-input-secret' : 'invalid-input-secret')
  const token = form.response ?? ''
  if (token === '') return failure('missing-input-response')
  const expected = TEST_TOKENS[key.provider]
  if (expected !== undefined && token !== expected && !token.startsWith(`${expected}.`)) return failure('invalid-input-response')
  if (key.answer === 'fail') return failure('invalid-input-response')
  if (key.answer === 'spent') return failure('timeout-or-duplicate')
  return { success: true, 'error-codes': [], hostname, challenge_ts: new Date().toISOString() }
}
