// Apollo Client and urql from npm in Chromium (playwright-core, one launch), bundled with their
// documented configurations (./browser-entry.ts), on a page of a second origin of the same site
// that CORS_ORIGINS allows: the preflights of their headers (client awareness, the CSRF header),
// the journey against both persisted modes, and no token readable by the page.
// Without /usr/bin/chromium (CHROMIUM_PATH to use another) the file says so and skips.
import { existsSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { build } from 'esbuild'
import { chromium, type Page } from 'playwright-core'
import t, { type Test } from 'tap'
import { listening, mailboxCode, modeEnv, newEmail, OPERATIONS, PASSWORD, registeredDocuments } from './support.ts'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const CHROMIUM_ARGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']

/** The page's origin: an HTML page and the bundle, on a loopback port of its own. */
async function servePage (t: Test): Promise<string> {
  const bundle = await build({ entryPoints: [new URL('./browser-entry.ts', import.meta.url).pathname], bundle: true, format: 'iife', platform: 'browser', write: false, define: { 'process.env.NODE_ENV': '"production"' }, logLevel: 'silent' })
  const script = bundle.outputFiles[0]?.text ?? ''
  const server = createServer((request, response) => {
    if (request.url === '/app.js') response.writeHead(200, { 'content-type': 'text/javascript' }).end(script)
    else response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>An app</title><script src="/app.js"></script>')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise((resolve) => server.close(resolve)))
  return `http://localhost:${(server.address() as AddressInfo).port}`
}

// The page's globals (this project compiles without the DOM library).
declare const document: { cookie: string }
type Run = (kind: 'apollo' | 'urql', name: string, text: string, hash: string | undefined, variables: Record<string, unknown>) => Promise<{ data?: any, codes?: string[], error?: string }>
declare const window: { clients: any, client?: Record<string, any>, run: Run }

/** Makes `window.run` on the page: one operation through a client of the documented configuration, made once per page. */
async function preparePage (page: Page, url: string, persisted: 'automatic' | 'registered'): Promise<void> {
  await page.evaluate(({ url, persisted }) => {
    const { createApolloClient, createUrqlClient, parse } = window.clients
    const clients: Record<string, any> = { apollo: createApolloClient({ uri: url, persisted }), urql: createUrqlClient({ url, persisted }) }
    window.run = async (kind, _name, text, hash, variables) => {
      const document = hash === undefined ? parse(text) : Object.assign(parse(text), { __meta__: { hash } })
      const mutation = /\bmutation [A-Z]/.test(text)
      try {
        if (kind === 'urql') {
          const result = await (mutation ? clients.urql.mutation(document, variables) : clients.urql.query(document, variables, { requestPolicy: 'network-only' })).toPromise()
          if (result.error !== undefined) return { codes: result.error.graphQLErrors.map((e: any) => e.extensions.code), error: String(result.error.message) }
          return { data: result.data }
        }
        const result = mutation ? await clients.apollo.mutate({ mutation: document, variables }) : await clients.apollo.query({ query: document, variables, fetchPolicy: 'network-only' })
        return { data: result.data }
      } catch (err: any) {
        return { codes: (err.errors ?? []).map((e: any) => e.extensions?.code), error: `${String(err.name)}: ${String(err.message)}` }
      }
    }
  }, { url, persisted })
}

if (!existsSync(CHROMIUM)) {
  const reason = `no Chromium at ${CHROMIUM} (Debian: apt-get install chromium; or set CHROMIUM_PATH)`
  console.log(`# SKIP real clients in Chromium: ${reason}`)
  t.plan(0, reason)
} else {
  t.test('Apollo Client and urql in Chromium, from another origin of the same site', { timeout: 240_000 }, async (t) => {
    const origin = await servePage(t)
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
    t.teardown(() => browser.close())

    for (const mode of ['default', 'only'] as const) {
      await t.test(`${mode} mode`, async (t) => {
        const { app, url } = await listening(t, { ...modeEnv(mode), CORS_ORIGINS: origin })
        const context = await browser.newContext()
        t.teardown(() => context.close())
        const page = await context.newPage()
        const problems: string[] = []
        page.on('console', (message) => { if (message.type() === 'error') problems.push(message.text()) })
        await page.goto(`${origin}/`)
        await preparePage(page, url, mode === 'default' ? 'automatic' : 'registered')
        const registered = registeredDocuments()
        /** An operation through `kind`: the journey's own document (default mode) or the manifest's (only). */
        const run = async (kind: 'apollo' | 'urql', name: keyof typeof OPERATIONS, registeredName: string, variables: Record<string, unknown> = {}) => {
          const document = registered.get(registeredName)
          const [text, hash] = mode === 'default' ? [OPERATIONS[name], undefined] : [document?.loc?.source.body ?? '', document?.__meta__.hash]
          return await page.evaluate(({ kind, name, text, hash, variables }) => window.run(kind, name, text, hash, variables), { kind, name, text, hash, variables })
        }

        const email = newEmail(`chromium-${mode}`)
        t.match(await run('apollo', 'signUp', 'SignUp', { input: { email, password: PASSWORD } }), { data: { signUp: { userConfirmed: false } } }, 'Apollo: signUp, its client-awareness headers allowed by the preflight')
        t.match(await run('apollo', 'confirmSignUp', 'ConfirmSignUp', { input: { email, code: await mailboxCode(app, email) } }), { data: { confirmSignUp: true } }, 'Apollo: confirmSignUp')
        t.match(await run('apollo', 'signIn', 'SignIn', { input: { email, password: PASSWORD } }), { data: { signIn: { __typename: 'Session', user: { email } } } }, 'Apollo: signIn')
        t.match(await run('apollo', 'me', 'Me', {}), { data: { me: { email } } }, 'Apollo: me, every field')
        t.match(await run('urql', 'me', 'Me', {}), { data: { me: { email } } }, 'urql: me over GET with its preflight header, cross-origin')
        t.equal(await page.evaluate(() => document.cookie), '', 'the page reads no cookie: every token stays out of JavaScript')
        const cookies = (await context.cookies(url)).map((cookie) => cookie.name).sort()
        t.same(cookies.filter((name) => name !== '__Host-device'), ['__Host-access', '__Host-id', '__Host-refresh'], 'Chromium holds the session cookies for the API')
        t.match(await run('apollo', 'signIn', 'SignIn', { input: { email, password: 'Wrong-Horse-7' } }), { codes: ['INVALID_CREDENTIALS'], error: /^CombinedGraphQLErrors/ }, 'a refusal reaches the page as CombinedGraphQLErrors with its code')
        t.match(await run('urql', 'signOut', 'SignOut', {}), { data: { signOut: true } }, 'urql: signOut')
        t.match(await run('apollo', 'me', 'Me', {}), { data: { me: null } }, 'signed out')
        t.same(problems, [], 'no console error (a refused preflight would be one)')
      })
    }
  })
}
