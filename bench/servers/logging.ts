// The logger of every bench server: our options (src/logger.ts) at the level asked for, lines
// written synchronously to BENCH_LOG (default /dev/null), as pino writes a deployment's stdout.
// (a) gets our request lines too (one per request): equal logging. `silent` is pino at level
// silent, as LOG_LEVEL=silent runs our server: the same logger object, writing nothing.
import type { FastifyServerOptions } from 'fastify'
import { pino } from 'pino'
import { loggerOptions, RequestLog } from '../../src/logger.ts'

/** Our logger options at `level`, writing to BENCH_LOG (or /dev/null). */
export function benchLogger (level: string): FastifyServerOptions['logger'] {
  return { ...(loggerOptions(level) as object), stream: pino.destination({ dest: process.env.BENCH_LOG ?? '/dev/null', sync: true }) }
}

/** Fastify's options for a server that logs as ours does: our logger and our request lines (server-options.ts). */
export function benchLogging (level: string): Pick<FastifyServerOptions, 'logger' | 'logController'> {
  return { logger: benchLogger(level), logController: new RequestLog() }
}
