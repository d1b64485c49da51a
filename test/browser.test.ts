// The example SPA in a real browser (Debian's Chromium, driven by playwright-core), against the
// real server listening on a port: what `inject` cannot show about cookies, CORS and CSRF.
//
//   1. the whole journey on the API's own origin (http://localhost:<api>/spa/);
//   2. the same journey from a second origin of the same site (http://localhost:<spa>/), allowed
//      by CORS_ORIGINS;
//   3. an attacker page on a same-site origin that is NOT allowed (http://localhost:<evil>/):
//      Chromium sends it the user's cookies, and still no mutation gets through;
//   (4. GraphiQL with the session lives in test/graphiql-ui.test.ts, offline;)
//   5.–8. the SPA's other flows: a new confirmation code and a forgotten password; the profile
//      and an email change; an authenticator set up from its QR code, then turned off; deleting
//      the account; and no form field keeps a value once the user signs out;
//   and examples/spa/screenshot.png, the README's picture, taken on the way.
//
// The SPA sends its operations by hash only, so its journeys run on a server that accepts only
// the committed manifest (PERSISTED_OPERATIONS=only): that also proves the manifest holds every
// operation the SPA sends. 3 sends document texts, on a server in the default mode.
//
// Without /usr/bin/chromium (CHROMIUM_PATH to use another) the file says so and skips.
import { existsSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import type { FastifyInstance } from 'fastify'
import { generateSync } from 'otplib'
import { chromium, type Browser, type BrowserContext, type Cookie, type Page } from 'playwright-core'
import qrcode from 'qrcode-generator'
import t, { type Test } from 'tap'
import { serveSpa } from '../scripts/serve-spa.ts'
import { loadPersistedOperations } from '../src/graphql/persisted-operations.ts'
import { printApiSchema } from '../src/graphql/schema.ts'
import type { AuditEvent } from '../src/plugins/app/audit.ts'
import { buildSchema } from 'graphql'
import { RELAXED_LIMITS } from './challenge-helpers.ts'
import { build, Client, newEmail, PASSWORD, registerUser, SIGN_IN } from './helper.ts'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const CHROMIUM_ARGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync']
// The README's picture: rewritten only on request (UPDATE_SCREENSHOT=1), so a test run leaves the tree clean.
const SCREENSHOT = fileURLToPath(new URL(process.env.UPDATE_SCREENSHOT === '1' ? '../examples/spa/screenshot.png' : '../.tap/spa-screenshot.png', import.meta.url))
/** The authenticator setup with its QR code, for a person to look at (never committed). */
const TOTP_SCREENSHOT = fileURLToPath(new URL('../.tap/spa-totp-setup.png', import.meta.url))
/** The manifest the SPA's operations are registered in, written by `npm run codegen:spa`. */
const MANIFEST = fileURLToPath(new URL('../schema/persisted-operations.json', import.meta.url))
const SESSION_COOKIES = ['__Host-access', '__Host-id', '__Host-refresh']
const CSRF_MESSAGE = 'This operation has been blocked as a potential Cross-Site Request Forgery (CSRF).'
const NEW_PASSWORD = 'Battery-Staple-42'
/** What a cross-site request forger wants: every session of the user ended. */
const ATTACK = 'mutation { signOut(input: { everywhere: true }) }'
const WAIT_MS = 20_000

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * An authenticator app for one secret. Each code is accepted once (the server refuses a replay),
 * and the server takes the 30-second step either side of now, so a journey that needs several
 * codes takes the current step's, then the next one's, then the previous one's (unless that is
 * about to fall out of the window), and only then waits for a new step.
 */
class Authenticator {
  readonly used = new Set<string>()
  readonly secret: string
  constructor (secret: string) {
    this.secret = secret
  }

  async code (): Promise<string> {
    for (;;) {
      const now = Date.now() / 1000
      const step = Math.floor(now / 30)
      const left = (step + 1) * 30 - now
      for (const candidate of [step, step + 1, ...(left > 5 ? [step - 1] : [])]) {
        const code = generateSync({ secret: this.secret, epoch: candidate * 30 })
        if (!this.used.has(code)) {
          this.used.add(code)
          return code
        }
      }
      await sleep(left * 1000 + 250)
    }
  }
}

// The page's globals used by the functions that run in it (this project compiles without the DOM library).
interface Element {
  hidden: boolean
  textContent: string | null
  value: string
  name: string
  type: string
  checked: boolean
  form: { id: string } | null
  dataset: Record<string, string | undefined>
}
declare const document: {
  querySelector: (selector: string) => Element | null
  querySelectorAll: (selector: string) => ArrayLike<Element>
  cookie: string
}

/** What `until` waits for in the SPA: an element shown, an element's text or an input's value. */
interface Condition {
  shown?: string
  hidden?: string
  text?: [selector: string, includes: string]
  value?: [selector: string, pattern: string]
}

/**
 * Waits until the page meets `condition`; fails at once with the text the SPA shows in #error.
 * (A function, not a string: the page's CSP has no 'unsafe-eval', which string predicates need.)
 */
