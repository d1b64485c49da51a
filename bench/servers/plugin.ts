// (p) and (p0): plugin mode, as an app installs us (docs: the app's own API behind our session).
// An app that registers `authServer` and serves GET /api/notes with `preHandler: app.requireUser`
// (p), and the same answer without it at GET /api/open (p0): the difference is what requireUser
// costs an app's route (the session read from the cookies, revocation, the registry). The app
// logs as ours does (servers/logging.ts), so both routes share everything else. BENCH_ME_ID is the
// bench user's id, which (p0) answers as (p) answers the caller's.
import Fastify from 'fastify'
import { authServer } from '../../src/index.ts'
import { announce } from './announce.ts'
import { benchLogging } from './logging.ts'

const owner = process.env.BENCH_ME_ID ?? ''
const app = Fastify(benchLogging(process.env.LOG_LEVEL ?? 'info'))
await app.register(authServer, { env: process.env })
app.get('/api/notes', { preHandler: app.requireUser }, async (request) => ({ owner: request.user?.id }))
app.get('/api/open', async () => ({ owner }))
announce(await app.listen({ port: 0, host: '127.0.0.1' }), () => app.close())
