// Federated sign-in driven over HTTP as a browser drives it: the app through `inject` (with the
// Client's cookie jar), the managed login and DevIdP over real HTTP (with a jar per host name, as
// browsers keep cookies regardless of the port), every redirect followed by hand.
import type { FastifyInstance } from 'fastify'
import type { Test } from 'tap'
import { CreateUserPoolClientCommand } from '@aws-sdk/client-cognito-identity-provider'
import { configureManagedLogin } from '../scripts/managed-login.ts'
import { CookieJar } from './cookie-jar.ts'
import { build, Client, emulatorBehindProxy, emulatorClient, type BuildOptions } from './helper.ts'

type Tap = Pick<Test, 'testdir' | 'teardown'>

/** Where the app says it is (PUBLIC_ORIGIN): requests there go to `inject`. */
export const PUBLIC_ORIGIN = 'http://localhost:3999'
export const CALLBACK = `${PUBLIC_ORIGIN}/auth/oauth/callback`

/** One answer on the way, from the app or from the managed login. */
export interface Step {
  url: string
  status: number
  location: string | undefined
  body: string
  headers: Headers
}

/**
 * A browser that follows nothing by itself: the app's cookies in `client` (requests to
 * PUBLIC_ORIGIN go to `inject`), every other host's in a jar of its own (ignoring ports and
 * paths, as browsers and these flows do). Without an app it speaks to the emulator alone.
 */
export class OAuthBrowser {
  readonly jars = new Map<string, CookieJar>()

  readonly #app: FastifyInstance | undefined
  readonly #client: Client | undefined
  constructor (app?: FastifyInstance, client?: Client) {
    this.#app = app
    this.#client = client
  }

