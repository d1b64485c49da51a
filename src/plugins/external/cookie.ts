// @fastify/cookie, registered for the whole app.
import cookie from '@fastify/cookie'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'

/** Cookie parsing and writing; the session plugin decides names, sealing and attributes. */
async function cookies (fastify: FastifyInstance): Promise<void> {
  await fastify.register(cookie)
}

export default fp(cookies, { name: 'cookies' })
