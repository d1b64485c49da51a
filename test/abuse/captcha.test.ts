import t from 'tap'
import type { Test } from 'tap'
import { loadConfig } from '../../src/config.ts'
import { build, Client, newEmail, PASSWORD, SIGN_UP } from '../helper.ts'
import { failsWith, RELAXED_LIMITS } from '../challenge-helpers.ts'
import { siteverify, token, TURNSTILE } from './siteverify.ts'

const SIGN_IN = 'mutation ($input: SignInInput!) { signIn(input: $input) { __typename } }'
const FORGOT = 'mutation ($input: ForgotPasswordInput!) { forgotPassword(input: $input) { destination } }'
const RESEND = 'mutation ($input: ResendConfirmationCodeInput!) { resendConfirmationCode(input: $input) { destination } }'
const CAPTCHA = '{ captcha { provider siteKey } }'

async function setUp (t: Test, env: Record<string, string> = {}) {
  const verify = await siteverify(t)
  const logs: string[] = []
  const app = await build(t, { env: { ...RELAXED_LIMITS, ...TURNSTILE, CAPTCHA_VERIFY_URL: verify.url, ...env }, logs })
  const events: Array<Record<string, unknown>> = []
  app.audit.on('event', (event) => events.push(event))
  return { verify, app, logs, events, client: new Client(app) }
}

/** A wrong password for `email`, from `address` (through the trusted proxy's X-Forwarded-For). */
const wrongPassword = async (client: Client, email: string, address = '203.0.113.1') =>
  await client.gql(SIGN_IN, { input: { email, password: 'Wrong-Guess-1' } }, { 'x-forwarded-for': address })

t.test('Query.captcha: null without a provider, the widget to render with one', async (t) => {
  t.same((await new Client(await build(t)).gql(CAPTCHA)).data, { captcha: null })
  const { client } = await setUp(t)
  t.same((await client.gql(CAPTCHA)).data, { captcha: { provider: 'turnstile', siteKey: TURNSTILE.CAPTCHA_SITE_KEY } })
})

t.test('signUp needs a token; each token is verified once, with the secret, the address and an idempotency key', async (t) => {
  const { verify, client, events, app } = await setUp(t)
  const email = newEmail('captcha')
  failsWith(t, await client.gql(SIGN_UP, { input: { email, password: PASSWORD } }), 'CAPTCHA_REQUIRED')
  t.same(verify.requests, [], 'no token: the provider is not asked')
  const good = token()
  const signUp = await client.gql(SIGN_UP, { input: { email, password: PASSWORD, captchaToken: good } })
  t.equal(signUp.errors, undefined, 'a valid test token signs up')
  t.match(verify.requests[0], { secret: TURNSTILE.CAPTCHA_SECRET, response: good, remoteip: '127.0.0.1', idempotency_key: /^[0-9a-f-]{36}$/ })

  failsWith(t, await client.gql(SIGN_UP, { input: { email: newEmail('replay'), password: PASSWORD, captchaToken: good } }), 'CAPTCHA_REQUIRED')
  t.equal(verify.requests.length, 1, 'a spent token is refused without asking the provider again')

  failsWith(t, await client.gql(SIGN_UP, { input: { email: newEmail('wrong'), password: PASSWORD, captchaToken: 'not-a-token' } }), 'CAPTCHA_REQUIRED', /CAPTCHA/)
  failsWith(t, await client.gql(SIGN_UP, { input: { email: newEmail('hcaptcha'), password: PASSWORD, captchaToken: token('hcaptcha') } }), 'CAPTCHA_REQUIRED')
  const expired = token()
  verify.expired.add(expired)
  failsWith(t, await client.gql(SIGN_UP, { input: { email: newEmail('expired'), password: PASSWORD, captchaToken: expired } }), 'CAPTCHA_REQUIRED')
  const elsewhere = token()
  verify.hostnames.set(elsewhere, 'evil.example')
  failsWith(t, await client.gql(SIGN_UP, { input: { email: newEmail('elsewhere'), password: PASSWORD, captchaToken: elsewhere } }), 'CAPTCHA_REQUIRED')
  const forSignIn = token()
  verify.actions.set(forSignIn, 'signIn')
  failsWith(t, await client.gql(SIGN_UP, { input: { email: newEmail('action'), password: PASSWORD, captchaToken: forSignIn } }), 'CAPTCHA_REQUIRED')
  const forSignUp = token()
  verify.actions.set(forSignUp, 'signUp')
  t.equal((await client.gql(SIGN_UP, { input: { email: newEmail('action'), password: PASSWORD, captchaToken: forSignUp } })).errors, undefined, 'a token for this action passes')

  const captchaEvents = events.filter((event) => event.event === 'captcha')
  t.same(captchaEvents.map((event) => event.outcome), ['challenge', 'success', 'failure', 'failure', 'failure', 'failure', 'failure', 'failure', 'success'])
  t.notMatch(JSON.stringify(events), new RegExp(`${good}|DUMMY|${TURNSTILE.CAPTCHA_SECRET}`), 'no audit event carries a token or the secret')
  const metrics = (await app.inject('/metrics')).body
  t.match(metrics, /abuse_checks_total\{check="captcha",outcome="required"\} 1/)
  t.match(metrics, /abuse_checks_total\{check="captcha",outcome="passed"\} 2/)
  t.match(metrics, /abuse_checks_total\{check="captcha",outcome="failed"\} 6/)
})

