// GET /metrics: fastify.metrics in Prometheus' text format, when METRICS is on.
import type { FastifyInstance } from 'fastify'

/** Serves the app's metrics (src/plugins/app/metrics.ts) to a scraper; no route when METRICS is off. */
export default async function metricsRoute (fastify: FastifyInstance): Promise<void> {
  const metrics = fastify.metrics
  if (metrics === null) return
  // Scrapes are frequent and say nothing about a user: no trace of their own.
  fastify.get('/metrics', { logLevel: 'warn', config: { otel: false } }, async (_request, reply) => {
    return await reply.type(metrics.contentType).send(await metrics.text())
  })
}
