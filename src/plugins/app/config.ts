// fastify.config: the environment, validated once at registration.
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { loadConfig, type Config } from '../../config.ts'

declare module 'fastify' {
  interface FastifyInstance {
    config: Config
  }
}

export interface ConfigPluginOptions {
  /** The environment to read; `process.env` when absent (tests pass their own). */
  env?: Record<string, string | undefined>
}

async function config (fastify: FastifyInstance, opts: ConfigPluginOptions): Promise<void> {
  fastify.decorate('config', loadConfig(opts.env ?? process.env))
}

export default fp(config, { name: 'config' })
