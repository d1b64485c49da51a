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

/** Whether a request URL is the GraphiQL page or one of its files (`/graphiql`, `/graphiql/main.js` …). */
function isGraphiQL (url: string): boolean {
  return url.startsWith('/graphiql') && (url.length === 9 || url[9] === '/' || url[9] === '?')
}

/**
 * The security headers on every route (GraphiQL's page gets its own Content-Security-Policy), and
 * X-Request-Id: the request's id (see `genReqId` in server-options.ts), which its log lines and
 * its errors' `extensions.requestId` carry too. One hook for both: it runs on every request.
 */
async function helmetHeaders (fastify: FastifyInstance): Promise<void> {
  const headers = securityHeaders()
  const graphiql = graphiqlHeaders()
  fastify.addHook('onRequest', (request, reply, done) => {
    reply.headers(isGraphiQL(request.url) ? graphiql : headers)
    reply.header('x-request-id', request.id)
    done()
  })
}

export default fp(helmetHeaders, { name: 'helmet' })
