// The example SPA in a real browser (Debian's Chromium, driven by playwright-core), against the
// real server listening on a port: what `inject` cannot show about cookies, CORS and CSRF.
//
//   1. a journey on the API's own origin (http://localhost:<api>/spa/), the files served;
//   2. the same journey from a second origin of the same site (http://localhost:<spa>/), allowed
//      by CORS_ORIGINS;
//   3. an attacker page on a same-site origin that is NOT allowed (http://localhost:<evil>/):
//      Chromium sends it the user's cookies, and still no mutation gets through;
//   (4. GraphiQL with the session lives in test/graphiql-ui.test.ts, offline;)
//   the SPA's pages, journey by journey, are in test/spa/; examples/spa/screenshot.png, the
//   README's picture, is taken on the way when UPDATE_SCREENSHOT=1.
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
import type { Browser, BrowserContext, Page } from 'playwright-core'
import t, { type Test } from 'tap'
import { serveSpa } from '../scripts/serve-spa.ts'
import type { AuditEvent } from '../src/plugins/app/audit.ts'
import { build, Client, newEmail, PASSWORD, registerUser, SIGN_IN } from './helper.ts'
import { CHROMIUM, filledFields, launch, LIMITS, MANIFEST, NO_CHROMIUM, openSpa, SESSION_COOKIES, setUpAuthenticator, signIn, signInOutcome, signInToAccount, signOut, until, WAIT_MS } from './spa/helpers.ts'

// The README's picture: rewritten only on request (UPDATE_SCREENSHOT=1), so a test run leaves the tree clean.
const SCREENSHOT = process.env.UPDATE_SCREENSHOT === '1' ? fileURLToPath(new URL('../examples/spa/screenshot.png', import.meta.url)) : undefined
const CSRF_MESSAGE = 'This operation has been blocked as a potential Cross-Site Request Forgery (CSRF).'
/** What a cross-site request forger wants: every session of the user ended. */
const ATTACK = 'mutation { signOut(input: { everywhere: true }) }'

interface Journey {
  /** Where the SPA is opened. */
  url: string
  /** The API origin whose cookies Chromium keeps. */
  api: string
  email: string
  name: string
  /** Where to write the signed-in page's picture. */
  screenshot?: string | undefined
}

/** The session cookies as Chromium stored them: HttpOnly, Secure, SameSite=Strict, host-only, Path=/; and none visible to the page. */
async function checkCookies (t: Test, page: Page, context: BrowserContext, api: string, expected: string[]): Promise<void> {
  const jar = new Map((await context.cookies(api)).map((cookie) => [cookie.name, cookie]))
  for (const name of expected) {
    t.match(jar.get(name), { httpOnly: true, secure: true, sameSite: 'Strict', path: '/', domain: 'localhost' }, `${name}: HttpOnly, Secure, SameSite=Strict, host-only, Path=/`)
  }
  t.equal(await page.evaluate(() => (globalThis as unknown as { document: { cookie: string } }).document.cookie), '', `document.cookie on ${new URL(page.url()).origin} is empty: no cookie of the server is readable by script`)
}

/**
 * The journey of a person in the SPA, as far as the origin matters: sign up, the code from the
 * dev mailbox, confirm, sign in (the cookies as Chromium keeps them for the API), set up an
 * authenticator, sign out, sign in again through its step (the challenge held in its own
 * HttpOnly cookie), sign out. The pages' other journeys are in test/spa/.
 */
async function journey (t: Test, browser: Browser, app: FastifyInstance, options: Journey): Promise<void> {
  const { url, api, email, name } = options
  const { context, page, problems } = await openSpa(t, browser, url)
  t.equal(await page.textContent('#api'), api, 'the SPA talks to the API origin')

  await page.goto(`${url.split('#')[0]}#sign-up`)
  await until(page, '#page-sign-up')
  await page.fill('#sign-up-name', name)
  await page.fill('#sign-up-email', email)
  await page.fill('#sign-up-password', PASSWORD)
  await page.click('#sign-up button.primary')
  await until(page, '#confirm-sign-up')
  await page.click('#confirm-sign-up [data-mailbox]')
  await page.waitForFunction(() => /^\d{6}$/.test((globalThis as unknown as { document: { querySelector: (s: string) => { value: string } } }).document.querySelector('#confirm-sign-up-code').value))
  await page.click('#confirm-sign-up button.primary')
  await until(page, '#notice', { text: 'Email confirmed' })
  t.pass('signed up and confirmed with the code from the dev mailbox')

  await signInToAccount(page, email)
  t.match(await page.textContent('#profile-summary'), name, 'the name given at sign-up')
  await checkCookies(t, page, context, api, [...SESSION_COOKIES, '__Host-device'])

  const authenticator = await setUpAuthenticator(page)

  await signOut(page)
  t.same((await context.cookies(api)).filter((cookie) => SESSION_COOKIES.includes(cookie.name)), [], 'signOut cleared the session cookies in Chromium')
  await signIn(page, email)
  await until(page, '#page-challenge')
  t.equal(await page.textContent('#challenge-title'), 'Enter the code from your authenticator app', 'signIn asks for the authenticator code')
  t.notOk((await context.cookies(api)).some((cookie) => cookie.name === '__Host-access'), 'no session before the code')
  await checkCookies(t, page, context, api, ['__Host-challenge'])
  await page.fill('#challenge-code-input', await authenticator.code())
  await page.click('#challenge-form button.primary')
  await until(page, '#profile-summary', { text: email })
  t.notOk((await context.cookies(api)).some((cookie) => cookie.name === '__Host-challenge'), 'the challenge cookie is gone')
  await checkCookies(t, page, context, api, SESSION_COOKIES)
  t.equal(await signInOutcome(api, email, PASSWORD), 'SOFTWARE_TOKEN_MFA', 'the server agrees: the password goes on to the code')
  if (options.screenshot !== undefined) await page.screenshot({ path: options.screenshot, fullPage: true })

  await page.reload()
  await until(page, '#profile-summary', { text: email })
  await signOut(page)
  t.same(await filledFields(page), [], 'after the sign-out every field of every form is empty')
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
  console.log(`# SKIP browser tests: ${NO_CHROMIUM}`)
  t.plan(0, NO_CHROMIUM)
} else {
  t.test('the example SPA and the session cookies in Chromium', { timeout: 300_000 }, async (t) => {
    // Playwright gives each launch a fresh temporary user-data dir, removed at close.
    const browser = await launch(t)

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

    const env = { ...LIMITS, CORS_ORIGINS: spaOrigin }
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
      t.equal((await spaApp.inject('/spa/js/client/index.js')).statusCode, 200, 'and the browser client, compiled beside them')
      for (const path of ['/spa/../package.json', '/spa/src/main.ts', '/spa/tsconfig.json', '/spa/js/client/../../../package.json', '/spa/js/client/sub/index.js', '/spa/js/../../../package.json', '/spa/vendor/qrcode-generator.d.ts', '/spa/vendor/qrcode.js', '/spa/node_modules/qrcode-generator/package.json']) {
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
      const jar = new Set((await victim.context.cookies(api)).map((cookie) => cookie.name))
      t.same(SESSION_COOKIES.filter((name) => jar.has(name)), SESSION_COOKIES, 'and keeps every session cookie')
    })
  })
}
