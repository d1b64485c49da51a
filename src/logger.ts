// The log options: what a request line shows (never a query string, header, cookie or body), pretty printing in development.
import { createRequire } from 'node:module'
import { LogController, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify'

const require = createRequire(import.meta.url)

/**
 * Where pino-pretty is installed, or undefined: it is a development dependency, so an install
 * without them (`npm ci --omit=dev`) has none, whatever NODE_ENV says. The path is absolute so
 * that pino's transport worker finds it from wherever pino itself is installed.
 */
export function prettyPrinter (resolve: (id: string) => string = require.resolve): string | undefined {
  try {
    return resolve('pino-pretty')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw err
    return undefined
  }
}

/** The part of a URL before its query string (which can hold an OAuth code or a GET query's variables). */
export function pathOf (url: string): string {
  const question = url.indexOf('?')
  return question === -1 ? url : url.slice(0, question)
}

/** A request as log lines show it: method, path (never the query string), id, address. */
export function requestSerializer (req: { method: string, url: string, id: string, ip?: string }) {
  return { method: req.method, url: pathOf(req.url), id: req.id, remoteAddress: req.ip }
}

/**
 * Log options shared by the server, the tests and the apps that install the auth server (with
 * RequestLog): request lines carry no query string (an OAuth callback's code, a GET /graphql
 * query's variables), and no header, cookie, body or variable is ever logged.
 * JSON lines unless `pretty` names a pino-pretty to print with (the server does in development;
 * tests pass a stream of their own and read JSON).
 */
export function loggerOptions (level: string, pretty?: string): FastifyServerOptions['logger'] {
  return {
    level,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', '*.password', '*.variables', '*.body'],
      censor: '[redacted]'
    },
    serializers: { req: requestSerializer },
    ...(pretty !== undefined ? { transport: { target: pretty, options: { translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname', singleLine: true } } } : {})
  }
}

/** A request for a static file (the SPA's modules, GraphiQL's scripts): a page load brings a dozen. */
const STATIC_FILE = /\.[a-z0-9]+$/i

/**
 * Fastify's request lines, one per request instead of two: written when the request is
 * answered, with the request (method, path, id, address), the status and the time taken.
 * Fastify's "incoming request" line said nothing the answer's line does not, and every line
 * costs as much as a layer of the server (bench/RESULTS.md); a request that never ends is
 * still ended by the server's request timeout, and so still logged.
 *
 * `short` (development, read by a person): `GET /graphql 200 12 ms 5f3c…` in the message and
 * nothing after it, through the root logger (a request's logger would add its reqId again);
 * static files at debug, so that a page load is one line, not fifteen.
 */
export class RequestLog extends LogController {
  private readonly short: boolean
  constructor (short: boolean = false) {
    super()
    this.short = short
  }

  override incomingRequest (): void {}

  // Fastify's own line names the raw URL, query string and all.
  override routeNotFound (request: FastifyRequest): void {
    if (this.isLogDisabled(request)) return
    request.log.info({ req: request }, 'route not found')
  }

  override requestCompleted (error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (this.isLogDisabled(request)) return
    if (error != null) reply.log.error({ req: request, res: reply, err: error, responseTime: reply.elapsedTime }, 'request errored')
    else if (!this.short) reply.log.info({ req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed')
    else {
      const path = request.url.split('?')[0] ?? ''
      const line = `${request.method} ${path} ${reply.statusCode} ${Math.round(reply.elapsedTime)} ms ${request.id}`
      if (STATIC_FILE.test(path) && reply.statusCode < 400) request.server.log.debug(line)
      else request.server.log.info(line)
    }
  }
}