async function until (page: Page, condition: Condition): Promise<void> {
  await page.waitForFunction((c: Condition) => {
    const $ = (selector: string) => document.querySelector(selector) as Element
    if (!$('#error').hidden) return true
    return (c.shown === undefined || !$(c.shown).hidden) &&
      (c.hidden === undefined || $(c.hidden).hidden) &&
      (c.text === undefined || ($(c.text[0]).textContent ?? '').includes(c.text[1])) &&
      (c.value === undefined || new RegExp(c.value[1]).test($(c.value[0]).value))
  }, condition, { timeout: WAIT_MS })
  const error = await page.evaluate(() => {
    const shown = document.querySelector('#error') as Element
    return shown.hidden ? null : shown.textContent
  })
  if (error !== null) throw new Error(`the SPA shows an error: ${error}`)
}

/** Waits for the SPA to show an error; its code (data-code) and the sentence shown. */
async function untilError (page: Page): Promise<{ code: string | undefined, sentence: string | null }> {
  await page.waitForFunction(() => !(document.querySelector('#error') as Element).hidden, undefined, { timeout: WAIT_MS })
  return await page.evaluate(() => {
    const shown = document.querySelector('#error') as Element
    return { code: shown.dataset.code, sentence: shown.textContent }
  })
}

/** Submits one of the SPA's forms with its submit button. */
async function submit (page: Page, form: string): Promise<void> {
  await page.click(`#${form} button:not([type=button])`)
}

/** The fields of the page that hold something (`form-id field-name`): a text, a choice, a ticked box. */
async function filledFields (page: Page): Promise<string[]> {
  return await page.evaluate(() => Array.from(document.querySelectorAll('input, select, textarea'))
    .filter((field) => field.type === 'checkbox' || field.type === 'radio' ? field.checked : field.value !== '')
    .map((field) => `${field.form?.id ?? '(no form)'} ${field.name}`))
}

/** No field of any form keeps a value: no password, code or address stays in the page. */
async function checkFormsEmpty (t: Test, page: Page, when: string): Promise<void> {
  t.same(await filledFields(page), [], `${when}: every field of every form is empty`)
}

async function cookiesOf (context: BrowserContext, api: string): Promise<Map<string, Cookie>> {
  return new Map((await context.cookies(api)).map((cookie) => [cookie.name, cookie]))
}

/** The cookies as Chromium stored them: HttpOnly, Secure, SameSite=Strict, host-only, Path=/; and none visible to the page. */
async function checkCookies (t: Test, page: Page, context: BrowserContext, api: string, expected: string[]): Promise<void> {
  const jar = await cookiesOf(context, api)
  for (const name of expected) {
    const cookie = jar.get(name)
    if (cookie === undefined) {
      t.fail(`Chromium holds ${name}`, { found: [...jar.keys()] })
      continue
    }
    t.match(cookie, { httpOnly: true, secure: true, sameSite: 'Strict', path: '/', domain: 'localhost' }, `${name}: HttpOnly, Secure, SameSite=Strict, host-only, Path=/`)
  }
  t.equal(await page.evaluate(() => document.cookie), '', `document.cookie on ${new URL(page.url()).origin} is empty: no cookie of the server is readable by script`)
}

/** The SPA's operations in the manifest, by operation name (`SignIn` → its hash). */
function manifestHashes (): Map<string, string> {
  const operations = loadPersistedOperations(MANIFEST, buildSchema(printApiSchema()))
  const byName = new Map<string, string>()
  for (const [hash, document] of operations) {
    const name = /\b(?:query|mutation) (\w+)/.exec(document)?.[1]
    if (name !== undefined) byName.set(name, hash)
  }
  return byName
}

/**
 * Runs one of the SPA's operations by its hash, as the SPA sends it, from Node: the server-side
 * view of an account (which password signs in) on a server that accepts nothing else.
 */
async function persisted (app: FastifyInstance, operation: string, variables: Record<string, unknown>): Promise<{ codes: string[], data: Record<string, any> | null | undefined }> {
  const sha256Hash = manifestHashes().get(operation)
  if (sha256Hash === undefined) throw new Error(`the manifest has no operation ${operation}`)
  const response = await app.inject({
    method: 'POST',
    url: '/graphql',
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({ variables, extensions: { persistedQuery: { version: 1, sha256Hash } } })
  })
  const body = response.json()
  return { data: body.data, codes: (body.errors ?? []).map((e: { extensions: { code: string } }) => e.extensions.code) }
}

/** How a sign-in with this password goes, by the SPA's own SignIn: a code, a challenge name or `Session`. */
async function signInOutcome (app: FastifyInstance, email: string, password: string): Promise<string | undefined> {
  const { data, codes } = await persisted(app, 'SignIn', { input: { email, password } })
  return codes[0] ?? data?.signIn?.name ?? data?.signIn?.__typename
}

/** The codes the dev mailbox holds for `to`, newest first. */
async function mailbox (app: FastifyInstance, to: string): Promise<string[]> {
  const response = await app.inject({ method: 'GET', url: `/dev/mailbox?to=${encodeURIComponent(to)}` })
  return (response.json() as Array<{ code: string }>).map((message) => message.code)
}

