import type { IncomingMessage, ServerResponse } from 'node:http'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import helmet from 'helmet'

/**
 * helmet's security headers, worked out once at start: with no per-request nonces they never
 * change, and building them per request was a measurable share of every request's cost.
 */
export function securityHeaders (): Record<string, string> {
  const headers: Record<string, string> = {}
  const response = {
    setHeader: (name: string, value: string | number | readonly string[]) => { headers[name.toLowerCase()] = String(value) },
    removeHeader: (name: string) => { delete headers[name.toLowerCase()] }
  }
  helmet()({} as IncomingMessage, response as unknown as ServerResponse, () => {})
  return headers
}

/**
 * The security headers on every route but the GraphiQL playground, whose page loads its scripts
 * and styles from a CDN that the Content-Security-Policy would block.
 */
async function helmetHeaders (fastify: FastifyInstance): Promise<void> {
  const headers = securityHeaders()
  fastify.addHook('onRequest', (request, reply, done) => {
    if (!request.url.startsWith('/graphiql')) reply.headers(headers)
    done()
  })
}

export default fp(helmetHeaders, { name: 'helmet' })
