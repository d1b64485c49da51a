// Where the embedded emulator's codes go instead of email and SMS: an in-memory outbox, read at
// GET /dev/mailbox, and the cognito-local message service that fills it.
import type { FastifyBaseLogger } from 'fastify'
import type { Context } from 'cognito-local/lib/services/context.js'
import { MessageDeliveryService } from 'cognito-local/lib/services/messageDelivery/messageDelivery.js'
import type { MessageSender } from 'cognito-local/lib/services/messageDelivery/messageSender.js'
import type { Message, Messages } from 'cognito-local/lib/services/messages.js'
import type { MessageComposer } from './rules/custom-messages.ts'

/** A code (or temporary password) the embedded emulator would have emailed or texted. */
export interface MailboxMessage {
  to: string
  code: string
  /** ISO 8601 */
  sentAt: string
  medium: 'EMAIL' | 'SMS'
  /** cognito-local's name for why it was sent: 'SignUp', 'ResendCode', 'ForgotPassword', 'UpdateUserAttribute', 'VerifyUserAttribute', 'Authentication', 'AdminCreateUser' (purposeOf says it for a person). */
  source: string
  /** The text a custom message trigger wrote (the code in it), when it wrote one for this medium. */
  message?: string
  /** The email subject a custom message trigger wrote. */
  subject?: string
}

/** What each of cognito-local's message sources sends, in the words of someone reading the mailbox. */
const PURPOSES = {
  SignUp: 'sign-up code',
  ResendCode: 'sign-up code',
  ForgotPassword: 'reset code',
  UpdateUserAttribute: 'verification code',
  VerifyUserAttribute: 'verification code',
  AdminCreateUser: 'temporary password',
  Authentication: 'MFA or sign-in code'
} as const

export type Purpose = typeof PURPOSES[keyof typeof PURPOSES] | 'code'

/** The purpose of a message from `source` (a source cognito-local may add later is just a code). */
export const purposeOf = (source: string): Purpose => PURPOSES[source as keyof typeof PURPOSES] ?? 'code'

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

/** Delivers codes to the mailbox; logs who got one and why, never the code. */
class MailboxSender implements MessageSender {
  private readonly mailbox: Mailbox
  private readonly log: FastifyBaseLogger
  private readonly source: string
  constructor (mailbox: Mailbox, log: FastifyBaseLogger, source: string) {
    this.mailbox = mailbox
    this.log = log
    this.source = source
  }

  async sendEmail (_ctx: Context, _user: unknown, destination: string, message: Message): Promise<void> {
    this.deliver('EMAIL', destination, message)
  }

  async sendSms (_ctx: Context, _user: unknown, destination: string, message: Message): Promise<void> {
    this.deliver('SMS', destination, message)
  }

  private deliver (medium: 'EMAIL' | 'SMS', to: string, message: Message): void {
    const text = medium === 'EMAIL' ? message.emailMessage : message.smsMessage
    const subject = medium === 'EMAIL' ? message.emailSubject : undefined
    this.mailbox.push({
      to,
      code: message.__code ?? '',
      sentAt: new Date().toISOString(),
      medium,
      source: this.source,
      ...(text === undefined ? {} : { message: text }),
      ...(subject === undefined ? {} : { subject })
    })
    this.log.info({ to, purpose: purposeOf(this.source), medium }, 'emulator sent a code; read it at GET /dev/mailbox')
  }
}

/**
 * cognito-local's MessagesService into `mailbox`, its `source` telling the purpose; the message is
 * the code alone, or what `compose` makes of it (the custom message trigger, ./rules/custom-messages.ts).
 */
export const mailboxMessages = (mailbox: Mailbox, log: FastifyBaseLogger, compose?: MessageComposer): Messages => ({
  async deliver (ctx, source, clientId, userPoolId, user, code, clientMetadata, deliveryDetails) {
    const message = compose === undefined
      ? { __code: code }
      : await compose(ctx, { source, clientId, userPoolId, user, code, clientMetadata, delivery: deliveryDetails })
    const delivery = new MessageDeliveryService(new MailboxSender(mailbox, log, source))
    await delivery.deliver(ctx, user, deliveryDetails, message)
  }
})
