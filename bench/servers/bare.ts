// (a) A bare Fastify route answering POST /graphql with the JSON our server answers to `me`
// (BENCH_BODY): the ceiling for any Fastify app on this machine; and (as) a bare GET /session
// answering what ours answers there (BENCH_SESSION_BODY), with the same headers. LOG_LEVEL=info
// logs as (b) does (our logger options and request lines, to BENCH_LOG), so that the two compare
// with equal logging.
import Fastify from 'fastify'
import { announce } from './announce.ts'
import { benchLogging } from './logging.ts'

const body = JSON.parse(process.env.BENCH_BODY ?? 'null') as unknown
if (body === null) throw new Error('BENCH_BODY must hold the JSON to answer')
const session = JSON.parse(process.env.BENCH_SESSION_BODY ?? 'null') as { user: { id: string, email: string, groups: string[] } } | null

const server = Fastify(benchLogging(process.env.LOG_LEVEL ?? 'silent'))
server.post('/graphql', async () => body)
if (session !== null) {
  server.get('/session', async (_request, reply) => {
    reply.headers({ 'cache-control': 'no-store', 'x-user-id': session.user.id, 'x-user-email': session.user.email, 'x-user-groups': session.user.groups.join(',') })
    return session
  })
}
announce(await server.listen({ port: 0, host: '127.0.0.1' }), () => server.close())
