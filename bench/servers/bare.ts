// (a) A bare Fastify route answering POST /graphql with the JSON our server answers to `me`
// (BENCH_BODY): the ceiling for any Fastify app on this machine. LOG_LEVEL=info logs as (b) does
// (our logger options and request lines, to BENCH_LOG), so that the two compare with equal logging.
import Fastify from 'fastify'
import { announce } from './announce.ts'
import { benchLogging } from './logging.ts'

const body = JSON.parse(process.env.BENCH_BODY ?? 'null') as unknown
if (body === null) throw new Error('BENCH_BODY must hold the JSON to answer')

const server = Fastify(benchLogging(process.env.LOG_LEVEL ?? 'silent'))
server.post('/graphql', async () => body)
announce(await server.listen({ port: 0, host: '127.0.0.1' }), () => server.close())
