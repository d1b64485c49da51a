// The custom message trigger: before a code (or a temporary password) goes out, the trigger may
// write the email and SMS text around it, as AWS lets it: {####} stands for the code (and
// {username} for the username, in an administrator's invitation); an email text or subject needs
// a pool that sends its own email (EmailSendingAccount DEVELOPER), else InvalidLambdaResponseException.
import type { CognitoService } from 'cognito-local/lib/services/cognitoService.js'
import type { Context } from 'cognito-local/lib/services/context.js'
import type { DeliveryDetails } from 'cognito-local/lib/services/messageDelivery/messageDelivery.js'
import type { Message } from 'cognito-local/lib/services/messages.js'
import type { User } from 'cognito-local/lib/services/userPoolService.js'
import { invalidLambdaResponse } from './errors.ts'
import { eventAttributes, type Triggers } from './triggers.ts'

const CODE = '{####}'
const USERNAME = '{username}'

/** What a message is about: cognito-local's delivery arguments. */
export interface MessageRequest {
  source: string
  clientId: string | null
  userPoolId: string
  user: User
  code: string
  clientMetadata?: Record<string, string>
  delivery: DeliveryDetails
}

/** Makes the message of a delivery: the code alone, or the trigger's texts with the code put in. */
export type MessageComposer = (ctx: Context, request: MessageRequest) => Promise<Message>

/** The composer that runs the module's customMessage, or undefined when it exports none. */
export function customMessages (triggers: Triggers, cognito: CognitoService): MessageComposer | undefined {
  if (!triggers.has('customMessage')) return undefined
  return async (ctx, { source, clientId, userPoolId, user, code, clientMetadata }) => {
    const pool = await cognito.getUserPool(ctx, userPoolId)
    const invitation = source === 'AdminCreateUser'
    const response = await triggers.run('customMessage', {
      pool,
      triggerSource: `CustomMessage_${source}`,
      userName: user.Username,
      clientId,
      request: {
        userAttributes: eventAttributes(user),
        codeParameter: CODE,
        linkParameter: '{##Click Here##}',
        usernameParameter: invitation ? USERNAME : null,
        ...(clientMetadata === undefined ? {} : { clientMetadata })
      },
      response: { smsMessage: null, emailMessage: null, emailSubject: null }
    }) ?? {}
    const text = (value: unknown): string | undefined => typeof value === 'string' && value !== '' ? value : undefined
    const emailMessage = text(response.emailMessage)
    const emailSubject = text(response.emailSubject)
    const smsMessage = text(response.smsMessage)
    if ((emailMessage !== undefined || emailSubject !== undefined) && pool.options.EmailConfiguration?.EmailSendingAccount !== 'DEVELOPER') {
      throw invalidLambdaResponse('CustomMessage: an email message or subject needs a user pool that sends email through Amazon SES (EmailSendingAccount DEVELOPER).')
    }
    // Assumed (AWS says a message "must include" the placeholders): a text without them is not used; the default message goes out.
    const usable = (message: string | undefined): string | undefined =>
      message !== undefined && message.includes(CODE) && (!invitation || message.includes(USERNAME))
        ? message.replaceAll(CODE, code).replaceAll(USERNAME, user.Username)
        : undefined
    return {
      __code: code,
      ...optional('emailMessage', usable(emailMessage)),
      ...optional('emailSubject', emailSubject),
      ...optional('smsMessage', usable(smsMessage))
    }
  }
}

const optional = <K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> =>
  value === undefined ? {} : { [key]: value } as Record<K, string>