/** The modules of the QR code of `text` (`column,row` of each dark one), as qrcode-generator makes it. */
function qrModules (text: string): string[] {
  const qr = qrcode(0, 'M')
  qr.addData(text)
  qr.make()
  const dark: string[] = []
  for (let row = 0; row < qr.getModuleCount(); row++) {
    for (let column = 0; column < qr.getModuleCount(); column++) if (qr.isDark(row, column)) dark.push(`${column},${row}`)
  }
  return dark.sort()
}

/** The SPA opened in a fresh browser context, with every script and console error collected. */
async function openSpa (t: Test, browser: Browser, url: string): Promise<{ context: BrowserContext, page: Page, problems: string[] }> {
  const context = await browser.newContext({ viewport: { width: 900, height: 1000 } })
  t.teardown(() => context.close())
  const page = await context.newPage()
  const problems: string[] = []
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`))
  page.on('console', (message) => { if (message.type() === 'error') problems.push(`console: ${message.text()} (${message.location().url})`) })
  const response = await page.goto(url)
  t.equal(response?.status(), 200, `${url} is served`)
  await until(page, { shown: '#signed-out' })
  return { context, page, problems }
}

/** Registers an account with the SPA's own operations (by hash), confirmed with the mailbox's code. */
async function registerByHash (app: FastifyInstance, label: string): Promise<string> {
  const email = newEmail(label)
  const signUp = await persisted(app, 'SignUp', { input: { email, password: PASSWORD } })
  const confirm = await persisted(app, 'ConfirmSignUp', { input: { email, code: (await mailbox(app, email))[0] } })
  if (signUp.codes.length > 0 || confirm.data?.confirmSignUp !== true) throw new Error(`registration failed: ${JSON.stringify([signUp, confirm])}`)
  return email
}

/** Signs in through the SPA's form, with no second factor. */
async function signIn (page: Page, email: string, password = PASSWORD): Promise<void> {
  await page.fill('#sign-in [name=email]', email)
  await page.fill('#sign-in [name=password]', password)
  await submit(page, 'sign-in')
  await until(page, { shown: '#signed-in', text: ['#me', email] })
}

async function signOut (page: Page): Promise<void> {
  await submit(page, 'sign-out')
  await until(page, { shown: '#signed-out', text: ['#notice', 'Signed out'] })
}

interface Journey {
  /** Where the SPA is opened. */
  url: string
  /** The API origin whose cookies Chromium keeps. */
  api: string
  email: string
  name: string
  screenshot?: string
}

/**
 * The whole journey a person takes in the SPA: sign up, read the code from the dev mailbox,
 * confirm, sign in, set up an authenticator, sign out, sign in again through the TOTP challenge,
 * change the password (another TOTP challenge), sign out everywhere.
 */
async function journey (t: Test, browser: Browser, app: FastifyInstance, options: Journey): Promise<void> {
  const { url, api, email, name } = options
  const { context, page, problems } = await openSpa(t, browser, url)
  t.equal(await page.textContent('#api'), api, 'the SPA talks to the API origin')

  // Sign up; the code comes from GET /dev/mailbox; confirm.
  await page.fill('#sign-up [name=email]', email)
  await page.fill('#sign-up [name=password]', PASSWORD)
  await page.fill('#sign-up [name=name]', name)
  await submit(page, 'sign-up')
  await until(page, { text: ['#notice', 'a code was sent to'] })
  t.same([await page.inputValue('#sign-up [name=email]'), await page.inputValue('#sign-up [name=password]')], ['', ''], 'the sign-up form emptied itself: no password stays in the page')
  t.equal(await page.inputValue('#confirm [name=email]'), email, 'the confirm form has the email')
  await page.click('#confirm [data-mailbox]')
  await until(page, { value: ['#confirm [name=code]', '^\\d{6}$'] })
  await submit(page, 'confirm')
  await until(page, { text: ['#notice', 'Email confirmed'] })
  t.pass('signed up and confirmed with the code from the dev mailbox')

  // Sign in: the session is in cookies the page cannot read.
  t.equal(await page.inputValue('#sign-in [name=email]'), email, 'the sign-in form has the email')
  await page.fill('#sign-in [name=password]', PASSWORD)
  await submit(page, 'sign-in')
  await until(page, { shown: '#signed-in' })
  t.match(await page.textContent('#me'), email, 'me shows the user')
  t.match(await page.textContent('#me'), name, 'and the name given at sign-up')
  await checkCookies(t, page, context, api, [...SESSION_COOKIES, '__Host-device'])

  // Set up an authenticator: the current password, then the secret and URI, then a first code.
  await page.fill('#setup-totp [name=currentPassword]', PASSWORD)
  await submit(page, 'setup-totp')
  await until(page, { shown: '#verify-totp' }) // shown once the secret is in
  const secret = await page.textContent('#totp-secret') ?? ''
  t.match(secret, /^[A-Z2-7]{16,}$/, 'the page shows a base32 secret')
  t.match(await page.textContent('#totp-uri'), 'otpauth://totp/', 'and the otpauth URI')
  t.match(await page.textContent('#totp-uri'), `secret=${secret}`, 'with the secret in it')
  const authenticator = new Authenticator(secret)
  await page.fill('#verify-totp [name=code]', await authenticator.code())
  await submit(page, 'verify-totp')
  await until(page, { hidden: '#verify-totp', text: ['#me', 'TOTP'] })
  t.pass('TOTP set up and verified')

  // Sign out, then in again: a SOFTWARE_TOKEN_MFA challenge, held in its own HttpOnly cookie.
  await submit(page, 'sign-out')
  await until(page, { shown: '#signed-out' })
  const afterSignOut = await cookiesOf(context, api)
  t.same(SESSION_COOKIES.filter((name) => afterSignOut.has(name)), [], 'signOut cleared the session cookies in Chromium')
  await checkFormsEmpty(t, page, 'after the sign-out')
  await page.fill('#sign-in [name=email]', email)
  await page.fill('#sign-in [name=password]', PASSWORD)
  await submit(page, 'sign-in')
  await until(page, { shown: '#challenge' })
  t.equal(await page.textContent('#challenge-name'), 'SOFTWARE_TOKEN_MFA', 'signIn asks for the authenticator code')
  t.notOk((await cookiesOf(context, api)).has('__Host-access'), 'no session before the code')
  await checkCookies(t, page, context, api, ['__Host-challenge'])
  await page.fill('#challenge-form [name=code]', await authenticator.code())
  await submit(page, 'challenge-form')
  await until(page, { shown: '#signed-in' })
  t.match(await page.textContent('#me'), /MFA\s*TOTP/, 'signed in through the challenge; me shows TOTP')
  t.notOk((await cookiesOf(context, api)).has('__Host-challenge'), 'the challenge cookie is gone')
  await checkCookies(t, page, context, api, SESSION_COOKIES)
  if (options.screenshot !== undefined) {
    await page.screenshot({ path: options.screenshot, fullPage: true })
    t.pass(`screenshot of the signed-in SPA: ${options.screenshot}`)
  }

  // Change the password: this session is signed in again with it, so TOTP is asked for again.
  await page.fill('#change-password [name=currentPassword]', PASSWORD)
  await page.fill('#change-password [name=newPassword]', NEW_PASSWORD)
  await submit(page, 'change-password')
  await until(page, { shown: '#challenge' })
  t.equal(await page.textContent('#challenge-name'), 'SOFTWARE_TOKEN_MFA', 'changePassword signs in again through the challenge')
  await page.fill('#challenge-form [name=code]', await authenticator.code())
  await submit(page, 'challenge-form')
  await until(page, { shown: '#signed-in' })
  t.equal(await signInOutcome(app, email, PASSWORD), 'INVALID_CREDENTIALS', 'the old password is refused')
  t.equal(await signInOutcome(app, email, NEW_PASSWORD), 'SOFTWARE_TOKEN_MFA', 'the new one is taken')

  // A reload keeps the session (the page asks `me`); sign out everywhere ends it.
  await page.reload()
  await until(page, { shown: '#signed-in', text: ['#me', email] })
  await page.check('#sign-out [name=everywhere]')
  await submit(page, 'sign-out')
  await until(page, { shown: '#signed-out', text: ['#notice', 'every device'] })
  await checkFormsEmpty(t, page, 'after the sign-out everywhere')
  await page.reload()
  await until(page, { shown: '#signed-out' })
  t.same([...(await cookiesOf(context, api)).keys()].filter((name) => SESSION_COOKIES.includes(name)), [], 'no session cookie is left')

  t.same(problems, [], 'no script error and no console error (a CSP violation or a failed load would be one)')
}

/** Listens on a free loopback port (the attacker's page); resolves to the port. */
async function listen (server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return (server.address() as AddressInfo).port
}

/** A request as the API server saw it, and what it answered. */
interface Seen {
  method: string
  path: string
  origin: string | undefined
  contentType: string | undefined
  /** The names of the cookies the request carried. */
  cookies: string[]
  status?: number
  allowOrigin?: string
  body: string
}

/**
 * Records every request the API's HTTP server receives, from a second 'request' listener beside
 * Fastify's: the server-side view of what Chromium sent (which Playwright does not fully show:
 * no preflights, no cookie header, no body of an answer the page may not read).
 */
function recordRequests (server: Server): Seen[] {
  const seen: Seen[] = []
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const entry: Seen = {
      method: request.method ?? '',
      path: (request.url ?? '').split('?')[0] ?? '',
      origin: request.headers.origin,
      contentType: request.headers['content-type'],
      cookies: (request.headers.cookie ?? '').split(';').map((pair) => pair.split('=')[0]?.trim() ?? '').filter((name) => name !== ''),
      body: ''
    }
    seen.push(entry)
    const end = response.end.bind(response) as (...args: unknown[]) => ServerResponse
    response.end = ((...args: unknown[]) => {
      const [chunk] = args
      if (typeof chunk === 'string' || Buffer.isBuffer(chunk)) entry.body += String(chunk)
      entry.status = response.statusCode
      const allowOrigin = response.getHeader('access-control-allow-origin')
      if (allowOrigin !== undefined) entry.allowOrigin = String(allowOrigin)
      return end(...args)
    }) as ServerResponse['end']
  })
  return seen
}

if (!existsSync(CHROMIUM)) {
  const reason = `no Chromium at ${CHROMIUM} (Debian: apt-get install chromium; or set CHROMIUM_PATH)`
  console.log(`# SKIP browser tests: ${reason}`)
  t.plan(0, reason)
} else {
  t.test('the example SPA and the session cookies in Chromium', { timeout: 300_000 }, async (t) => {
    // Playwright gives each launch a fresh temporary user-data dir, removed at close.
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
    t.teardown(() => browser.close())

    // The SPA's second origin (the repository's script), and the attacker's page.
    const spa = await serveSpa(0)
    t.teardown(() => new Promise((resolve) => spa.close(resolve)))
    const attackerRequests: string[] = []
    const attacker = createServer((request, response) => {
      attackerRequests.push(request.headers.cookie ?? '')
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>A page that wants your session</title><h1>Win a prize</h1>')
    })
    const attackerPort = await listen(attacker)
    t.teardown(() => new Promise((resolve) => attacker.close(resolve)))
    const spaOrigin = `http://localhost:${spa.port}`
    const attackerOrigin = `http://localhost:${attackerPort}`

    const env = { ...RELAXED_LIMITS, RATE_LIMITS: JSON.stringify({ ...JSON.parse(RELAXED_LIMITS.RATE_LIMITS), 'signUp.address': { max: 1000 }, 'delivery.email': { max: 1000 } }), CORS_ORIGINS: spaOrigin }
    // The SPA's server: only the operations of the committed manifest, sent by hash.
    const spaApp = await build(t, { env: { ...env, PERSISTED_OPERATIONS: 'only', PERSISTED_OPERATIONS_MANIFEST: MANIFEST } })
    await spaApp.listen({ port: 0, host: '127.0.0.1' })
    const spaApi = `http://localhost:${(spaApp.server.address() as AddressInfo).port}`
    // The server of 3 and 4, in the default mode: document texts.
    const events: AuditEvent[] = []
    const app = await build(t, { env, onAuditEvent: (event) => events.push(event) })
    await app.listen({ port: 0, host: '127.0.0.1' })
    const seen = recordRequests(app.server)
    const api = `http://localhost:${(app.server.address() as AddressInfo).port}`

    /** A browser context whose user signed in from a page of the API's origin, by a document text. */
    async function signedInContext (label: string) {
      const email = await registerUser(new Client(app), newEmail(label))
      const context = await browser.newContext()
      t.teardown(() => context.close())
      const page = await context.newPage()
      // An HTML page of the API's origin: its JSON answers carry CSP default-src 'none', under which a document can fetch nothing.
      await page.goto(`${api}/spa/`)
      const id = await page.evaluate(async ({ query, email, password }) => {
        const res = await fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables: { email, password } }) })
        return ((await res.json()) as { data: { signIn: { user: { id: string } } } }).data.signIn.user.id
      }, { query: SIGN_IN, email, password: PASSWORD })
      return { context, page, email, id }
    }

    /** The user the session of `page` (a page of the API's origin) belongs to, asked by a document text. */
    async function whoIs (page: Page): Promise<string | undefined> {
      return await page.evaluate(async () => {
        const res = await fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ me { email } }' }) })
        return ((await res.json()) as { data?: { me: { email: string } | null } }).data?.me?.email
      })
    }

    await t.test('1. same origin: the whole journey at /spa/, served by the server with its CSP', async (t) => {
      const page = await spaApp.inject('/spa/')
      t.match(page.headers['content-security-policy'], /script-src 'self'/, 'helmet\'s CSP is on the page (and the journey shows it allows it)')
      t.equal((await spaApp.inject('/spa')).headers.location, '/spa/', '/spa redirects to /spa/')
      const served = await spaApp.inject('/spa/vendor/qrcode-generator.js')
      t.match([served.statusCode, served.headers['content-type']], [200, /^text\/javascript/], 'the QR code library is served from node_modules')
      t.equal((await spaApp.inject('/spa/js/main.js')).statusCode, 200, 'and the compiled modules')
      for (const path of ['/spa/../package.json', '/spa/src/main.ts', '/spa/tsconfig.json', '/spa/js/../../../package.json', '/spa/vendor/qrcode-generator.d.ts', '/spa/vendor/qrcode.js', '/spa/node_modules/qrcode-generator/package.json']) {
        t.equal((await spaApp.inject(path)).statusCode, 404, `nothing but the SPA's files: ${path}`)
      }
      await journey(t, browser, spaApp, { url: `${spaApi}/spa/`, api: spaApi, email: 'ada@example.com', name: 'Ada Lovelace', screenshot: SCREENSHOT })
    })

    await t.test('2. second origin of the same site, allowed by CORS_ORIGINS: the same journey', async (t) => {
      t.equal((await fetch(`${spaOrigin}/vendor/qrcode-generator.js`)).status, 200, 'npm run spa serves the same files')
      t.equal((await fetch(`${spaOrigin}/src/main.ts`)).status, 404, 'and nothing else')
      await journey(t, browser, spaApp, { url: `${spaOrigin}/?api=${spaApi}`, api: spaApi, email: newEmail('grace'), name: 'Grace Hopper' })
    })

    await t.test('3. an attacker page on a same-site origin that is not allowed cannot use the session', async (t) => {
      const victim = await signedInContext('victim')
      const evil = await victim.context.newPage()
      const signOutsBefore = events.filter((e) => e.event === 'sign-out').length

      await evil.goto(`${attackerOrigin}/`)
      // Cookies are not isolated by port: Chromium even sends the API's __Host- cookies to the
      // attacker's server on localhost. (On a real deployment the attacker is a sibling host,
      // say blog.example.com, which gets no __Host- cookie but is still same-site: the requests
      // below are what it can do.)
      t.match(attackerRequests.at(-1), /__Host-access=/, 'Chromium treats the attacker origin as same-site and sends it the cookies of localhost')

      /** What the API server received from the attacker's origin since `from`. */
      const fromAttacker = (from: number) => seen.slice(from).filter((r) => r.origin === attackerOrigin && r.path === '/graphql')

      // (a) JSON POST with credentials: needs a CORS preflight, which the allowlist refuses, so
      //     the POST is never sent.
      //     DEPENDS ON the CORS allowlist (CORS_ORIGINS): with any origin allowed, this would sign the user out.
      let mark = seen.length
      const json = await evil.evaluate(async ({ api, query }) => {
        try {
          const res = await fetch(`${api}/graphql`, { method: 'POST', credentials: 'include', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) })
          return `answered ${res.status}: ${await res.text()}`
        } catch (err) {
          return `refused: ${String(err)}`
        }
      }, { api, query: ATTACK })
      t.match(json, /^refused: TypeError/, 'the JSON fetch is refused by the browser')
      const preflights = fromAttacker(mark)
      t.match(preflights, [{ method: 'OPTIONS' }], 'the server saw the preflight, and nothing else: the POST was never sent')
      t.equal(preflights.length, 1, 'exactly one request')
      t.equal(preflights[0]?.allowOrigin, undefined, 'the preflight granted the attacker origin nothing (CORS allowlist)')
      const allowed = await fetch(`${api}/graphql`, {
        method: 'OPTIONS',
        headers: { origin: spaOrigin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' }
      })
      t.equal(allowed.headers.get('access-control-allow-origin'), spaOrigin, 'while the allowed origin gets its grant (control)')

      // (b) A "simple" text/plain POST: no preflight, so it reaches the server with the cookies.
      //     DEPENDS ON CSRF prevention (csrfPrevention in Mercurius): the 400 must carry its message
      //     (the body-shape check would refuse this body too, but with another message).
      mark = seen.length
      const simple = await evil.evaluate(async ({ api, query }) => {
        try {
          const res = await fetch(`${api}/graphql`, { method: 'POST', credentials: 'include', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ query }) })
          return `answered ${res.status}`
        } catch (err) {
          return `refused: ${String(err)}`
        }
      }, { api, query: ATTACK })
      t.match(simple, /^refused: TypeError/, 'the page cannot read the answer (no CORS grant)')
      const [post] = fromAttacker(mark)
      t.match(post, { method: 'POST', contentType: 'text/plain' }, 'the POST reached the server')
      t.ok(SESSION_COOKIES.every((name) => post?.cookies.includes(name)), 'with the session cookies: SameSite=Strict does not stop a same-site page')
      t.equal(post?.status, 400, 'the server answered 400')
      t.match(post?.body, CSRF_MESSAGE, 'refused by CSRF prevention')

      // (c) Form POSTs (top-level navigations, which carry SameSite=Strict cookies between same-site pages).
      //     DEPENDS ON CSRF prevention as well (without it: 400 for a body that is no object, 415 for urlencoded).
      for (const enctype of ['text/plain', 'application/x-www-form-urlencoded']) {
        const page = await victim.context.newPage()
        await page.goto(`${attackerOrigin}/`)
        mark = seen.length
        const navigation = page.waitForResponse((res) => res.url() === `${api}/graphql` && res.request().method() === 'POST')
        // text/plain sends `name=value`: `{"query":"…","x":"="}` is JSON, the classic trick.
        await page.evaluate(`(() => {
          const form = document.createElement('form')
          form.method = 'POST'
          form.action = ${JSON.stringify(`${api}/graphql`)}
          form.enctype = ${JSON.stringify(enctype)}
          const input = document.createElement('input')
          input.name = ${JSON.stringify(`{"query":${JSON.stringify(ATTACK)},"x":"`)}
          input.value = '"}'
          form.append(input)
          document.body.append(form)
          form.submit()
        })()`)
        const answer = await navigation
        // The answer arrives before the page has moved to it: closing a page mid-navigation can hang.
        await page.waitForURL(`${api}/graphql`, { timeout: WAIT_MS })
        t.equal(answer.status(), 400, `${enctype} form: the browser shows a 400`)
        const [received] = fromAttacker(mark)
        t.match(received, { method: 'POST', contentType: enctype, status: 400 }, `${enctype} form: the POST reached the server`)
        t.ok(SESSION_COOKIES.every((name) => received?.cookies.includes(name)), `${enctype} form: with the session cookies`)
        t.match(received?.body, CSRF_MESSAGE, `${enctype} form: refused by CSRF prevention`)
        await page.close()
      }

      // The proof: no sign-out happened, the session still works, its cookies are all there.
      t.equal(events.filter((e) => e.event === 'sign-out').length, signOutsBefore, 'no signOut ever ran')
      await victim.page.reload()
      t.equal(await whoIs(victim.page), victim.email, 'the user is still signed in')
      const jar = await cookiesOf(victim.context, api)
      t.same(SESSION_COOKIES.filter((name) => jar.has(name)), SESSION_COOKIES, 'and keeps every session cookie')
    })

    await t.test('5. a new confirmation code, and a forgotten password reset with the emailed code', async (t) => {
      const { context, page, problems } = await openSpa(t, browser, `${spaApi}/spa/`)
      const email = newEmail('forgot')
      await page.fill('#sign-up [name=email]', email)
      await page.fill('#sign-up [name=password]', PASSWORD)
      await submit(page, 'sign-up')
      await until(page, { text: ['#notice', 'a code was sent to'] })

      // Resend the confirmation code: the newest one confirms.
      await page.click('#resend-code')
      await until(page, { text: ['#notice', 'A new code was sent to'] })
      const codes = await mailbox(spaApp, email)
      t.equal(codes.length, 2, 'resendConfirmationCode sent a second code')
      await page.click('#confirm [data-mailbox]')
      await until(page, { value: ['#confirm [name=code]', `^${codes[0]}$`] })
      await submit(page, 'confirm')
      await until(page, { text: ['#notice', 'Email confirmed'] })
      t.pass('confirmed with the new code')

      // Forgot the password: a reset code by email; a wrong code first, shown as a sentence.
      await page.fill('#reset-password [name=email]', email)
      await page.click('#forgot-password')
      await until(page, { text: ['#notice', 'A reset code was sent to'] })
      const [resetCode] = await mailbox(spaApp, email)
      await page.fill('#reset-password [name=code]', resetCode === '000000' ? '111111' : '000000')
      await page.fill('#reset-password [name=newPassword]', NEW_PASSWORD)
      await submit(page, 'reset-password')
      t.same(await untilError(page), { code: 'CODE_MISMATCH', sentence: 'That code is not right: check it and try again.' }, 'a wrong code: the error is told by its code, in a sentence')
      await page.click('#reset-password [data-mailbox]')
      await until(page, { value: ['#reset-password [name=code]', `^${resetCode}$`] })
      await submit(page, 'reset-password')
      await until(page, { text: ['#notice', 'Password reset'] })
      t.same([await page.inputValue('#reset-password [name=code]'), await page.inputValue('#reset-password [name=newPassword]')], ['', ''], 'the reset form emptied itself')
      t.equal(await signInOutcome(spaApp, email, PASSWORD), 'INVALID_CREDENTIALS', 'the old password is refused')

      t.equal(await page.inputValue('#sign-in [name=email]'), email, 'the sign-in form has the email')
      await signIn(page, email, NEW_PASSWORD)
      await checkCookies(t, page, context, spaApi, SESSION_COOKIES)
      await signOut(page)
      await checkFormsEmpty(t, page, 'after the sign-out')
      t.same(problems, [], 'no script error and no console error')
    })

    await t.test('6. the profile: a name, and an email change verified with the code sent to the new address', async (t) => {
      const { page, problems } = await openSpa(t, browser, `${spaApi}/spa/`)
      const email = await registerByHash(spaApp, 'profile')
      await signIn(page, email)

      await page.fill('#profile [name=name]', 'Ada Byron')
      await submit(page, 'profile')
      await until(page, { text: ['#notice', 'Name saved'] })
      t.match(await page.textContent('#me'), /name\s*Ada Byron/, 'me shows the new name')
      t.equal(await page.inputValue('#profile [name=name]'), '', 'the profile form emptied itself')

      const newAddress = newEmail('moved')
      await page.fill('#change-email [name=email]', newAddress)
      await page.fill('#change-email [name=currentPassword]', PASSWORD)
      await submit(page, 'change-email')
      await until(page, { shown: '#verify-email', text: ['#verify-email-help', newAddress] })
      t.match(await page.textContent('#me'), email, 'the old address stays the sign-in email until the new one is verified')
      t.same(await filledFields(page), [], 'the change-email form emptied itself: no password stays in the page')

      await page.click('#resend-email-code')
      await until(page, { text: ['#notice', 'A new code was sent to'] })
      t.equal((await mailbox(spaApp, newAddress)).length, 2, 'resendEmailVerificationCode sent a second code to the new address')
      await page.click('#verify-email [data-mailbox]')
      await until(page, { value: ['#verify-email [name=code]', '^\\d{6}$'] })
      await submit(page, 'verify-email')
      await until(page, { hidden: '#verify-email', text: ['#notice', 'Email verified'] })
      t.match(await page.textContent('#me'), newAddress, 'me shows the new address')
      t.match(await page.textContent('#me'), /email verified\s*yes/, 'verified')

      await signOut(page)
      await checkFormsEmpty(t, page, 'after the sign-out')
      t.equal(await signInOutcome(spaApp, email, PASSWORD), 'INVALID_CREDENTIALS', 'the old address signs in no more')
      await signIn(page, newAddress)
      t.match(await page.textContent('#me'), /name\s*Ada Byron/, 'the new address signs in to the same account')
      t.same(problems, [], 'no script error and no console error')
    })

    await t.test('7. an authenticator set up from its QR code, then turned off', async (t) => {
      const { page, problems } = await openSpa(t, browser, `${spaApi}/spa/`)
      const email = await registerByHash(spaApp, 'qr')
      await signIn(page, email)

      await page.fill('#setup-totp [name=currentPassword]', PASSWORD)
      await submit(page, 'setup-totp')
      await until(page, { shown: '#verify-totp' })
      const uri = await page.textContent('#totp-uri') ?? ''
      const box = await page.locator('#totp-qr svg').boundingBox()
      t.ok(box !== null && box.width >= 100 && box.height === box.width, `the QR code is drawn, square (${box?.width}×${box?.height} px)`)
      const drawn = (await page.getAttribute('#totp-qr svg path', 'd') ?? '').match(/M\d+,\d+/g)?.map((move) => move.slice(1)).sort()
      t.same(drawn, qrModules(uri), 'its dark modules are those of the QR code of the otpauth URI shown')
      t.equal(await page.getAttribute('#totp-qr svg', 'role'), 'img', 'an image to assistive technology')
      t.match(await page.getAttribute('#totp-qr svg', 'aria-label'), 'QR code', 'with a label')
      await page.locator('#verify-totp').screenshot({ path: TOTP_SCREENSHOT })

      const authenticator = new Authenticator(await page.textContent('#totp-secret') ?? '')
      await page.fill('#verify-totp [name=code]', await authenticator.code())
      await submit(page, 'verify-totp')
      await until(page, { hidden: '#verify-totp', shown: '#disable-totp', text: ['#me', 'TOTP'] })
      t.ok(await page.isHidden('#setup-totp'), 'TOTP on: the setup form gives way to the one that turns it off')
      t.equal(await page.locator('#totp-qr svg').count(), 0, 'and the QR code and secret are gone from the page')
      t.equal(await page.textContent('#totp-secret'), '', 'the secret too')

      await page.fill('#disable-totp [name=currentPassword]', PASSWORD)
      await submit(page, 'disable-totp')
      await until(page, { shown: '#setup-totp', hidden: '#disable-totp', text: ['#notice', 'turned off'] })
      t.match(await page.textContent('#me'), /MFA\s*none/, 'me shows no second factor')
      t.equal(await signInOutcome(spaApp, email, PASSWORD), 'Session', 'a sign-in asks for no code any more')

      await signOut(page)
      await checkFormsEmpty(t, page, 'after the sign-out')
      t.same(problems, [], 'no script error and no console error')
    })

    await t.test('8. after a sign-out no field keeps a value; deleting the account', async (t) => {
      const { context, page, problems } = await openSpa(t, browser, `${spaApi}/spa/`)
      const email = await registerByHash(spaApp, 'leaving')
      await signIn(page, email)

      // Type into every field of the signed-in page without sending anything, then sign out.
      const typed = ['#profile [name=name]', '#change-email [name=email]', '#change-email [name=currentPassword]',
        '#change-password [name=currentPassword]', '#change-password [name=newPassword]', '#setup-totp [name=currentPassword]',
        '#delete-account [name=currentPassword]']
      for (const selector of typed) await page.fill(selector, selector.includes('email]') ? 'left@example.com' : 'left-behind')
      await page.check('#delete-account [name=sure]')
      t.equal((await filledFields(page)).length, typed.length + 1, 'the signed-in forms hold what was typed')
      await signOut(page)
      await checkFormsEmpty(t, page, 'after the sign-out')

      // Delete the account: the current password, and a ticked box.
      await signIn(page, email)
      await page.fill('#delete-account [name=currentPassword]', PASSWORD)
      await page.check('#delete-account [name=sure]')
      await submit(page, 'delete-account')
      await until(page, { shown: '#signed-out', text: ['#notice', 'account is deleted'] })
      t.same([...(await cookiesOf(context, spaApi)).keys()].filter((name) => SESSION_COOKIES.includes(name)), [], 'no session cookie is left')
      await checkFormsEmpty(t, page, 'after the deletion')
      t.equal(await signInOutcome(spaApp, email, PASSWORD), 'INVALID_CREDENTIALS', 'the account is gone')
      await page.reload()
      await until(page, { shown: '#signed-out' })
      t.same(problems, [], 'no script error and no console error')
    })
  })
}
