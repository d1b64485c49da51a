import type { FastifyInstance } from 'fastify'

/** Liveness and readiness for load balancers and orchestrators. */
export default async function health (fastify: FastifyInstance): Promise<void> {
  fastify.get('/health', async () => ({ status: 'ok' }))

  fastify.get('/ready', async (_request, reply) => {
    const keys = await fastify.sessions.loadKeys()
    const redis = fastify.redis === undefined ? undefined : await fastify.redis.ping().then(() => true, () => false)
    const ready = keys && redis !== false
    return await reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'unavailable', keys, ...(redis === undefined ? {} : { redis }) })
  })
}
