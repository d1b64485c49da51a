// The browser client in a real browser: Debian's Chromium driven by playwright-core, the client
// bundled as a page ships it (scripts/client-size.ts) and loaded from the server's own origin
// (http://localhost:<port>, a routed path), against the server in PERSISTED_OPERATIONS=only.
// Passkeys with a virtual authenticator, through Chromium's own WebAuthn JSON methods and through
// the client's fallback (those methods removed); sign-in and sign-out heard by another tab over
// BroadcastChannel, and over storage events where BroadcastChannel is missing; and the one error
// of a browser without WebAuthn.
//
// Without /usr/bin/chromium (CHROMIUM_PATH to use another) the file says so and skips.
import { existsSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import t from 'tap'
import { measureClient } from '../scripts/client-size.ts'
import { RELAXED_LIMITS } from './challenge-helpers.ts'
import { build, newEmail, PASSWORD } from './helper.ts'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const CHROMIUM_ARGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync']
const MANIFEST = fileURLToPath(new URL('../schema/persisted-operations.json', import.meta.url))
const WAIT_MS = 20_000

// What the page's scripts see (this project compiles without the DOM library): the client module
// as `auth`, one client as `client`, and the session changes its listener heard.
interface PageGlobals {
  auth: typeof import('../src/client/index.ts')
  client: import('../src/client/index.ts').AuthClient
  changes: unknown[]
  PublicKeyCredential?: Record<string, unknown> & { prototype: Record<string, unknown> }
}

/** A page of the app's origin (`before` run first in it) that loads the client and makes one, listening for session changes. */
async function tab (context: BrowserContext, origin: string, before?: () => void): Promise<Page> {
  const page = await context.newPage()
  if (before !== undefined) await page.addInitScript(before)
  await page.goto(`${origin}/client-test/`)
  await page.waitForFunction(() => (globalThis as unknown as PageGlobals).auth !== undefined, undefined, { timeout: WAIT_MS })
  await page.evaluate(() => {
    const g = globalThis as unknown as PageGlobals
    g.changes = []
    g.client = g.auth.createAuthClient()
    g.client.onSessionChange((change) => g.changes.push(change))
  })
  return page
}

/** Gives `page` a virtual authenticator that holds passkeys and verifies its user, and the focus WebAuthn asks for. */
async function authenticator (context: BrowserContext, page: Page): Promise<void> {
  await page.bringToFront()
  const cdp = await context.newCDPSession(page)
  await cdp.send('WebAuthn.enable', { enableUI: false })
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true }
  })
}

/** The session changes `page`'s listener has heard, once there are `count`. */
async function changesOf (page: Page, count: number): Promise<unknown[]> {
  await page.waitForFunction((count) => (globalThis as unknown as PageGlobals).changes.length >= count, count, { timeout: WAIT_MS })
  return await page.evaluate(() => (globalThis as unknown as PageGlobals).changes)
}

/** Signs up and confirms `email` from `page`, reading the code from the development mailbox. */
async function register (page: Page, email: string): Promise<void> {
  await page.evaluate(async ({ email, password }) => {
    const { client } = globalThis as unknown as PageGlobals
    await client.signUp({ email, password })
    const [message] = await (await fetch(`/dev/mailbox?to=${encodeURIComponent(email)}`)).json() as Array<{ code: string }>
    await client.confirmSignUp({ email, code: message?.code ?? '' })
  }, { email, password: PASSWORD })
}

