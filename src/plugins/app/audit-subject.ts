// The account an act changed, noted by the code that changed it and read by whoever records the act's audit event.
import { AsyncLocalStorage } from 'node:async_hooks'
import type { AuditSubject } from './audit.ts'

interface Note { subject?: AuditSubject }

const notes = new AsyncLocalStorage<Note>()

/**
 * Says which account the running act changed, where only the act knows it: an account named by
 * email (an administrator's target, a sign-up that made one, a confirmation, a reset). Nothing
 * outside an act that collects notes (src/graphql/apply-field-policy.ts) listens.
 */
export function noteSubject (subject: AuditSubject): void {
  const note = notes.getStore()
  if (note !== undefined) note.subject = subject
}

/** Runs an act, and answers what it returned with the account it noted (noteSubject). */
export async function collectSubject<T> (act: () => Promise<T>): Promise<{ result: T, subject?: AuditSubject }> {
  const note: Note = {}
  const result = await notes.run(note, act)
  return { result, subject: note.subject }
}
