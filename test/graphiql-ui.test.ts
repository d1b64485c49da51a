// GraphiQL in a real browser (Debian's Chromium, driven by playwright-core) with no network but
// loopback: the page, React and GraphiQL all come from the server, and signing in from the
// playground gives it the session (HttpOnly cookies, kept by the browser, sent by its fetches).
//
// Without /usr/bin/chromium (CHROMIUM_PATH to use another) the file says so and skips.
import { existsSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { chromium } from 'playwright-core'
import t from 'tap'
import { build, Client, newEmail, PASSWORD, registerUser } from './helper.ts'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const CHROMIUM_ARGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync']
const WAIT_MS = 30_000
const SESSION_COOKIES = ['__Host-access', '__Host-id', '__Host-refresh']
const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]'])

// The page's globals used by the functions that run in it (this project compiles without the DOM library).
interface CodeMirrorElement { CodeMirror: { getValue: () => string } }
declare const document: { querySelector: (selector: string) => unknown, cookie: string }

if (!existsSync(CHROMIUM)) {
  const reason = `no Chromium at ${CHROMIUM} (Debian: apt-get install chromium; or set CHROMIUM_PATH)`
  console.log(`# SKIP GraphiQL UI: ${reason}`)
  t.plan(0, reason)
} else {
  t.test('GraphiQL works offline and signs in with the session cookies', async (t) => {
    const app = await build(t, { env: { GRAPHIQL: 'true' } })
    await app.listen({ port: 0, host: '127.0.0.1' })
    // localhost, as a person opens it: Chromium keeps Secure (__Host-) cookies of http://localhost.
    const api = `http://localhost:${(app.server.address() as AddressInfo).port}`
    const email = await registerUser(new Client(app), newEmail('graphiql'))

    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
    t.teardown(() => browser.close())
    const context = await browser.newContext()
    t.teardown(() => context.close())

    // No network but loopback: anything else is refused and recorded.
    const requested: string[] = []
    const refused: string[] = []
    await context.route('**/*', async (route) => {
      const url = new URL(route.request().url())
      requested.push(url.href)
      if (LOOPBACK.has(url.hostname)) return await route.continue()
      refused.push(url.href)
      return await route.abort('internetdisconnected')
    })
    const page = await context.newPage()
    const problems: string[] = []
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`))
    page.on('console', (message) => {
      // The browser's own favicon request is the only 404 the page may meet.
      if (message.type() === 'error' && !message.location().url.endsWith('/favicon.ico')) problems.push(`console: ${message.text()}`)
    })
    const served = new Map<string, number>()
    page.on('response', (response) => { served.set(new URL(response.url()).pathname, response.status()) })

    t.equal((await page.goto(`${api}/graphiql`))?.status(), 200, 'GET /graphiql is served')
    await page.waitForSelector('.graphiql-container', { timeout: WAIT_MS })
    t.pass('GraphiQL renders')
    for (const file of ['react.production.min.js', 'react-dom.production.min.js', 'graphiql.min.js', 'graphiql.min.css']) {
      t.equal(served.get(`/graphiql/${file}`), 200, `${file} comes from the server`)
    }

    // A first visit opens on the journey, a tab per step, not on GraphiQL's welcome text.
    const tabs = await page.evaluate('[...document.querySelectorAll(".graphiql-tab")].map((tab) => tab.textContent.trim())') as string[]
    t.equal(tabs.length, 4, 'four ready tabs')
    t.match(tabs.join(' '), /SignUp.*ConfirmSignUp.*SignIn.*Me/, 'sign up, confirm, sign in, me')
    const first = await page.evaluate('document.querySelector(".graphiql-query-editor .CodeMirror").CodeMirror.getValue()') as string
    t.match(first, /^# 1 of 4: sign up[\s\S]*mutation SignUp \{/, 'the first tab is open, ready to run')
    const config = await (await fetch(`${api}/graphiql/config.js`)).text()
    t.match(config, 'the embedded emulator lists it at /dev/mailbox', 'the confirm tab points at the mailbox')

    /** Types a document into GraphiQL's editor (CodeMirror 5), runs it, and reads the result pane once it shows `expected`. */
    async function run (source: string, expected: string): Promise<unknown> {
      // A click while GraphiQL is still starting up (on a loaded machine) can go unheard: the
      // document is typed and run again until the answer shows, for WAIT_MS at most.
      const until = Date.now() + WAIT_MS
      for (;;) {
        await page.evaluate(`document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.setValue(${JSON.stringify(source)})`)
        await page.click('.graphiql-execute-button')
        try {
          const result = await page.waitForFunction((expected: string) => {
            const pane = document.querySelector('.graphiql-response .CodeMirror') as CodeMirrorElement | null
            const text = pane?.CodeMirror.getValue() ?? ''
            return text.includes(expected) ? text : false
          }, expected, { timeout: Math.min(5000, Math.max(1, until - Date.now())) })
          return JSON.parse(await result.jsonValue() as string) as unknown
        } catch (err) {
          if (Date.now() >= until) throw err
        }
      }
    }

    const signIn = await run(`mutation { signIn(input: { email: ${JSON.stringify(email)}, password: ${JSON.stringify(PASSWORD)} }) { __typename ... on Session { user { email } } } }`, '__typename')
    t.same(signIn, { data: { signIn: { __typename: 'Session', user: { email } } } }, 'signIn from the editor opens a session')

    const jar = new Map((await context.cookies(api)).map((cookie) => [cookie.name, cookie]))
    for (const name of SESSION_COOKIES) t.match(jar.get(name), { httpOnly: true, secure: true }, `Chromium keeps ${name}, HttpOnly`)
    t.equal(await page.evaluate(() => document.cookie), '', 'and the page cannot read any of them')

    t.same(await run('{ me { email } }', '"me"'), { data: { me: { email } } }, '{ me { email } } from the editor answers with the session')

    t.same(refused, [], 'no request was refused: the page asked for nothing off the loopback')
    t.ok(requested.length > 0 && requested.every((url) => LOOPBACK.has(new URL(url).hostname)), `all ${requested.length} requests went to the server on loopback`)
    t.same(problems, [], 'no script error and no console error (a CSP violation or a failed load would be one)')
  })
}
