// (ba) The peer a team would pick instead: Better Auth on Fastify, email and password, its memory
// adapter, the session cached in a signed cookie (`cookieCache`, so that a session check reads no
// store). Its handler at /api/auth/* as Better Auth's Fastify guide mounts it; GET /session answers
// what ours answers (the user, the expiry, X-User-* headers, no-store) from `auth.api.getSession`.
// One user (BENCH_EMAIL, BENCH_PASSWORD) is signed up at start; the bench signs in over HTTP.
// Logging as (b) logs (servers/logging.ts): equal logging.
import { randomBytes } from 'node:crypto'
import { betterAuth } from 'better-auth'
import { memoryAdapter } from 'better-auth/adapters/memory'
import { fromNodeHeaders } from 'better-auth/node'
import Fastify from 'fastify'
import { announce } from './announce.ts'
import { benchLogging } from './logging.ts'

const { BENCH_EMAIL: email = '', BENCH_PASSWORD: password = '' } = process.env
const db: Record<string, Array<Record<string, unknown>>> = { user: [], session: [], account: [], verification: [] }
const auth = betterAuth({
  baseURL: 'http://127.0.0.1',
  secret: randomBytes(32).toString('base64url'),
  database: memoryAdapter(db),
  emailAndPassword: { enabled: true },
  // An hour, so that the cache outlives the run: every check is answered from the cookie, as ours from its verified-token cache.
  session: { cookieCache: { enabled: true, maxAge: 3600 } },
  // The bench signs in more often than a person would.
  rateLimit: { enabled: false },
  telemetry: { enabled: false }
})
await auth.api.signUpEmail({ body: { email, password, name: 'Bench' } })

const server = Fastify(benchLogging(process.env.LOG_LEVEL ?? 'info'))
server.route({
  method: ['GET', 'POST'],
  url: '/api/auth/*',
  async handler (request, reply) {
    const response = await auth.handler(new Request(new URL(request.url, 'http://127.0.0.1'), {
      method: request.method,
      headers: fromNodeHeaders(request.headers),
      ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) })
    }))
    reply.status(response.status)
    response.headers.forEach((value, key) => { reply.header(key, value) })
    return await reply.send(await response.text())
  }
})
server.get('/session', async (request, reply) => {
  const found = await auth.api.getSession({ headers: fromNodeHeaders(request.headers) })
  reply.header('cache-control', 'no-store')
  if (found === null) return await reply.code(401).send({ error: 'UNAUTHENTICATED' })
  const { id, email, emailVerified, name } = found.user
  reply.headers({ 'x-user-id': id, 'x-user-email': email, 'x-user-groups': '' })
  return { user: { id, email, emailVerified, name, groups: [] }, expiresAt: found.session.expiresAt }
})
announce(await server.listen({ port: 0, host: '127.0.0.1' }), () => server.close())
