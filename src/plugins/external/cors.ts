// @fastify/cors for CORS_ORIGINS, with the preflight headers the server reads.
import cors from '@fastify/cors'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { CORS_ALLOWED_HEADERS } from '../../preflight-headers.ts'

/**
 * CORS with credentials for the configured origins only (CORS_ORIGINS). Browsers block
 * cross-site cookies anyway, so these are same-site origins (another port or subdomain).
 * Other origins get no CORS headers at all.
 */
async function corsPolicy (fastify: FastifyInstance): Promise<void> {
  const allowed = new Set(fastify.config.corsOrigins)
  await fastify.register(cors, {
    origin: (origin, callback) => { callback(null, origin !== undefined && allowed.has(origin) ? origin : false) },
    credentials: true,
    methods: ['GET', 'POST'],
    // The CSRF check of /graphql accepts the same preflight headers (src/preflight-headers.ts).
    allowedHeaders: [...CORS_ALLOWED_HEADERS],
    // A page of another origin reads the request id of a refusal too (the browser client's AuthError.requestId).
    exposedHeaders: ['x-request-id'],
    maxAge: 600
  })
}

export default fp(corsPolicy, { name: 'cors', dependencies: ['config'] })
