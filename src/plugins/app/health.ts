import type { FastifyInstance } from 'fastify'

/** Liveness and readiness for load balancers and orchestrators. */
export default async function health (fastify: FastifyInstance): Promise<void> {
  fastify.get('/health', async () => ({ status: 'ok' }))

  fastify.get('/ready', async (_request, reply) => {
    const keys = await fastify.sessions.loadKeys()
    if (!keys) return await reply.code(503).send({ status: 'unavailable', keys: false })
    return { status: 'ready', keys: true }
  })
}
