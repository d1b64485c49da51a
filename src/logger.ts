import type { FastifyServerOptions } from 'fastify'

/**
 * Log options shared by the server and the tests: request lines carry no query string (a GET
 * /graphql query could hold variables), and no header, cookie, body or variable is ever logged.
 */
export function loggerOptions (level: string): FastifyServerOptions['logger'] {
  return {
    level,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', '*.password', '*.variables', '*.body'],
      censor: '[redacted]'
    },
    serializers: {
      req: (req: { method: string, url: string, id: string, ip?: string }) => ({
        method: req.method,
        url: req.url.split('?')[0],
        id: req.id,
        remoteAddress: req.ip
      })
    }
  }
}
