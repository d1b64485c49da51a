// The audit stream: one structured log line and one listener event per security-relevant act.
import { EventEmitter } from 'node:events'
import fp from 'fastify-plugin'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { AuditEventName } from './audit-events.ts'

/** The account an act changed, or started a session for. */
export interface AuditSubject {
  /** Its Cognito `sub`. */
  userId: string
  /** Its email, when known (a caller with a bare Bearer access token may name none). */
  email?: string
}

/** One security-relevant act, as logged and as handed to listeners. */
export interface AuditEvent {
  /** What happened: one of the catalogue's names (src/plugins/app/audit-events.ts): `sign-in`, `sign-up`, `refresh` … */
  event: AuditEventName
  outcome: 'success' | 'failure' | 'challenge'
  /** The error code of a failure, or the challenge name. */
  code?: string
  /** The Cognito `sub` of the user, when known. */
  userId?: string
  /** The identifier the act named (a normalised email), when it named one. */
  email?: string
  /** The GraphQL field, for acts done through the API. */
  operation?: string
  /** A sign-in's way (`PASSWORD`, `EMAIL_CODE`, `SMS_CODE`, `PASSKEY`), where the step names one. */
  method?: string
  /** The identity provider of a federated sign-in (`Google`, `DevIdP` …). */
  provider?: string
  /**
   * The account a successful act changed or signed in (for an administrator's act, the account
   * acted on; `userId` is the administrator); absent when it changed none (an unknown email, a
   * sign-up of an address already taken). The app events are derived from it.
   */
  subject?: AuditSubject
  address: string
  userAgent?: string
  requestId: string
  at: string
}

export type AuditDetails = Omit<AuditEvent, 'address' | 'userAgent' | 'requestId' | 'at'>

/**
 * Audit events: one structured log line each (`audit: true`), and an 'event' on
 * `fastify.audit` for an operator to ship them elsewhere:
 * `app.audit.on('event', (e) => queue.send(e))`. A failing listener never fails a request.
 */
export function createAudit () {
  const emitter = new EventEmitter()
  return Object.assign(emitter, {
    record (request: FastifyRequest, details: AuditDetails): void {
      const event: AuditEvent = {
        ...details,
        address: request.ip,
        userAgent: request.headers['user-agent'],
        requestId: request.id,
        at: new Date().toISOString()
      }
      request.log.info({ audit: true, ...event }, `audit ${event.event} ${event.outcome}`)
      try {
        emitter.emit('event', event)
      } catch (err) {
        request.log.error({ err }, 'an audit listener failed')
      }
    }
  })
}

export type Audit = ReturnType<typeof createAudit>

declare module 'fastify' {
  interface FastifyInstance {
    audit: Audit
  }
}

export interface AuditPluginOptions {
  /** Receives every audit event (the same as `fastify.audit.on('event', …)`). */
  onAuditEvent?: (event: AuditEvent) => void
}

async function audit (fastify: FastifyInstance, opts: AuditPluginOptions): Promise<void> {
  const instance = createAudit()
  if (opts.onAuditEvent !== undefined) instance.on('event', opts.onAuditEvent)
  fastify.decorate('audit', instance)
}

export default fp(audit, { name: 'audit' })
