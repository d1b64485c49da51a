import { existsSync } from 'node:fs'
import Fastify from 'fastify'
import fp from 'fastify-plugin'
import closeWithGrace from 'close-with-grace'
import app from './app.ts'
import { ConfigError, loadConfig, type Config } from './config.ts'
import { serverOptions } from './server-options.ts'

if (process.env.NODE_ENV !== 'production' && existsSync('.env')) process.loadEnvFile('.env')

/** Bad configuration ends the process with its message, which names the variable; anything else is a crash. */
function refuse (err: unknown): never {
  if (!(err instanceof ConfigError)) throw err
  console.error(err.message)
  process.exit(1)
}

let config: Config
try {
  config = loadConfig(process.env)
} catch (err) {
  refuse(err)
}

const server = Fastify(serverOptions(config))
try {
  await server.register(fp(app), { env: process.env })
} catch (err) {
  refuse(err)
}

closeWithGrace({ delay: 10_000 }, async ({ err, signal }) => {
  if (err !== undefined) server.log.error({ err }, 'closing after an error')
  else server.log.info({ signal }, 'closing')
  await server.close()
})

const address = await server.listen({ port: config.port, host: config.host }).catch(refuse)
server.log.info(`GraphQL API at ${address}/graphql${config.graphiql ? `, GraphiQL at ${address}/graphiql` : ''}${config.pool === undefined ? `, dev mailbox at ${address}/dev/mailbox` : ''}`)
