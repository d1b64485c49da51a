import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { Redis } from 'ioredis'

declare module 'fastify' {
  interface FastifyInstance {
    /** The shared Redis, when REDIS_URL is set: rate limits and revocations live there. */
    redis?: Redis
  }
}

async function redis (fastify: FastifyInstance): Promise<void> {
  const url = fastify.config.redisUrl
  if (url === undefined) return
  const client = new Redis(url, {
    // One retry per command, then an error: a request must not hang on a Redis outage.
    maxRetriesPerRequest: 1,
    enableOfflineQueue: true,
    connectTimeout: 2000,
    lazyConnect: true
  })
  client.on('error', (err) => fastify.log.warn({ err: err.message }, 'redis error'))
  await client.connect()
  fastify.decorate('redis', client)
  fastify.addHook('onClose', async () => { await client.quit().catch(() => client.disconnect()) })
}

export default fp(redis, { name: 'redis', dependencies: ['config'] })
