// The app events (user.created … device.forgotten) and the one table that derives them from audit events.
import { randomBytes } from 'node:crypto'
import type { AuditEventName } from './audit-events.ts'
import type { AuditEvent } from './audit.ts'

/** Every app event type, as webhooks and `onEvent` receive them. */
export const APP_EVENT_TYPES = [
  'user.created', 'user.confirmed', 'user.updated', 'user.deleted', 'user.disabled', 'user.enabled',
  'session.started', 'session.ended', 'password.changed', 'password.reset', 'mfa.changed',
  'passkey.added', 'passkey.removed', 'device.remembered', 'device.forgotten'
] as const

export type AppEventType = typeof APP_EVENT_TYPES[number]

/** What every event says of its user; some types add fields of their own (APP_EVENT_RULES). Never a password, code or token. */
export interface AppEventData {
  /** The user's id (Cognito's `sub`, the API's `User.id`). */
  userId: string
  /** The account's email; null only when the act came with a bare Bearer access token, which names none. */
  email: string | null
  [field: string]: string | null
}

/** One app event: `id` is the Standard Webhooks `webhook-id` of every delivery of it. */
export interface AppEvent {
  id: string
  type: AppEventType
  /** When the act happened (ISO-8601). */
  timestamp: string
  data: AppEventData
}

/** How one audit event becomes an app event: its type, the fields it adds, and (rarely) which of the audit events count. */
interface EventRule {
  type: AppEventType
  /** The fields beside `userId` and `email`, from the audit event (documented in docs/events.md). */
  data?: (audit: AuditEvent) => Record<string, string | null>
  /** Whether this audit event is the act (when the audit event names more than the act). */
  when?: (audit: AuditEvent) => boolean
}

const reason = (why: string) => () => ({ reason: why })

/**
 * The one place that says which act is which app event: audit event name → rule. Only a success
 * with a subject (the account it changed: src/plugins/app/audit.ts) becomes an event, so an act
 * that changed nothing (an unknown email, a sign-up of a taken address, a session that was not the
 * caller's) never sends one. `device-remembered` and `device-forgotten` are the audit events of the
 * remembered-device operations.
 */
export const APP_EVENT_RULES: Readonly<Partial<Record<AuditEventName, EventRule>>> = {
  'sign-up': { type: 'user.created' },
  'sign-up-confirmed': { type: 'user.confirmed' },
  'profile-changed': { type: 'user.updated' },
  'groups-changed': { type: 'user.updated' },
  'account-deleted': { type: 'user.deleted' },
  'account-disabled': { type: 'user.disabled' },
  'account-enabled': { type: 'user.enabled' },
  'sign-in': { type: 'session.started', data: (audit) => ({ method: audit.method ?? null, provider: audit.provider ?? null }) },
  'federated-sign-in': { type: 'session.started', data: (audit) => ({ method: 'FEDERATED', provider: audit.provider ?? null }) },
  'sign-out': { type: 'session.ended', data: reason('sign-out') },
  'session-revoked': { type: 'session.ended', data: reason('revoked') },
  'signed-out-by-admin': { type: 'session.ended', data: reason('admin') },
  'password-changed': { type: 'password.changed' },
  'password-reset': { type: 'password.reset', data: () => ({ by: 'user' }) },
  'password-reset-by-admin': { type: 'password.reset', data: () => ({ by: 'admin' }) },
  // setupTotp is audited as an MFA change too, but only starts one: verifyTotp turns the factor on.
  'mfa-changed': { type: 'mfa.changed', when: (audit) => audit.operation !== 'setupTotp' },
  'passkey-added': { type: 'passkey.added' },
  'passkey-removed': { type: 'passkey.removed' },
  'device-remembered': { type: 'device.remembered' },
  'device-forgotten': { type: 'device.forgotten' }
}

/** A new event id: `evt_` and 24 hex characters. */
export const newEventId = (): string => `evt_${randomBytes(12).toString('hex')}`

/** The app event an audit event is, or undefined when it is none (APP_EVENT_RULES). */
export function appEventOf (audit: AuditEvent): AppEvent | undefined {
  const rule = APP_EVENT_RULES[audit.event]
  const subject = audit.subject
  if (rule === undefined || audit.outcome !== 'success' || subject === undefined) return undefined
  if (rule.when !== undefined && !rule.when(audit)) return undefined
  return {
    id: newEventId(),
    type: rule.type,
    timestamp: audit.at,
    data: { userId: subject.userId, email: subject.email ?? null, ...rule.data?.(audit) }
  }
}