if (!existsSync(CHROMIUM)) {
  const reason = `no Chromium at ${CHROMIUM} (Debian: apt-get install chromium; or set CHROMIUM_PATH)`
  console.log(`# SKIP client browser test: ${reason}`)
  t.plan(0, reason)
} else {
  t.test('in Chromium: passkeys (native WebAuthn JSON and the fallback), session changes across tabs (BroadcastChannel and storage), no WebAuthn', { timeout: 240_000 }, async (t) => {
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
    t.teardown(() => browser.close())
    const app = await build(t, { env: { ...RELAXED_LIMITS, PERSISTED_OPERATIONS: 'only', PERSISTED_OPERATIONS_MANIFEST: MANIFEST } })
    await app.listen({ port: 0, host: '127.0.0.1' })
    // localhost, not 127.0.0.1: an IP address cannot be a relying party.
    const origin = `http://localhost:${(app.server.address() as AddressInfo).port}`
    const { code } = await measureClient()
    const html = '<!doctype html><meta charset="utf-8"><title>client</title><script type="module">import * as auth from "./client.js"; globalThis.auth = auth</script>'
    const serveClient = async (context: BrowserContext) => {
      await context.route(`${origin}/client-test/**`, async (route) => {
        const script = route.request().url().endsWith('/client.js')
        await route.fulfill({ status: 200, contentType: script ? 'text/javascript' : 'text/html', body: script ? code : html })
      })
    }

    const context = await browser.newContext()
    t.teardown(() => context.close())
    await serveClient(context)
    const [first, second] = [await tab(context, origin), await tab(context, origin)] as [Page, Page]
    await authenticator(context, first)
    const email = newEmail('client-browser')
    await register(first, email)

    const signedIn = await first.evaluate(async ({ email, password }) => await (globalThis as unknown as PageGlobals).client.signIn({ email, password }), { email, password: PASSWORD })
    t.equal(signedIn?.__typename, 'Session', 'a password sign-in')
    const userId = signedIn?.__typename === 'Session' ? signedIn.user.id : ''
    t.same(await changesOf(second, 1), [{ signedIn: true, userId }], 'the other tab heard it (BroadcastChannel)')

    t.ok(await first.evaluate(() => typeof (globalThis as unknown as PageGlobals).PublicKeyCredential?.parseCreationOptionsFromJSON === 'function'), 'Chromium has parseCreationOptionsFromJSON')
    const passkey = await first.evaluate(async () => await (globalThis as unknown as PageGlobals).client.registerPasskey())
    t.equal(passkey?.__typename, 'Passkey', 'registerPasskey: the browser\'s own JSON methods')
    t.equal(await first.evaluate(async () => await (globalThis as unknown as PageGlobals).client.signOut()), true)
    t.same((await changesOf(second, 2))[1], { signedIn: false, userId: null }, 'the other tab heard the sign-out')
    const withPasskey = await first.evaluate(async (email) => await (globalThis as unknown as PageGlobals).client.signInWithPasskey({ email }), email)
    t.equal(withPasskey?.__typename, 'Session', 'signInWithPasskey')
    t.equal((await first.evaluate(async () => await (globalThis as unknown as PageGlobals).client.me()))?.passkeys.length, 1)

    // A browser without parse…FromJSON and toJSON: the client's own conversions.
    const old = await tab(context, origin, () => {
      const pkc = (globalThis as unknown as PageGlobals).PublicKeyCredential
      if (pkc !== undefined) {
        delete pkc.parseCreationOptionsFromJSON
        delete pkc.parseRequestOptionsFromJSON
        delete pkc.prototype.toJSON
      }
    })
    await authenticator(context, old)
    t.same(await old.evaluate(() => {
      const pkc = (globalThis as unknown as PageGlobals).PublicKeyCredential
      return [typeof pkc?.parseCreationOptionsFromJSON, typeof pkc?.parseRequestOptionsFromJSON, typeof pkc?.prototype.toJSON]
    }), ['undefined', 'undefined', 'undefined'], 'the JSON methods are gone')
    const added = await old.evaluate(async () => await (globalThis as unknown as PageGlobals).client.registerPasskey())
    t.equal(added?.__typename, 'Passkey', 'registerPasskey through the fallback')
    t.not(added?.id, passkey?.id, 'another passkey')
    await old.evaluate(async () => await (globalThis as unknown as PageGlobals).client.signOut())
    const again = await old.evaluate(async (email) => await (globalThis as unknown as PageGlobals).client.signInWithPasskey({ email }), email)
    t.equal(again?.__typename, 'Session', 'signInWithPasskey through the fallback')

    // An old browser: no BroadcastChannel (storage events instead) and no WebAuthn.
    const legacy = await browser.newContext()
    t.teardown(() => legacy.close())
    await legacy.addInitScript(() => {
      const g = globalThis as unknown as Record<string, unknown>
      delete g.BroadcastChannel
      delete g.PublicKeyCredential
    })
    await serveClient(legacy)
    const [listener, actor] = [await tab(legacy, origin), await tab(legacy, origin)] as [Page, Page]
    t.equal(await actor.evaluate(() => typeof (globalThis as unknown as Record<string, unknown>).BroadcastChannel), 'undefined')
    const signIn = await actor.evaluate(async ({ email, password }) => await (globalThis as unknown as PageGlobals).client.signIn({ email, password }), { email, password: PASSWORD })
    t.equal(signIn?.__typename, 'Session')
    t.same(await changesOf(listener, 1), [{ signedIn: true, userId }], 'the other tab heard it (storage event)')
    const refused = await actor.evaluate(async (email) => {
      try {
        await (globalThis as unknown as PageGlobals).client.signInWithPasskey({ email })
        return null
      } catch (err) {
        return [(err as Error).name, (err as Error).message]
      }
    }, email)
    t.same(refused, ['PasskeyUnsupportedError', 'This browser does not support passkeys (WebAuthn).'], 'no WebAuthn: one clear error')
  })
}
