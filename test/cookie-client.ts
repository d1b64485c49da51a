// The tests' browser: a cookie jar and the requests it goes with, to the app through `inject` or to
// a listening server over HTTP (`fetch`); GraphQL answers with their error codes.
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'
import type { Mailbox } from '../src/dev/mailbox.ts'
import { CookieJar } from './cookie-jar.ts'

/** A GraphQL answer; `response` is the HTTP answer it came in (light-my-request's, or fetch's for an HTTP client). */
export interface GraphQLResponse<T = Record<string, any>, R = LightMyRequestResponse> {
  status: number
  data: T | null | undefined
  errors: Array<{ message: string, extensions: { code: string, [key: string]: unknown }, path?: string[] }> | undefined
  /** The error codes, in order, for quick assertions. */
  codes: string[]
  response: R
}

type Body = { data?: unknown, errors?: Array<{ extensions: { code: string } }> }

/**
 * A client with a cookie jar, as a browser keeps one. `new Client(app)` speaks to the app
 * through `inject` (and over real HTTP with `fetch` once it listens); `Client.http(url)` speaks
 * to a listening server over HTTP only. `clone` is another tab of the same browser; `at` takes
 * its cookies (a copy) to another instance.
 */
export class Client<R = LightMyRequestResponse> {
  readonly jar = new CookieJar()
  /** Read codes from an emulator directly (when the app runs on a configured pool). */
  readonly mailbox?: Mailbox
  /** The app, for a client that speaks `inject`. */
  readonly #app: FastifyInstance | undefined
  /** The server's GraphQL endpoint, for a client that speaks HTTP only (relative URLs resolve against it). */
  readonly graphqlUrl: string | undefined

  constructor (target: FastifyInstance | string, mailbox?: Mailbox) {
    if (typeof target === 'string') {
      const url = new URL(target)
      this.graphqlUrl = url.pathname === '/' ? new URL('/graphql', url).href : url.href
    } else {
      this.#app = target
    }
    this.mailbox = mailbox
  }

  /** A client of a server listening at `url`: its origin (GraphQL at /graphql) or its GraphQL endpoint (a gateway's, say). */
  static http (url: string): Client<Response> {
    return new Client<Response>(url)
  }

  get app (): FastifyInstance {
    if (this.#app === undefined) throw new Error(`this client speaks HTTP to ${String(this.graphqlUrl)}, not inject`)
    return this.#app
  }

  /** The names of the session cookies in the jar (the known-device cookie is no session). */
  sessionCookies (): string[] {
    return [...this.jar.keys()].filter((name) => !name.endsWith('device')).sort()
  }

  cookieHeader (): string {
    return this.jar.header()
  }

  /** Stores what the Set-Cookie lines of an injected answer say. */
  absorb (response: LightMyRequestResponse): void {
    this.jar.store(response.headers['set-cookie'] as string | string[] | undefined)
  }

  /** One request to the app through `inject`, with this jar's cookies (keeping what it sets). */
  async inject (options: InjectOptions): Promise<LightMyRequestResponse> {
    const headers = { ...(this.jar.size > 0 ? { cookie: this.cookieHeader() } : {}), ...options.headers }
    const response = await this.app.inject({ ...options, headers })
    this.absorb(response)
    return response
  }

  /**
   * Node's fetch with this jar, over real HTTP (the server must listen): what a browser's fetch
   * with `credentials: 'include'` does with cookies, for code that takes a fetch (the browser client).
   */
  readonly fetch = async (url: string | URL, init: RequestInit = {}): Promise<Response> => {
    const headers = new Headers(init.headers)
    if (this.jar.size > 0) headers.set('cookie', this.cookieHeader())
    const response = await fetch(new URL(url, this.graphqlUrl), { ...init, headers })
    this.jar.store(response.headers.getSetCookie())
    return response
  }

  async gql<T = Record<string, any>> (query: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}): Promise<GraphQLResponse<T, R>> {
    const request = { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) }
    if (this.graphqlUrl !== undefined) {
      const response = await this.fetch(this.graphqlUrl, request)
      return answer<T, R>(response.status, await response.json() as Body, response as R)
    }
    const response = await this.inject({ method: 'POST', url: '/graphql', headers: request.headers, payload: request.body })
    return answer<T, R>(response.statusCode, response.json(), response as R)
  }

  /** The newest code the emulator sent to `to`: from its mailbox, or the server's /dev/mailbox. */
  async code (to: string): Promise<string> {
    const path = `/dev/mailbox?to=${encodeURIComponent(to)}`
    const messages = this.mailbox !== undefined
      ? this.mailbox.list(to)
      : this.graphqlUrl !== undefined
        ? await (await this.fetch(path)).json() as Array<{ code: string }>
        : (await this.app.inject({ method: 'GET', url: path })).json() as Array<{ code: string }>
    if (messages[0] === undefined) throw new Error(`no code was sent to ${to}`)
    return messages[0].code
  }

  /** Another tab of this browser: a copy of the jar, the same server. */
  clone (): Client<R> {
    return this.#withJar(new Client<R>(this.#app ?? String(this.graphqlUrl), this.mailbox))
  }

  /** This browser's cookies (a copy) on another instance of the app. */
  at (app: FastifyInstance, mailbox = this.mailbox): Client {
    return this.#withJar(new Client(app, mailbox))
  }

  #withJar<C extends Client<any>> (copy: C): C {
    for (const [name, value] of this.jar) copy.jar.set(name, value)
    return copy
  }
}

function answer<T, R> (status: number, body: Body, response: R): GraphQLResponse<T, R> {
  return { status, data: body.data as T | null | undefined, errors: body.errors as GraphQLResponse['errors'], codes: (body.errors ?? []).map((e) => e.extensions.code), response }
}
