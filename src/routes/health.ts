// /health and /ready: liveness, and readiness of what the server depends on.
import type { FastifyInstance } from 'fastify'

/**
 * Liveness and readiness for load balancers and orchestrators. Readiness also names the Cognito
 * operations the endpoint has answered as not implemented (an emulator such as cognito-local,
 * LocalStack or moto): the server is up, but the flows that need them fail; and an app client
 * that allows no password flow (`passwordFlow: none`).
 */
export default async function health (fastify: FastifyInstance): Promise<void> {
  fastify.get('/health', async () => ({ status: 'ok' }))

  fastify.get('/ready', async (_request, reply) => {
    const keys = await fastify.sessions.loadKeys()
    const redis = fastify.redis === undefined ? undefined : await fastify.redis.ping().then(() => true, () => false)
    const unsupported = fastify.cognito.unsupportedOperations()
    await fastify.cognitoDiscovered
    const { neither } = fastify.cognito.passwordFlow()
    const ready = keys && redis !== false
    return await reply.code(ready ? 200 : 503).send({
      status: ready ? 'ready' : 'unavailable',
      keys,
      ...(redis === undefined ? {} : { redis }),
      ...(unsupported.length === 0 ? {} : { unsupported }),
      // The app client allows neither USER_PASSWORD_AUTH nor USER_SRP_AUTH: no password signs in.
      ...(neither ? { passwordFlow: 'none' } : {})
    })
  })
}
