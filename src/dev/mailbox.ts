/** A code (or temporary password) the embedded emulator would have emailed or texted. */
export interface MailboxMessage {
  to: string
  code: string
  /** ISO 8601 */
  sentAt: string
  medium: 'EMAIL' | 'SMS'
  /** Why it was sent: 'SignUp', 'ResendCode', 'ForgotPassword', 'UpdateUserAttribute', 'VerifyUserAttribute', 'Authentication', 'AdminCreateUser' */
  purpose: string
}

const CAPACITY = 500

/** In-memory outbox of the embedded emulator, bounded to the last 500 messages. */
export class Mailbox {
  readonly #messages: MailboxMessage[] = []

  push (message: MailboxMessage): void {
    this.#messages.push(message)
    if (this.#messages.length > CAPACITY) this.#messages.splice(0, this.#messages.length - CAPACITY)
  }

  /** Newest first; `to` filters by recipient, ignoring case. */
  list (to?: string): MailboxMessage[] {
    const wanted = to?.toLowerCase()
    return this.#messages
      .filter(m => wanted === undefined || m.to.toLowerCase() === wanted)
      .reverse()
  }
}
