// Security headers: helmet's, computed once (JSON's set, HTML's, GraphiQL's), and X-Request-Id.
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import helmet, { type HelmetOptions } from 'helmet'

/**
 * helmet's security headers, worked out once at start: with no per-request nonces they never
 * change, and building them per request was a measurable share of every request's cost.
 */
export function securityHeaders (options?: Readonly<HelmetOptions>): Record<string, string> {
  const headers: Record<string, string> = {}
  const response = {
    setHeader: (name: string, value: string | number | readonly string[]) => { headers[name.toLowerCase()] = String(value) },
    removeHeader: (name: string) => { delete headers[name.toLowerCase()] }
  }
  helmet(options)({} as IncomingMessage, response as unknown as ServerResponse, () => {})
  return headers
}

/**
 * helmet's headers for the GraphiQL playground, which must never be framed (a framed playground
 * runs operations with the user's session under a page of someone else's): a Content-Security-
 * Policy that lets its page load its scripts and styles from this origin (the server serves
 * React and GraphiQL itself) and run the inline styles GraphiQL sets, and nothing else: no
 * third-party origin at all. GraphiQL's bundle needs no `eval`.
 */
export function graphiqlHeaders (): Record<string, string> {
  return securityHeaders({
    contentSecurityPolicy: {
      directives: {
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        connectSrc: ["'self'"],
        // GraphiQL's stylesheet embeds its fonts.
        fontSrc: ["'self'", 'data:'],
        frameAncestors: ["'none'"],
        // Its files are relative or https already; upgrading would only break a development
        // server reached over plain http by a name other than localhost.
        upgradeInsecureRequests: null
      }
    },
    xFrameOptions: { action: 'deny' }
  })
}

/**
 * The headers of the JSON API (every answer that is not a document): what matters for a response
 * no browser should render. Nothing may load into it or frame it (a Content-Security-Policy of
 * `default-src 'none'` and `frame-ancestors 'none'`, X-Frame-Options for browsers without CSP),
 * no browser may sniff it into another type, no other site may embed it (CORP), and the browser
 * keeps to https (HSTS, helmet's). helmet's document-oriented headers (Referrer-Policy, COOP,
 * Origin-Agent-Cluster, X-DNS-Prefetch-Control …) do nothing for JSON: HTML answers get them.
 */
export function apiHeaders (documentHeaders: Record<string, string> = securityHeaders()): Record<string, string> {
  return {
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    'cross-origin-resource-policy': 'same-origin',
    'strict-transport-security': documentHeaders['strict-transport-security'] ?? 'max-age=31536000; includeSubDomains',
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY'
  }
}

/** Whether a request URL is the GraphiQL page or one of its files (`/graphiql`, `/graphiql/main.js` …). */
function isGraphiQL (url: string): boolean {
  return url.startsWith('/graphiql') && (url.length === 9 || url[9] === '/' || url[9] === '?')
}

/** Whether an answer is a document (HTML), by its Content-Type. */
function isDocument (contentType: unknown): boolean {
  return typeof contentType === 'string' && contentType.startsWith('text/html')
}

/**
 * The security headers on every answer: the JSON API's set (apiHeaders) on all of them, helmet's
 * whole set on documents (any HTML answer: the example SPA, an app's own pages), GraphiQL's own
 * policy on its page and files; and X-Request-Id, the request's id (see `genReqId` in
 * server-options.ts), which its log lines and its errors' `extensions.requestId` carry too.
 * Callback hooks, worked out once at start: they run on every request.
 */
async function helmetHeaders (fastify: FastifyInstance): Promise<void> {
  const documents = securityHeaders()
  const api = apiHeaders(documents)
  const graphiql = graphiqlHeaders()
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.headers(isGraphiQL(request.url) ? graphiql : api)
    reply.header('x-request-id', request.id)
    done()
  })
  // Set before the answer goes out, when its type is known; GraphiQL's page keeps its own policy.
  fastify.addHook('onSend', (request, reply, payload, done) => {
    if (isDocument(reply.getHeader('content-type')) && !isGraphiQL(request.url)) reply.headers(documents)
    done(null, payload)
  })
}

export default fp(helmetHeaders, { name: 'helmet' })
