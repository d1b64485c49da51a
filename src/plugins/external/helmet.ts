import helmet from '@fastify/helmet'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

/**
 * The usual security headers on every route but the GraphiQL playground, whose page loads its
 * scripts and styles from a CDN that a strict Content-Security-Policy would block.
 */
async function securityHeaders (fastify: FastifyInstance): Promise<void> {
  await fastify.register(helmet, { global: false })
  fastify.addHook('onRequest', async (request, reply) => {
    if (!request.url.startsWith('/graphiql')) await reply.helmet()
  })
}

export default fp(securityHeaders, { name: 'helmet' })
