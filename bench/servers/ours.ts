// (b) and (d): our server, built exactly as src/server.ts builds it, on the user pool the bench
// configures (the emulator the bench runs, reached through COGNITO_ENDPOINT). (d) differs only
// by REDIS_URL in its environment. Its log lines (LOG_LEVEL) go to BENCH_LOG, not to stdout.
import Fastify from 'fastify'
import fp from 'fastify-plugin'
import app from '../../src/app.ts'
import { loadConfig } from '../../src/config.ts'
import { serverOptions } from '../../src/server-options.ts'
import { announce } from './announce.ts'
import { benchLogger } from './logging.ts'

const config = loadConfig(process.env)
if (config.pool?.endpoint === undefined) throw new Error('the bench configures a pool with COGNITO_ENDPOINT')

// aws-jwt-verify fetches keys over https only: the emulator's JWKS is fetched here and handed over.
const response = await fetch(`${config.pool.endpoint}/${config.pool.userPoolId}/.well-known/jwks.json`)
const jwks = await response.json() as { keys: unknown[] }

const server = Fastify(serverOptions(config, benchLogger(config.logLevel)))
await server.register(fp(app), { env: process.env, jwks })
announce(await server.listen({ port: config.port, host: config.host }), () => server.close())
