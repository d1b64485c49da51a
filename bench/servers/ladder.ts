// The cost ladder: one rung of the way from a bare Fastify route (servers/bare.ts, rung 0) to our
// full server (servers/ours.ts, rung 8), chosen by LADDER_RUNG (1 to 7). Each rung adds one layer
// to the one below it, so that the difference between two neighbours is what that layer costs:
//   1. Mercurius with our schema, answering `me` from a constant;
//   2. + cookies (our cookie plugin: every request's Cookie header parsed);
//   3. + verification and its cache (both tokens, token-verifier.ts), `me` answered from the claims;
//   4. + revocation (the memory store, asked on every request as the session does);
//   5. + our pipeline: app.ts's plugins in app.ts's order without helmet (context, guard and
//      budget, the session manager, our resolvers, our graphql plugin's hooks);
//   6. + security headers (the helmet plugin, where app.ts registers it);
//   7. + logging at info (our logger options and request lines, written to BENCH_LOG).
// Rung 8 (ours.ts) then adds what app.ts and server-options.ts have beyond rung 7 (request ids,
// the trust-proxy function, the timeouts). The schema, cookies and tokens are (b)'s.
// LADDER_RUNG=m is rung 1 logging at info, (m): "Mercurius with a constant `me`" at (b)'s logging,
// what our own layers are measured against.
//
// LADDER_RUNG=inject instead builds rungs 0 to 8 in this one process and measures each with
// Fastify's inject (no sockets, no load generator): BENCH_INJECT_ROUNDS rounds of
// BENCH_INJECT_REQUESTS requests each, rungs alternating, the process's CPU time per request
// (process.cpuUsage), and (m) beside them; it prints one JSON line of the medians and exits. On a machine shared with
// other work this resolves costs that the load generator's noise hides.
import Fastify, { type FastifyInstance } from 'fastify'
import app from '../../src/app.ts'
import { serverOptions } from '../../src/server-options.ts'
import fp from 'fastify-plugin'
import mercurius from 'mercurius'
import { loadConfig } from '../../src/config.ts'
import { loadSchemaSDL } from '../../src/graphql/schema.ts'
import audit from '../../src/plugins/app/audit.ts'
import cognito from '../../src/plugins/app/cognito.ts'
import configPlugin from '../../src/plugins/app/config.ts'
import currentUser from '../../src/plugins/app/current-user.ts'
import health from '../../src/routes/health.ts'
import metrics from '../../src/plugins/app/metrics.ts'
import metricsRoute from '../../src/routes/metrics.ts'
import rateLimits from '../../src/plugins/app/rate-limits.ts'
import redis from '../../src/plugins/app/redis.ts'
import revocationPlugin, { createMemoryRevocationStore, createRevocation } from '../../src/plugins/app/revocation.ts'
import { sessionTokenOf } from '../../src/plugins/app/session-model.ts'
import session from '../../src/plugins/app/session.ts'
import { createTokenVerifier } from '../../src/plugins/app/token-verifier.ts'
import userPool from '../../src/plugins/app/user-pool.ts'
import cookies from '../../src/plugins/external/cookie.ts'
import helmet from '../../src/plugins/external/helmet.ts'
import graphql from '../../src/graphql/plugin.ts'
import { announce } from './announce.ts'
import { benchLogger, benchLogging } from './logging.ts'
import { median } from '../stats.ts'

const config = loadConfig(process.env)
if (config.pool?.endpoint === undefined) throw new Error('the bench configures a pool with COGNITO_ENDPOINT')
const jwks = await (await fetch(`${config.pool.endpoint}/${config.pool.userPoolId}/.well-known/jwks.json`)).json() as { keys: unknown[] }

/** Rungs 1 to 4: Mercurius with our schema; `me` from a constant, then from the verified cookies. */
function minimal (rung: number) {
  return async (fastify: FastifyInstance): Promise<void> => {
    const pool = config.pool as NonNullable<typeof config.pool>
    if (rung >= 2) await fastify.register(cookies)
    const verifier = createTokenVerifier({ pool, jwks, logger: fastify.log })
    const revocation = createRevocation({ store: createMemoryRevocationStore(), maxTokenLifetimeSeconds: 86_400 })
    const { BENCH_ME_ID: id = '', BENCH_ME_EMAIL: email = '' } = process.env
    const access = `${config.cookie.secure ? '__Host-' : ''}access`
    const idCookie = `${config.cookie.secure ? '__Host-' : ''}id`
    const me = async (_root: unknown, _args: unknown, ctx: mercurius.MercuriusContext) => {
      if (rung < 3) return { id, email }
      const jar = ctx.reply.request.cookies
      const claims = await verifier.access(jar[access] ?? '')
      if (claims === undefined || claims === 'expired') return null
      if (rung >= 4 && await revocation.isDenied(sessionTokenOf(claims))) return null
      const idClaims = await verifier.id(jar[idCookie], claims.sub)
      return idClaims === undefined ? null : { id: claims.sub, email: String(idClaims.email) }
    }
    await fastify.register(mercurius, { schema: loadSchemaSDL(), resolvers: { Query: { me } } as unknown as mercurius.IResolvers, jit: 0, path: '/graphql' })
  }
}

