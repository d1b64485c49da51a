// OpenTelemetry tracing, loaded only with OTEL_EXPORTER_OTLP_ENDPOINT.
import type { Config } from './config.ts'

/** Running tracing: `shutdown` exports the spans still buffered and stops. */
export interface Tracing {
  shutdown: () => Promise<void>
}

/** The traces URL of an OTLP/HTTP collector: OTEL_EXPORTER_OTLP_ENDPOINT is a base, the signal's path goes after it. */
export function tracesUrl (endpoint: string): string {
  return `${endpoint.replace(/\/+$/, '')}/v1/traces`
}

/**
 * Starts OpenTelemetry when OTEL_EXPORTER_OTLP_ENDPOINT names a collector: the Node SDK with the
 * OTLP/HTTP trace exporter, and @fastify/otel, which gives every request a span (and its hooks
 * and handler child spans). Without an endpoint nothing of OpenTelemetry is even loaded.
 *
 * Call it before creating the Fastify instance: @fastify/otel instruments each instance as it is
 * created. Traces only: metrics are Prometheus' (/metrics) and logs are pino's, so the SDK's
 * metric and log exporters stay off. The SDK's standard variables (OTEL_SERVICE_NAME,
 * OTEL_EXPORTER_OTLP_HEADERS, OTEL_TRACES_SAMPLER …) apply.
 */
export async function startTracing (config: Pick<Config, 'otlpEndpoint'>): Promise<Tracing | undefined> {
  if (config.otlpEndpoint === undefined) return undefined
  const [{ NodeSDK }, { OTLPTraceExporter }, { FastifyOtelInstrumentation }] = await Promise.all([
    import('@opentelemetry/sdk-node'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@fastify/otel')
  ])
  const sdk = new NodeSDK({
    // OTEL_SERVICE_NAME, when set, names the service (the SDK reads it); this is the default.
    serviceName: process.env.OTEL_SERVICE_NAME === undefined ? 'cognito-graphql-auth' : undefined,
    traceExporter: new OTLPTraceExporter({ url: tracesUrl(config.otlpEndpoint) }),
    instrumentations: [new FastifyOtelInstrumentation({ registerOnInitialization: true })],
    metricReaders: [],
    logRecordProcessors: []
  })
  sdk.start()
  return { shutdown: async () => await sdk.shutdown() }
}
