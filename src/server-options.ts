// The Fastify server options, shared by the server and the tests.
import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import type { FastifyServerOptions } from 'fastify'
import type { Config } from './config.ts'
import { loggerOptions, RequestLog } from './logger.ts'
import { BODY_LIMIT } from './plugins/app/request-hygiene.ts'

/** An X-Request-Id a client or proxy may set: short, and nothing a log line or a header could be confused by. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/

/**
 * The id of a request: the incoming X-Request-Id when it is well-formed (a proxy's, to follow one
 * request across services), else a fresh UUID. Log lines (`reqId`), the X-Request-Id answered and
 * the `extensions.requestId` of a masked error all carry it.
 */
export function requestIdOf (request: IncomingMessage): string {
  const given = request.headers['x-request-id']
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID()
}

/**
 * The address to open in a browser: `localhost` for a loopback HOST. Passkeys and cookies need
 * the browser to use one name throughout, and `127.0.0.1` is another site than `localhost`.
 */
export function browserAddress (host: string, port: number): string {
  const loopback = host === 'localhost' || host === '::1' || host.startsWith('127.')
  return `http://${loopback ? 'localhost' : host.includes(':') ? `[${host}]` : host}:${port}`
}

/** The Fastify server options, shared by the server and the tests so both run the same app; `shortRequestLines` for readable development logs. */
export function serverOptions (config: Config, logger: FastifyServerOptions['logger'] = loggerOptions(config.logLevel), shortRequestLines = false): FastifyServerOptions {
  return {
    logger,
    // One request line per request, when it is answered (see RequestLog); short ones for a person.
    logController: new RequestLog(shortRequestLines),
    // Believe X-Forwarded-For for exactly TRUST_PROXY hops (the addresses our proxies added).
    trustProxy: (_address: string, hop: number) => hop < config.trustProxy,
    // Fastify would take any X-Request-Id as it is: requestIdOf checks it first.
    requestIdHeader: false,
    genReqId: requestIdOf,
    bodyLimit: BODY_LIMIT,
    requestTimeout: 30_000,
    return503OnClosing: true
  }
}
