import type { FastifyServerOptions } from 'fastify'
import type { Config } from './config.ts'
import { loggerOptions } from './logger.ts'

/** The Fastify server options, shared by the server and the tests so both run the same app. */
export function serverOptions (config: Config, logger: FastifyServerOptions['logger'] = loggerOptions(config.logLevel)): FastifyServerOptions {
  return {
    logger,
    // Believe X-Forwarded-For for exactly TRUST_PROXY hops (the addresses our proxies added).
    trustProxy: (_address: string, hop: number) => hop < config.trustProxy,
    bodyLimit: 64 * 1024,
    requestTimeout: 30_000,
    return503OnClosing: true
  }
}
