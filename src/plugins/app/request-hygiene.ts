// What a request leaves behind, wherever the auth server runs (its own server, or a plugin of an
// app whose Fastify options it does not choose): no query string in a log line or a trace span
// (an OAuth callback's code, a GET query's variables), and a bounded body.
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify'
import { pathOf, requestSerializer } from '../../logger.ts'

/** The largest request body the auth server's routes read (a GraphQL document is bounded far lower). */
export const BODY_LIMIT = 64 * 1024

/** A request as @fastify/otel decorates it, when the app (or the server, with OTEL_EXPORTER_OTLP_ENDPOINT) traces. */
interface Traced { opentelemetry?: () => { span?: { setAttribute: (name: string, value: string) => unknown } } }

/**
 * Installs the hooks on `fastify` (the root: the auth server's plugin is not encapsulated):
 *
 * - the request span's `url.path`, which @fastify/otel fills with the whole URL, loses its query
 *   string, on every route of the app (its own hook runs first, at the instance's creation);
 * - every route registered until the returned function is called (the auth server's own) logs
 *   its request lines with the server's serializer (no query string, whatever the app's logger
 *   says) and reads at most BODY_LIMIT, unless the route says otherwise.
 */
export function requestHygiene (fastify: FastifyInstance): () => void {
  let ours = true
  fastify.addHook('onRoute', (route: RouteOptions) => {
    if (!ours) return
    route.bodyLimit ??= BODY_LIMIT
    route.logSerializers = { req: requestSerializer, ...route.logSerializers }
  })
  fastify.addHook('onRequest', (request: FastifyRequest, _reply, done) => {
    const path = pathOf(request.url)
    if (path !== request.url) (request as Traced).opentelemetry?.().span?.setAttribute('url.path', path)
    done()
  })
  return () => { ours = false }
}