t.test('credential stuffing from one address across many accounts turns into CAPTCHA_REQUIRED', async (t) => {
  const { client, verify } = await setUp(t, { TRUST_PROXY: '1' })
  for (let i = 0; i < 3; i++) t.same((await wrongPassword(client, newEmail(`victim${i}`))).codes, ['INVALID_CREDENTIALS'], `failure ${i + 1} is a plain failure`)
  const next = newEmail('victim')
  t.same((await wrongPassword(client, next)).codes, ['CAPTCHA_REQUIRED'], 'the address has failed three times: the next account needs a token')
  for (const query of [FORGOT, RESEND]) {
    t.same((await client.gql(query, { input: { email: next } }, { 'x-forwarded-for': '203.0.113.1' })).codes, ['CAPTCHA_REQUIRED'], 'so do password resets and code requests from it')
  }
  t.same((await client.gql(SIGN_IN, { input: { email: next, method: 'EMAIL_CODE' } }, { 'x-forwarded-for': '203.0.113.1' })).codes, ['CAPTCHA_REQUIRED'], 'and a sign-in that sends a code')
  t.same((await wrongPassword(client, newEmail('other'), '198.51.100.7')).codes, ['INVALID_CREDENTIALS'], 'another address, another account: no token needed')

  const good = token()
  const withToken = await client.gql(SIGN_IN, { input: { email: next, password: 'Wrong-Guess-1', captchaToken: good } }, { 'x-forwarded-for': '203.0.113.1' })
  t.same(withToken.codes, ['INVALID_CREDENTIALS'], 'with a valid token the attempt goes through (to a wrong password)')
  t.equal(verify.requests.at(-1)?.remoteip, '203.0.113.1', 'siteverify is told the client\'s address as the trusted proxy gave it')
  const replay = await client.gql(SIGN_IN, { input: { email: next, password: 'Wrong-Guess-1', captchaToken: good } }, { 'x-forwarded-for': '203.0.113.1' })
  t.same(replay.codes, ['CAPTCHA_REQUIRED'], 'the spent token does not pass again')
  t.same((await client.gql(SIGN_IN, { input: { email: next, password: 'Wrong-Guess-1', captchaToken: 'XXXX.WRONG' } }, { 'x-forwarded-for': '203.0.113.1' })).codes, ['CAPTCHA_REQUIRED'], 'nor a wrong one')
})

t.test('credential stuffing from many addresses against one account turns into CAPTCHA_REQUIRED, and a good token lets the owner in', async (t) => {
  const { client } = await setUp(t, { TRUST_PROXY: '1' })
  const email = newEmail('target')
  t.equal((await client.gql(SIGN_UP, { input: { email, password: PASSWORD, captchaToken: token() } })).errors, undefined)
  await client.gql('mutation ($email: String!, $code: String!) { confirmSignUp(input: { email: $email, code: $code }) }', { email, code: await client.code(email) })
  for (let i = 0; i < 3; i++) t.same((await wrongPassword(client, email, `192.0.2.${10 + i}`)).codes, ['INVALID_CREDENTIALS'])
  const owner = new Client(client.app)
  const fresh = '198.51.100.200'
  t.same((await owner.gql(SIGN_IN, { input: { email, password: PASSWORD } }, { 'x-forwarded-for': fresh })).codes, ['CAPTCHA_REQUIRED'], 'the account has failed three times, from three addresses: a fourth address needs a token')
  const signIn = await owner.gql(SIGN_IN, { input: { email, password: PASSWORD, captchaToken: token() } }, { 'x-forwarded-for': fresh })
  t.equal(signIn.data?.signIn?.__typename, 'Session', 'the owner with a valid token signs in')
})

