// App events: the audit stream turned into app events, written to an outbox and delivered to each target.
import { setTimeout as sleep } from 'node:timers/promises'
import fp from 'fastify-plugin'
import type { FastifyBaseLogger, FastifyInstance } from 'fastify'
import { appEventOf, type AppEvent } from './app-events.ts'
import type { AuditEvent } from './audit.ts'
import { DEFAULT_DELIVERY, DeliveryWorker, type DeliveryOptions } from './events/delivery.ts'
import { createMemoryOutbox, type Outbox } from './events/outbox.ts'
import { createRedisOutbox, OUTBOX_KEY } from './events/redis-outbox.ts'
import { handlerTarget, webhookTarget, type Target } from './events/targets.ts'

export interface EventsPluginOptions {
  /** The app's handler (authServer's `onEvent`): called with each event after its act succeeded, retried as a webhook is. */
  onEvent?: (event: AppEvent) => unknown
  /** Shorter pacing for tests (an internal option: operators get the documented schedule). */
  delivery?: Partial<DeliveryOptions>
}

/** How long a response waits for its events to be in the outbox (Redis slow or away: the events go in later, the answer does not wait). */
const WRITE_WAIT_MS = 1_000

/**
 * Puts events into the outbox one at a time, in the order of their acts; a failed write (Redis
 * away) is tried again, the events behind it waiting, so a user's events keep their order.
 */
function createAppender (outbox: Outbox, log: FastifyBaseLogger) {
  const waiting: Array<{ event: AppEvent, written: () => void }> = []
  let draining = false
  let closed = false

  async function drain (): Promise<void> {
    if (draining) return
    draining = true
    let failures = 0
    while (waiting.length > 0) {
      if (closed) break
      const head = waiting[0] as typeof waiting[number]
      try {
        await outbox.append(head.event)
        waiting.shift()
        head.written()
        failures = 0
      } catch (err) {
        failures += 1
        log.warn({ err, eventId: head.event.id, waiting: waiting.length }, 'writing an app event to the outbox failed; trying again')
        await sleep(Math.min(30_000, 250 * 2 ** failures))
      }
    }
    draining = false
  }

  return {
    add (event: AppEvent): Promise<void> {
      return new Promise((resolve) => {
        waiting.push({ event, written: resolve })
        drain().catch(() => {})
      })
    },
    close (): void {
      closed = true
      for (const { event } of waiting.splice(0)) log.error({ eventId: event.id, type: event.type }, 'an app event was never written to the outbox (the server closed first)')
    }
  }
}

/**
 * The app events (src/plugins/app/app-events.ts) from the audit stream, delivered at least once to
 * every webhook URL (WEBHOOK_URLS) and to `onEvent`: through an outbox in Redis with REDIS_URL
 * (durable, shared by the instances), else in memory (said at start). A response that recorded
 * an event leaves once the event is in the outbox (waiting at most WRITE_WAIT_MS); deliveries
 * happen afterwards, off the request.
 */
async function events (fastify: FastifyInstance, opts: EventsPluginOptions): Promise<void> {
  const { urls, secrets } = fastify.config.webhooks
  const targets: Target[] = [...urls.map((url) => webhookTarget(url, secrets)), ...(opts.onEvent !== undefined ? [handlerTarget(opts.onEvent)] : [])]
  if (targets.length === 0) return
  const delivery = { ...DEFAULT_DELIVERY, ...opts.delivery }
  const log = fastify.log.child({ module: 'app-events' })
  const { redis, blockingRedis } = fastify
  const outbox = redis === undefined || blockingRedis === undefined
    ? createMemoryOutbox()
    // Each target's blocking reads get a connection of their own.
    : createRedisOutbox(redis, { claimIdleMs: delivery.claimIdleMs, blockingClient: blockingRedis })
  log.info({ targets: targets.map((target) => target.name) }, outbox.durable
    ? `app events: kept in Redis (${OUTBOX_KEY}) until every target has them, shared by every instance`
    : 'app events: kept in memory, so events not yet delivered are lost on restart (set REDIS_URL to keep them)')

  const metrics = fastify.metrics
  metrics?.measureEventQueue(outbox.oldestAge)
  const workers = await Promise.all(targets.map(async (target) => new DeliveryWorker(await outbox.open(target), target, delivery, log, (pending, outcome) => {
    metrics?.countEventDelivery(pending.event.type, target.kind, outcome)
  })))

  const appender = createAppender(outbox, log)
  // The writes each request started, so that its response leaves once they are done.
  const writes = new Map<string, Set<Promise<void>>>()
  const onAuditEvent = (audit: AuditEvent) => {
    const event = appEventOf(audit)
    if (event === undefined) return
    const written = appender.add(event)
    const ofRequest = writes.get(audit.requestId) ?? new Set()
    writes.set(audit.requestId, ofRequest.add(written))
    written.then(() => {
      ofRequest.delete(written)
      if (ofRequest.size === 0 && writes.get(audit.requestId) === ofRequest) writes.delete(audit.requestId)
    }, () => {})
  }
  fastify.audit.on('event', onAuditEvent)

  fastify.addHook('onSend', async (request) => {
    const pending = writes.get(request.id)
    if (pending !== undefined) await Promise.race([Promise.all(pending), sleep(WRITE_WAIT_MS, undefined, { ref: false })])
  })

  fastify.addHook('onClose', async () => {
    fastify.audit.off('event', onAuditEvent)
    await Promise.all(workers.map(async (worker) => await worker.stop()))
    appender.close()
    await outbox.close()
  })
}

export default fp(events, { name: 'events', dependencies: ['config', 'audit', 'metrics', 'redis'] })
