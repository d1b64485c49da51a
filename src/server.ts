import { existsSync } from 'node:fs'
import Fastify from 'fastify'
import fp from 'fastify-plugin'
import closeWithGrace from 'close-with-grace'
import app from './app.ts'
import { ConfigError, loadConfig, type Config } from './config.ts'
import { loggerOptions, prettyPrinter } from './logger.ts'
import { serverOptions } from './server-options.ts'
import { startTracing } from './tracing.ts'

if (process.env.NODE_ENV !== 'production' && existsSync('.env')) process.loadEnvFile('.env')

/** Bad configuration ends the process with its message, which names the variable; anything else is a crash. */
function refuse (err: unknown): never {
  if (!(err instanceof ConfigError)) throw err
  console.error(err.message)
  process.exit(1)
}

/**
 * The address to open in a browser: `localhost` for a loopback HOST. Passkeys and cookies need
 * the browser to use one name throughout, and `127.0.0.1` is another site than `localhost`.
 */
function browserAddress (listening: string, host: string): string {
  if (host !== 'localhost' && host !== '::1' && !host.startsWith('127.')) return listening
  const url = new URL(listening)
  url.hostname = 'localhost'
  return url.origin
}

let config: Config
try {
  config = loadConfig(process.env)
} catch (err) {
  refuse(err)
}

// OpenTelemetry instruments Fastify instances created after it starts (only with an OTLP endpoint).
const tracing = await startTracing(config)

// Readable lines in development; JSON (for a log pipeline) in production and under test.
const development = config.env.NODE_ENV === 'development'
const pretty = development ? prettyPrinter() : undefined
const server = Fastify(serverOptions(config, loggerOptions(config.logLevel, pretty)))
if (development && pretty === undefined) server.log.info('pino-pretty is not installed (a development dependency): logging JSON')
try {
  await server.register(fp(app), { env: process.env })
} catch (err) {
  refuse(err)
}

closeWithGrace({ delay: 10_000 }, async ({ err, signal }) => {
  if (err !== undefined) server.log.error({ err }, 'closing after an error')
  else server.log.info({ signal }, 'closing')
  await server.close()
  await tracing?.shutdown()
})

const address = browserAddress(await server.listen({ port: config.port, host: config.host }).catch(refuse), config.host)
const urls = [
  `GraphQL API at ${address}/graphql`,
  ...(config.graphiql ? [`GraphiQL at ${address}/graphiql`] : []),
  ...(!config.production ? [`example SPA at ${address}/spa/`] : []),
  ...(config.pool === undefined ? [`dev mailbox at ${address}/dev/mailbox`] : [])
]
server.log.info(urls.join(', '))