/** Rungs 5 to 7: app.ts's plugins, in its order, helmet from rung 6 on. */
function pipeline (rung: number) {
  return async (fastify: FastifyInstance): Promise<void> => {
    await fastify.register(configPlugin, { env: process.env })
    await fastify.register(userPool, { jwks })
    if (rung >= 6) await fastify.register(helmet)
    await fastify.register(cookies)
    await fastify.register(redis)
    await fastify.register(audit, {})
    await fastify.register(metrics)
    await fastify.register(rateLimits)
    await fastify.register(cognito)
    await fastify.register(revocationPlugin, {})
    await fastify.register(session)
    await fastify.register(currentUser)
    await fastify.register(graphql, {})
    await fastify.register(health)
    await fastify.register(metricsRoute)
  }
}

/** Rung `rung` of the ladder (0: the bare route, as servers/bare.ts; 8: our server, as servers/ours.ts), logging at `level` (rungs 1 to 7). */
export async function buildRung (rung: number, level = rung >= 7 ? 'info' : 'silent'): Promise<FastifyInstance> {
  if (rung === 0) {
    const bare = Fastify(benchLogging('silent'))
    const body = JSON.parse(process.env.BENCH_BODY ?? 'null') as unknown
    bare.post('/graphql', async () => body)
    return bare
  }
  if (rung === 8) {
    const full = Fastify(serverOptions(config, benchLogger('info')))
    await full.register(fp(app), { env: process.env, jwks })
    return full
  }
  const server = Fastify(benchLogging(level))
  await server.register(fp(rung <= 4 ? minimal(rung) : pipeline(rung)))
  return server
}

/** Every rung in this process, measured by inject: CPU µs per request, medians over alternating rounds. */
async function injectLadder (): Promise<void> {
  const rounds = Number(process.env.BENCH_INJECT_ROUNDS ?? 7)
  const requests = Number(process.env.BENCH_INJECT_REQUESTS ?? 3000)
  // Rungs 0 to 8, then (m): rung 1 logging at info.
  const rungs = await Promise.all([...[0, 1, 2, 3, 4, 5, 6, 7, 8].map(async (rung) => await buildRung(rung)), buildRung(1, 'info')])
  const request = { method: 'POST' as const, url: '/graphql', headers: { 'content-type': 'application/json', cookie: process.env.BENCH_COOKIE ?? '' }, payload: JSON.stringify({ query: '{ me { id email } }' }) }
  const expected = process.env.BENCH_BODY ?? ''
  for (const server of rungs) {
    await server.ready()
    const response = await server.inject(request)
    if (response.statusCode !== 200 || JSON.stringify(JSON.parse(response.body)) !== expected) throw new Error(`a rung answered ${response.statusCode} ${response.body}`)
    for (let i = 0; i < requests / 2; i++) await server.inject(request) // warm-up
  }
  const cpu: number[][] = rungs.map(() => [])
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < rungs.length; k++) {
      const i = (k + round * 4) % rungs.length // a different rung first each round
      const server = rungs[i] as FastifyInstance
      const before = process.cpuUsage()
      for (let n = 0; n < requests; n++) await server.inject(request)
      const used = process.cpuUsage(before)
      cpu[i]?.push((used.user + used.system) / requests)
    }
  }
  const results = cpu.map((values) => ({ median: median(values), rounds: values }))
  process.stdout.write(`${JSON.stringify({ inject: results.slice(0, 9), reference: results[9] })}\n`)
  await Promise.all(rungs.map(async (server) => await server.close()))
  process.exit(0)
}

if (process.env.LADDER_RUNG === 'inject') {
  await injectLadder()
} else {
  const reference = process.env.LADDER_RUNG === 'm'
  const rung = reference ? 1 : Number(process.env.LADDER_RUNG)
  if (!(rung >= 1 && rung <= 7)) throw new Error('LADDER_RUNG must be 1 to 7, m, or inject')
  const server = await buildRung(rung, reference ? 'info' : undefined)
  announce(await server.listen({ port: 0, host: '127.0.0.1' }), () => server.close())
}
