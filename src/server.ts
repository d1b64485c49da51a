import { existsSync } from 'node:fs'
import Fastify from 'fastify'
import fp from 'fastify-plugin'
import closeWithGrace from 'close-with-grace'
import app from './app.ts'
import { ConfigError, loadConfig } from './config.ts'
import { serverOptions } from './server-options.ts'

if (process.env.NODE_ENV !== 'production' && existsSync('.env')) process.loadEnvFile('.env')

let config
try {
  config = loadConfig(process.env)
} catch (err) {
  if (!(err instanceof ConfigError)) throw err
  console.error(err.message)
  process.exit(1)
}

const server = Fastify(serverOptions(config))

await server.register(fp(app), { env: process.env })

closeWithGrace({ delay: 10_000 }, async ({ err, signal }) => {
  if (err !== undefined) server.log.error({ err }, 'closing after an error')
  else server.log.info({ signal }, 'closing')
  await server.close()
})

const address = await server.listen({ port: config.port, host: config.host })
const base = address
server.log.info(`GraphQL API at ${base}/graphql${config.graphiql ? `, GraphiQL at ${base}/graphiql` : ''}${config.pool === undefined ? `, dev mailbox at ${base}/dev/mailbox` : ''}`)