  get app (): FastifyInstance {
    if (this.#app === undefined) throw new Error('this browser speaks to the emulator alone')
    return this.#app
  }

  /** The app's cookies, and requests to the app. */
  get client (): Client {
    if (this.#client === undefined) throw new Error('this browser speaks to the emulator alone')
    return this.#client
  }

  /** The cookies this browser keeps for `url`'s host. */
  jarOf (url: string): CookieJar {
    const host = new URL(url).hostname
    const jar = this.jars.get(host) ?? new CookieJar()
    this.jars.set(host, jar)
    return jar
  }

  /** One request, no redirect followed; `origin` sets the Origin header (a form posted from that page). */
  async request (url: string, init: { method?: string, form?: Record<string, string>, origin?: string } = {}): Promise<Step> {
    const target = new URL(url)
    if (target.origin === PUBLIC_ORIGIN) {
      const response = await this.client.inject({ method: 'GET', url: target.pathname + target.search })
      const headers = new Headers(Object.entries(response.headers).map(([name, value]) => [name, ([] as Array<string | number>).concat(value ?? []).join(', ')]))
      return { url, status: response.statusCode, location: response.headers.location as string | undefined, body: response.body, headers }
    }
    const jar = this.jarOf(url)
    const headers: Record<string, string> = {}
    if (jar.size > 0) headers.cookie = jar.header()
    if (init.form !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded'
    if (init.origin !== undefined) headers.origin = init.origin
    const response = await fetch(target, {
      method: init.method ?? 'GET', headers, redirect: 'manual', body: init.form === undefined ? undefined : new URLSearchParams(init.form)
    })
    jar.store(response.headers.getSetCookie())
    const location = response.headers.get('location') ?? undefined
    return { url, status: response.status, location: location === undefined ? undefined : new URL(location, target).href, body: await response.text(), headers: response.headers }
  }

  /** Follows redirects from `url` until an answer that is not one, or until `stop` says so for the next URL. */
  async follow (url: string, stop: (next: string) => boolean = () => false): Promise<Step> {
    let step = await this.request(url)
    for (let hops = 0; step.location !== undefined && step.status >= 300 && step.status < 400; hops++) {
      if (hops > 20) throw new Error(`too many redirects from ${url}`)
      const next = new URL(step.location, step.url).href
      if (stop(next)) return step
      step = await this.request(next)
    }
    return step
  }

  /**
   * From the app's "Sign in with DevIdP" link to the DevIdP's form, filled in and sent: the step
   * whose `location` is the app's callback (not followed, so a test can look at it or change it).
   */
  async signInAtDevIdp (email: string, name = 'Dev User', start = `${PUBLIC_ORIGIN}/auth/oauth/DevIdP?redirect=/spa/`, verified = true): Promise<Step> {
    const atCallback = (next: string) => next.startsWith(CALLBACK)
    const form = await this.follow(start, atCallback)
    // A managed-login session from before: Cognito issues the code without asking again.
    if (form.location !== undefined && atCallback(form.location)) return form
    if (form.status !== 200 || !form.body.includes('name="email"')) throw new Error(`no DevIdP form at ${form.url}: ${form.status} ${form.body.slice(0, 300)}`)
    const action = /<form method="post" action="([^"]+)"/.exec(form.body)?.[1]
    if (action === undefined) throw new Error('the DevIdP form has no action')
    const posted = await this.request(new URL(action.replace(/&amp;/g, '&'), form.url).href, { method: 'POST', form: { email, name, ...(verified ? { email_verified: 'true' } : {}), action: 'sign-in' } })
    if (posted.location === undefined) throw new Error(`the DevIdP form answered ${posted.status}: ${posted.body.slice(0, 300)}`)
    return await this.follow(posted.location, atCallback)
  }

  /** The whole sign-in, callback included: the app's last answer (`verified`: the box DevIdP's form ticks). */
  async signIn (email: string, name?: string, start?: string, verified?: boolean): Promise<Step> {
    const atCallback = await this.signInAtDevIdp(email, name, start, verified)
    return await this.request(atCallback.location as string)
  }
}

/**
 * The app on a configured pool: the embedded emulator behind a fault proxy, which is both the
 * Cognito endpoint and the managed-login domain (COGNITO_DOMAIN, as `localhost` like the
 * emulator's own domain, so the browser's cookies for it are one jar); the app client set up for
 * federated sign-in by `npm run provision`'s own code.
 */
export async function buildFederated (t: Tap, options: BuildOptions & { codeTtlSeconds?: number, clientSecret?: 'right' | 'wrong' } = {}) {
  const { emulator, proxy } = await emulatorBehindProxy(t, { authorizationCodeTtlSeconds: options.codeTtlSeconds })
  const domain = proxy.endpoint.replace('127.0.0.1', 'localhost')
  const cognito = emulatorClient(t, emulator)
  // With `clientSecret`, an app client of its own that has one (the server then sends it, or a wrong one).
  const client = options.clientSecret === undefined
    ? { ClientId: emulator.clientId, ClientSecret: undefined }
    : (await cognito.send(new CreateUserPoolClientCommand({ UserPoolId: emulator.userPoolId, ClientName: 'confidential', GenerateSecret: true, ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }))).UserPoolClient ?? {}
  const clientId = client.ClientId as string
  await configureManagedLogin(cognito, {
    userPoolId: emulator.userPoolId, clientId, region: emulator.region, publicOrigin: PUBLIC_ORIGIN, providers: ['DevIdP'], logoutPaths: ['/', '/spa/']
  })
  const secret: Record<string, string> = client.ClientSecret === undefined ? {} : { COGNITO_CLIENT_SECRET: options.clientSecret === 'wrong' ? `${client.ClientSecret}x` : client.ClientSecret }
  const { codeTtlSeconds: _ttl, clientSecret: _secret, ...buildOptions } = options
  const app = await build(t, {
    ...buildOptions,
    env: {
      COGNITO_USER_POOL_ID: emulator.userPoolId,
      COGNITO_CLIENT_ID: clientId,
      ...secret,
      COGNITO_ENDPOINT: proxy.endpoint,
      // Short enough for a hanging token endpoint to time out in a test, long enough for a loaded machine.
      COGNITO_TIMEOUT_MS: '3000',
      COGNITO_DOMAIN: domain,
      OAUTH_PROVIDERS: 'DevIdP',
      PUBLIC_ORIGIN,
      // Every test here signs in many times from one address.
      RATE_LIMITS: JSON.stringify({ 'signIn.address': { max: 1000 } }),
      ...options.env
    },
    jwks: emulator.jwks
  })
  return { app, emulator, proxy, cognito, domain, browser: () => new OAuthBrowser(app, new Client(app, emulator.mailbox)) }
}