t.test('an unreachable provider: refused by default, let through with CAPTCHA_UNREACHABLE=open; logged and counted', async (t) => {
  const closed = await setUp(t)
  closed.verify.mode = 'garbage'
  failsWith(t, await closed.client.gql(SIGN_UP, { input: { email: newEmail('down'), password: PASSWORD, captchaToken: token() } }), 'CAPTCHA_REQUIRED')
  closed.verify.mode = 'down'
  failsWith(t, await closed.client.gql(SIGN_UP, { input: { email: newEmail('down'), password: PASSWORD, captchaToken: token() } }), 'CAPTCHA_REQUIRED')
  t.equal(closed.logs.filter((line) => line.includes('CAPTCHA provider is unreachable')).length, 2, 'each is logged')
  t.match((await closed.app.inject('/metrics')).body, /abuse_checks_total\{check="captcha",outcome="unreachable-closed"\} 2/)

  const open = await setUp(t, { CAPTCHA_UNREACHABLE: 'open' })
  open.verify.mode = 'down'
  t.equal((await open.client.gql(SIGN_UP, { input: { email: newEmail('open'), password: PASSWORD, captchaToken: token() } })).errors, undefined, 'fail open: the sign-up goes through')
  t.match((await open.app.inject('/metrics')).body, /abuse_checks_total\{check="captcha",outcome="unreachable-open"\} 1/)
})

t.test('the development stand-in siteverify accepts the providers\' documented test tokens', async (t) => {
  const app = await build(t)
  const verify = async (form: Record<string, string>) => (await app.inject({ method: 'POST', url: '/dev/captcha/siteverify', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(form).toString() })).json()
  t.match(await verify({ secret: TURNSTILE.CAPTCHA_SECRET, response: 'XXXX.DUMMY.TOKEN.XXXX' }), { success: true, hostname: 'localhost' })
  t.match(await verify({ secret: '2x0000000000000000000000000000000AA', response: 'XXXX.DUMMY.TOKEN.XXXX' }), { success: false })
  t.match(await verify({ secret: '3x0000000000000000000000000000000AA', response: 'XXXX.DUMMY.TOKEN.XXXX' }), { success: false, 'error-codes': ['timeout-or-duplicate'] })
  t.match(await verify({ secret: '0x0000000000000000000000000000000000000000', response: '10000000-aaaa-bbbb-cccc-000000000001' }), { success: true })
  t.match(await verify({ secret: '0x0000000000000000000000000000000000000000', response: 'XXXX.DUMMY.TOKEN.XXXX' }), { success: false }, 'a Turnstile token is no hCaptcha token')
  t.match(await verify({ secret: '6LeIxAcTAAAAAGG-vFI1TnRWxMZNFuojJ4WifJWe', response: 'anything' }), { success: true })
  t.match(await verify({ secret: 'a real secret', response: 'XXXX.DUMMY.TOKEN.XXXX' }), { success: false, 'error-codes': ['invalid-input-secret'] })
})

t.test('a provider without its keys, or keys without a provider, stops the start with the variables named', async (t) => {
  t.throws(() => loadConfig({ NODE_ENV: 'test', CAPTCHA_PROVIDER: 'hcaptcha' }), /CAPTCHA_PROVIDER needs CAPTCHA_SITE_KEY and CAPTCHA_SECRET/)
  t.throws(() => loadConfig({ NODE_ENV: 'test', CAPTCHA_SECRET: 'x' }), /need CAPTCHA_PROVIDER/)
  t.throws(() => loadConfig({ NODE_ENV: 'test', PWNED_PASSWORDS_UNREACHABLE: 'maybe' }), /PWNED_PASSWORDS_UNREACHABLE/)
  const development = loadConfig({ NODE_ENV: 'development', PORT: '4000', CAPTCHA_PROVIDER: 'turnstile' }).abuse
  t.match(development.captcha, { siteKey: '1x00000000000000000000AA', verifyUrl: 'http://127.0.0.1:4000/dev/captcha/siteverify' }, 'development with the emulator: the test keys and the stand-in')
  t.equal(development.pwnedPasswords.url, 'http://127.0.0.1:4000/dev/pwned-passwords', 'and the stand-in range API')
  t.equal(loadConfig({ NODE_ENV: 'test' }).abuse.pwnedPasswords.url, undefined, 'off under test unless set')
  const production = loadConfig({ NODE_ENV: 'production', COGNITO_USER_POOL_ID: 'eu-west-1_abc', COGNITO_CLIENT_ID: 'c', COOKIE_SECRET: 'x'.repeat(32), CAPTCHA_PROVIDER: 'recaptcha', CAPTCHA_SITE_KEY: 'site', CAPTCHA_SECRET: 'secret' }).abuse
  t.equal(production.pwnedPasswords.url, 'https://api.pwnedpasswords.com', 'production: HIBP\'s API')
  t.match(production.captcha, { verifyUrl: 'https://www.google.com/recaptcha/api/siteverify', failOpen: false }, 'and the provider\'s siteverify, failing closed')
})
