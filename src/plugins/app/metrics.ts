// fastify.metrics and GET /metrics: prom-client counters and histograms, when METRICS is on.
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client'
import { APP_EVENT_TYPES } from './app-events.ts'
import type { AuditEvent } from './audit.ts'

/**
 * A label value we made up (an event, an outcome, an error code, a Cognito operation), or
 * `other`: whatever reaches a label, no identifier (an email, a user id) can become a series.
 */
function label (value: string | undefined): string {
  if (value === undefined) return 'none'
  return /^[A-Za-z][A-Za-z0-9_-]{0,63}$/.test(value) ? value : 'other'
}

/** The process's own metrics (CPU, memory, event loop, GC): one set per process, however many apps it builds. */
let processRegistry: Registry | undefined

function processMetrics (): Registry {
  if (processRegistry === undefined) {
    processRegistry = new Registry()
    collectDefaultMetrics({ register: processRegistry })
  }
  return processRegistry
}

/**
 * The metrics of one app, in a registry of its own (never prom-client's global one): request
 * latency by route, auth outcomes from the audit events, Cognito latency and failures. Every
 * label is a route pattern, a method, a status or a name from our own vocabulary; never a user.
 */
export function createMetrics () {
  const registry = new Registry()
  const requestDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by route pattern, method and status.',
    labelNames: ['route', 'method', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry]
  })
  const authEvents = new Counter({
    name: 'auth_events_total',
    help: 'Audit events (sign-in, refresh, sign-out, rate-limited …) by outcome and error code or challenge.',
    labelNames: ['event', 'outcome', 'code'] as const,
    registers: [registry]
  })
  const cognitoDuration = new Histogram({
    name: 'cognito_request_duration_seconds',
    help: 'Time of one attempt of a Cognito call, by operation and outcome (success or failure).',
    labelNames: ['operation', 'outcome'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry]
  })
  const cognitoFailures = new Counter({
    name: 'cognito_request_failures_total',
    help: 'Failed attempts of Cognito calls, by operation and the error code they map to (SERVICE_UNAVAILABLE: Cognito failed, timed out or could not be reached).',
    labelNames: ['operation', 'code'] as const,
    registers: [registry]
  })
  const eventDeliveries = new Counter({
    name: 'app_event_deliveries_total',
    help: 'Attempts to deliver app events, by event type, target (webhook or onEvent) and outcome: delivered, retried (failed, tried again later), failed (gave up after the last retry), gone (the receiver answered 410).',
    labelNames: ['type', 'target', 'outcome'] as const,
    registers: [registry]
  })
  const abuseChecks = new Counter({
    name: 'abuse_checks_total',
    help: 'Breached-password checks (breached, clean, unreachable-open, unreachable-closed) and CAPTCHA verdicts (required, passed, failed, unreachable-open, unreachable-closed).',
    labelNames: ['check', 'outcome'] as const,
    registers: [registry]
  })
  let eventQueueAge: (() => Promise<number | undefined>) | undefined
  // eslint-disable-next-line no-new -- registered in the registry, which reads it on every scrape
  new Gauge({
    name: 'app_event_queue_age_seconds',
    help: 'How long the oldest app event not yet delivered (or given up) has waited; 0 when none waits.',
    registers: [registry],
    async collect () {
      try {
        this.set((await eventQueueAge?.()) ?? 0)
      } catch {
        // The outbox is away (Redis down): the last value stands, and the logs say why.
      }
    }
  })

  return {
    registry,

    /** One attempt to deliver an app event (src/plugins/app/events/delivery.ts). */
    countEventDelivery (type: string, target: 'webhook' | 'onEvent', outcome: string): void {
      eventDeliveries.inc({ type: (APP_EVENT_TYPES as readonly string[]).includes(type) ? type : 'other', target, outcome: label(outcome) })
    },

    /** Where app_event_queue_age_seconds is read from on each scrape (the events plugin's outbox). */
    measureEventQueue (age: () => Promise<number | undefined>): void {
      eventQueueAge = age
    },

    /** One abuse check's outcome: never the password or the token, only what was decided. */
    countAbuseCheck (check: 'breached-password' | 'captcha', outcome: string): void {
      abuseChecks.inc({ check, outcome: label(outcome) })
    },

    /** One answered request; `route` is the route's pattern (undefined when no route matched). */
    observeRequest (route: string | undefined, method: string, statusCode: number, seconds: number): void {
      requestDuration.observe({ route: route ?? 'unmatched', method, status_code: statusCode }, seconds)
    },

    /** One audit event, counted by what it was and how it ended: who it was about is dropped here. */
    countAuditEvent (event: Pick<AuditEvent, 'event' | 'outcome' | 'code'>): void {
      authEvents.inc({ event: label(event.event), outcome: label(event.outcome), code: label(event.code) })
    },

    /**
     * One attempt of a Cognito call, for the Cognito adapter: `operation` is the SDK command's
     * name (`InitiateAuthCommand` or `InitiateAuth`), `outcome` is `success` or the error code of
     * the API the failure maps to.
     */
    observeCognitoCall (operation: string, seconds: number, outcome: string): void {
      const name = label(operation.endsWith('Command') ? operation.slice(0, -'Command'.length) : operation)
      const failed = outcome !== 'success'
      cognitoDuration.observe({ operation: name, outcome: failed ? 'failure' : 'success' }, seconds)
      if (failed) cognitoFailures.inc({ operation: name, code: label(outcome) })
    },

    /** The exposition: this app's metrics and the process's, in Prometheus' text format. */
    async text (): Promise<string> {
      return `${await registry.metrics()}\n${await processMetrics().metrics()}`
    },

    contentType: registry.contentType
  }
}

export type Metrics = ReturnType<typeof createMetrics>

declare module 'fastify' {
  interface FastifyInstance {
    /** The app's metrics; null when METRICS is off (the Cognito adapter then reports to nothing). */
    metrics: Metrics | null
  }
}

/**
 * fastify.metrics when METRICS is on (by default outside production): every request's latency by
 * route pattern, the audit events by outcome, and what the Cognito adapter reports through
 * `fastify.metrics.observeCognitoCall`; src/routes/metrics.ts serves them.
 */
async function metrics (fastify: FastifyInstance): Promise<void> {
  if (!fastify.config.metrics) {
    fastify.decorate('metrics', null)
    return
  }
  const instance = createMetrics()
  fastify.decorate('metrics', instance)

  const onAuditEvent = (event: AuditEvent) => instance.countAuditEvent(event)
  fastify.audit.on('event', onAuditEvent)
  fastify.addHook('onClose', async () => { fastify.audit.off('event', onAuditEvent) })

  // A callback hook: it runs after every request.
  fastify.addHook('onResponse', (request, reply, done) => {
    instance.observeRequest(request.routeOptions.url, request.method, reply.statusCode, reply.elapsedTime / 1000)
    done()
  })
}

export default fp(metrics, { name: 'metrics', dependencies: ['config', 'audit'] })
