// First: refuses an unsupported Node.js before anything else loads.
import './node-version.ts'
import { existsSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import Fastify from 'fastify'
import fp from 'fastify-plugin'
import closeWithGrace from 'close-with-grace'
import app from './app.ts'
import { loadConfig, type Config } from './config.ts'
import { loggerOptions, prettyPrinter } from './logger.ts'
import { browserAddress, serverOptions } from './server-options.ts'
import { StartRefused } from './start-refused.ts'
import { startTracing } from './tracing.ts'

if (process.env.NODE_ENV !== 'production' && existsSync('.env')) process.loadEnvFile('.env')

/** A refused start (bad configuration, a data directory in use, a taken port) ends the process with its one line; anything else is a crash. */
function exitRefused (err: unknown): never {
  if (!(err instanceof StartRefused)) throw err
  console.error(err.message)
  process.exit(1)
}

let config: Config
try {
  config = loadConfig(process.env)
} catch (err) {
  exitRefused(err)
}

// OpenTelemetry instruments Fastify instances created after it starts (only with an OTLP endpoint).
const tracing = await startTracing(config)

// Readable lines in development; JSON (for a log pipeline) in production and under test.
const development = config.env.NODE_ENV === 'development'
const pretty = development ? prettyPrinter() : undefined
const server = Fastify(serverOptions(config, loggerOptions(config.logLevel, pretty), pretty !== undefined))
if (development && pretty === undefined) server.log.info('pino-pretty is not installed (a development dependency): logging JSON')
try {
  await server.register(fp(app), { env: process.env })
} catch (err) {
  exitRefused(err)
}

closeWithGrace({ delay: 10_000 }, async ({ err, signal }) => {
  if (err !== undefined) server.log.error({ err }, 'closing after an error')
  else server.log.info({ signal }, 'closing')
  await server.close()
  await tracing?.shutdown()
})

/** Listens, or refuses the start in one line when the port is taken (after closing what started, the emulator included). */
async function listen (): Promise<number> {
  try {
    await server.listen({ port: config.port, host: config.host })
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err
    await server.close()
    exitRefused(new StartRefused(`port ${config.port} on ${config.host} is taken (another server listens there): stop it, or set PORT to another port`))
  }
  return (server.server.address() as AddressInfo).port
}

const address = browserAddress(config.host, await listen())
const urls = [
  `GraphQL API at ${address}/graphql`,
  ...(config.graphiql ? [`GraphiQL at ${address}/graphiql`] : []),
  ...(!config.production ? [`example SPA at ${address}/spa/`] : []),
  ...(config.pool === undefined ? [`dev mailbox at ${address}/dev/mailbox`] : [])
]
server.log.info(urls.join(', '))
