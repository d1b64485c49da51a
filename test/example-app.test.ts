// examples/app as someone runs it: its server.mjs in a fresh directory, its package.json's
// dependencies installed by npm with the package's one pointed at its packed tarball (the tree
// test/package-helper.ts installs once for both package tests), `node server.mjs` with
// the embedded emulator; then its notes over HTTP (GraphQL and REST, one session), and, with
// Chromium (/usr/bin/chromium, or CHROMIUM_PATH), the example SPA it serves at / in a browser; and
// a copy that receives the app events as webhooks, erasing what it keeps of a deleted user.
import { randomBytes } from 'node:crypto'
import { copyFileSync, existsSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { join } from 'node:path'
import { chromium, type Page } from 'playwright-core'
import { Webhook } from 'standardwebhooks'
import t, { type Test } from 'tap'
import { installedApp, root, startNode, type Started, type Tap } from './package-helper.ts'
import { Client } from './cookie-client.ts'

const EXAMPLE = join(root, 'examples', 'app')
const SPA = join(root, 'examples', 'spa')
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const CHROMIUM_ARGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync']
const PASSWORD = 'Correct-Horse-9'
const WAIT_MS = 20_000

/** examples/app in a fresh directory, its dependencies (the package from its tarball) installed by npm; why not, when npm cannot install offline. */
async function install (t: Tap): Promise<{ dir: string } | { skip: string }> {
  const installed = await installedApp(t)
  if ('dir' in installed) copyFileSync(join(EXAMPLE, 'server.mjs'), join(installed.dir, 'server.mjs'))
  return installed
}

/**
 * `npm start` of the copy, on a free port with its own emulator data, serving examples/spa and
 * its operations' manifest (which the copy cannot find beside it); resolves to the address it prints.
 */
async function startExample (t: Tap, dir: string, extra: Record<string, string> = {}): Promise<{ address: string, started: Started }> {
  const env = { NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', EMULATOR_DATA_DIR: join(dir, '.cognito-local'), SPA_DIR: SPA, PERSISTED_OPERATIONS_MANIFEST: join(root, 'schema', 'persisted-operations.json'), ...extra }
  const started = await startNode(t, dir, ['server.mjs'], env, /Open (http:\/\/\S+)\//)
  return { address: started.match[1] as string, started }
}

let users = 0
/** A confirmed account, signed in through the app's /graphql; its id. */
async function signedInUser (t: Test, browser: Client<Response>): Promise<{ id: string, email: string }> {
  const email = `notes.${process.pid}.${Date.now()}.${++users}@example.com`
  const signUp = await browser.gql('mutation ($input: SignUpInput!) { signUp(input: $input) { userConfirmed } }', { input: { email, password: PASSWORD } })
  t.same(signUp.errors, undefined, 'signed up')
  const mailbox = await (await browser.fetch(`/dev/mailbox?to=${encodeURIComponent(email)}`)).json() as Array<{ code: string }>
  const confirm = await browser.gql('mutation ($email: String!, $code: String!) { confirmSignUp(input: { email: $email, code: $code }) }', { email, code: mailbox[0]?.code })
  t.equal(confirm.data?.confirmSignUp, true, 'confirmed with the code from the dev mailbox')
  const signIn = await browser.gql('mutation ($email: String!, $password: String!) { signIn(input: { email: $email, password: $password }) { ... on Session { user { id } } } }', { email, password: PASSWORD })
  const id = signIn.data?.signIn?.user?.id as string
  t.ok(id, 'signed in')
  return { id, email }
}

/** POSTs a note to the app's REST route. */
async function postNote (browser: Client<Response>, text: unknown, contentType = 'application/json'): Promise<Response> {
  return await browser.fetch('/api/notes', { method: 'POST', headers: { 'content-type': contentType }, body: contentType === 'application/json' ? JSON.stringify({ text }) : String(text) })
}

/** Waits until `selector` shows in the SPA; fails at once with the text the SPA shows in #error. */
async function shown (page: Page, selector: string): Promise<void> {
  await page.locator(`${selector}:visible, #error:visible`).first().waitFor({ timeout: WAIT_MS })
  if (await page.locator('#error').isVisible()) throw new Error(`the SPA shows an error: ${await page.textContent('#error')}`)
}

// Packing, installing, Chromium and a second copy of the app take longer than the suite's 240 s
// on a machine busy with other test files.
t.setTimeout(480_000)

t.test('examples/app, installed from the packed package', async (t) => {
  const installed = await install(t)
  if ('skip' in installed) return t.plan(0, installed.skip)
  const { address, started } = await startExample(t, installed.dir)
  // Node's fetch goes to the address it listens on; a browser opens the localhost it prints.
  const base = address.replace('localhost', '127.0.0.1')

  t.test('its notes, per user, behind the session: REST and GraphQL alike', async (t) => {
    const ada = Client.http(base)
    const { id } = await signedInUser(t, ada)

    const empty = await ada.fetch('/api/notes')
    t.equal(empty.status, 200)
    t.same(await empty.json(), { owner: id, notes: [] }, 'GET /api/notes: the user owns an empty list')

    const added = await postNote(ada, 'buy milk')
    t.equal(added.status, 201, 'POST /api/notes adds a note')
    t.same(await added.json(), { owner: id, notes: ['buy milk'] })
    t.same((await ada.gql('{ notes }')).data, { notes: ['buy milk'] }, 'GraphQL notes has the note the REST route added')
    const mutation = await ada.gql('mutation ($text: String!) { addNote(text: $text) }', { text: 'call Bob' })
    t.same(mutation.data, { addNote: ['buy milk', 'call Bob'] }, 'addNote answers every note')
    t.same(await (await ada.fetch('/api/notes')).json(), { owner: id, notes: ['buy milk', 'call Bob'] }, 'and the REST route has it')

    t.equal((await postNote(ada, '')).status, 400, 'an empty note is refused')
    t.same((await ada.gql('mutation { addNote(text: "") }')).codes, ['BAD_USER_INPUT'], 'by GraphQL too')
    t.equal((await postNote(ada, '{"text":"forged"}', 'text/plain')).status, 400, 'a text/plain body (what a form of another site can send) adds nothing')

    const bob = Client.http(base)
    const other = await signedInUser(t, bob)
    t.same(await (await bob.fetch('/api/notes')).json(), { owner: other.id, notes: [] }, "another user sees none of the first one's notes")
    t.same((await bob.gql('{ notes }')).data, { notes: [] }, 'nor does GraphQL show them')

    const old = ada.clone()
    t.equal((await ada.gql('mutation { signOut }')).data?.signOut, true, 'signed out')
    for (const browser of [ada, old]) {
      t.equal((await browser.fetch('/api/notes')).status, 401, 'GET /api/notes needs a session')
      t.equal((await postNote(browser, 'too late')).status, 401, 'and so does POST')
      t.same((await browser.gql('{ notes }')).codes, ['UNAUTHENTICATED'], 'notes answers UNAUTHENTICATED')
    }
    t.same((await bob.gql('{ notes }')).data, { notes: [] }, 'no note was added after the sign-out')
  })

  t.test('its log lines carry paths, never query strings (the auth server\'s exported log options)', async (t) => {
    await fetch(`${base}/api/notes?token=SECRET-EXAMPLE-TOKEN`)
    await fetch(`${base}/auth/oauth/callback?code=SECRET-EXAMPLE-CODE&state=s`)
    const logs = await started.waitFor(/"url":"\/auth\/oauth\/callback"/)
    t.match(logs, /"url":"\/api\/notes"/, 'the app\'s route is logged by its path')
    t.notOk(logs.includes('SECRET-EXAMPLE'), 'and no query string is')
  })

  t.test('it serves the example SPA at /, and nothing else of the directory', async (t) => {
    const page = await fetch(`${base}/`)
    t.equal(page.status, 200)
    const html = await page.text()
    t.match(html, '<meta name="notes-api" content="/api/notes">', 'the page learns that this server has notes')
    t.match(page.headers.get('content-security-policy'), "script-src 'self'", "under the auth server's security headers")
    for (const path of ['/style.css', '/js/main.js', '/js/notes.js', '/js/client/index.js', '/vendor/qrcode-generator.js']) t.equal((await fetch(base + path)).status, 200, path)
    for (const path of ['/server.mjs', '/package.json', '/src/main.ts', '/tsconfig.json', '/js/..%2fpackage.json', '/node_modules/qrcode-generator/package.json']) {
      t.equal((await fetch(base + path)).status, 404, `${path} is not served`)
    }
  })

  t.test('in a browser: sign up and in through the SPA, then add a note and see it', { skip: existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM}` }, async (t) => {
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
    t.teardown(() => browser.close())
    const context = await browser.newContext()
    const page = await context.newPage()
    const problems: string[] = []
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`))
    page.on('console', (message) => { if (message.type() === 'error') problems.push(`console: ${message.text()} (${message.location().url})`) })

    t.equal((await page.goto(`${address}/`))?.status(), 200, `${address}/ is served`)
    await shown(page, '#page-sign-in')
    const email = `spa.${process.pid}.${Date.now()}@example.com`
    await page.click('a[href="#sign-up"]')
    await page.fill('#sign-up-email', email)
    await page.fill('#sign-up-password', PASSWORD)
    await page.click('#sign-up button.primary')
    await page.locator('#notice', { hasText: 'A code was sent to' }).waitFor({ timeout: WAIT_MS })
    await page.click('#confirm-sign-up [data-mailbox]')
    await page.waitForFunction(() => /^\d{6}$/.test((document.querySelector('#confirm-sign-up-code') as unknown as { value: string }).value), undefined, { timeout: WAIT_MS })
    await page.click('#confirm-sign-up button.primary')
    await page.locator('#notice', { hasText: 'Email confirmed' }).waitFor({ timeout: WAIT_MS })
    await page.click('#sign-in-email button')
    await page.fill('#sign-in-password-input', PASSWORD)
    await page.click('#sign-in-password button')
    await shown(page, '#notes')
    t.equal(await page.locator('#notes-list li').count(), 0, 'signed in: the notes section shows, empty')

    await page.fill('#notes [name=text]', 'water the plants')
    await page.click('#notes button')
    await shown(page, '#notes-list li')
    t.same(await page.locator('#notes-list li').allTextContents(), ['water the plants'], 'the note added is listed')
    t.equal(await page.inputValue('#notes [name=text]'), '', 'and the form is empty again')

    await page.reload()
    await shown(page, '#notes-list li')
    t.same(await page.locator('#notes-list li').allTextContents(), ['water the plants'], 'a reload lists it again, from GET /api/notes')

    await page.click('#sign-out button')
    await shown(page, '#page-sign-in')
    t.ok(await page.locator('#notes').isHidden(), 'signed out: the notes are hidden')
    t.equal(await page.locator('#notes-list li').count(), 0, 'and forgotten')
    t.same(problems, [], 'no script error and no console error')
  })

  t.test('a copy with WEBHOOK_*: it receives the events as signed webhooks and erases a deleted user\'s data', async (t) => {
    // The app's own receiver is the webhook URL: its port is chosen before it starts.
    const probe = createServer()
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
    const port = (probe.address() as AddressInfo).port
    await new Promise((resolve) => probe.close(resolve))
    const secret = `whsec_${randomBytes(32).toString('base64')}`
    const base = (await startExample(t, installed.dir, {
      PORT: String(port),
      EMULATOR_DATA_DIR: join(installed.dir, '.cognito-local-webhooks'),
      WEBHOOK_URLS: `http://127.0.0.1:${port}/webhooks/auth`,
      WEBHOOK_SECRET: secret
    })).address.replace('localhost', '127.0.0.1')
    const stats = async () => await (await fetch(`${base}/api/stats`)).json() as { profiles: number, usersWithNotes: number }
    const until = async (done: () => Promise<boolean>, what: string) => {
      for (const end = Date.now() + WAIT_MS; !(await done());) {
        if (Date.now() > end) throw new Error(`in vain: ${what}`)
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
    }

    const ada = Client.http(base)
    const { id, email } = await signedInUser(t, ada)
    await postNote(ada, 'keep this')
    const bob = Client.http(base)
    const other = await signedInUser(t, bob)
    await postNote(bob, 'mine')
    await until(async () => (await ada.fetch('/api/profile')).status === 200, 'the profile from user.created and user.confirmed')
    t.match(await (await ada.fetch('/api/profile')).json(), { id, email, confirmed: true }, 'the app built the profile from the events')
    await until(async () => (await stats()).profiles === 2, 'both profiles')
    t.same(await stats(), { profiles: 2, usersWithNotes: 2 })

    // A forged event: not signed with the app's secret, so it erases nothing.
    const forged = new Webhook(`whsec_${randomBytes(32).toString('base64')}`)
    const body = JSON.stringify({ id: 'evt_000000000000000000000000', type: 'user.deleted', timestamp: new Date().toISOString(), data: { userId: other.id, email: other.email } })
    const now = new Date()
    const refused = await fetch(`${base}/webhooks/auth`, { method: 'POST', headers: { 'content-type': 'application/json', 'webhook-id': 'evt_000000000000000000000000', 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)), 'webhook-signature': forged.sign('evt_000000000000000000000000', now, body) }, body })
    t.equal(refused.status, 400, 'a forged user.deleted is refused')

    t.equal((await ada.gql('mutation ($p: String!) { deleteAccount(input: { currentPassword: $p }) }', { p: PASSWORD })).data?.deleteAccount, true, 'the user deletes their account')
    await until(async () => (await stats()).profiles === 1, 'user.deleted applied')
    t.same(await stats(), { profiles: 1, usersWithNotes: 1 }, 'their profile and notes are gone; the other user\'s stay')
    t.same(await (await bob.fetch('/api/notes')).json(), { owner: other.id, notes: ['mine'] })
  })
})

// The page's globals the function above runs with (this project compiles without the DOM library).
declare const document: { querySelector: (selector: string) => unknown }
