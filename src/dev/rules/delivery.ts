// Where a code went, as AWS shows it (masked), including the delivery AWS pretends to have made to
// an unknown user (PreventUserExistenceErrors: ENABLED), and the email codes the bridge sends itself.
import { attributeValue, type User, type UserPoolService } from 'cognito-local/lib/services/userPoolService.js'
import type { Bridge } from '../targets/target.ts'

/** AWS's CodeDeliveryDetails. */
export interface CodeDelivery {
  DeliveryMedium: 'EMAIL' | 'SMS'
  AttributeName: string
  Destination: string
}

/** AWS shows where a code went without showing the address: a***@e***, or +*******0142. */
export function maskDestination (destination: string): string {
  const at = destination.indexOf('@')
  return at >= 0 ? `${destination.slice(0, 1)}***@${destination.slice(at + 1, at + 2)}***` : `+*******${destination.slice(-4)}`
}

/** A response's CodeDeliveryDetails with the destination masked (cognito-local shows it whole). */
export function maskDelivery<T> (res: T): T {
  const details = (res as { CodeDeliveryDetails?: { Destination?: unknown } } | undefined)?.CodeDeliveryDetails
  if (typeof details?.Destination !== 'string' || details.Destination.includes('***')) return res
  return { ...res, CodeDeliveryDetails: { ...details, Destination: maskDestination(details.Destination) } }
}

/**
 * The answer for a user who does not exist: AWS pretends to have sent a code. Assumed (AWS does
 * not document the shape): an email, to the username masked.
 */
export function simulatedDelivery (username: unknown): { CodeDeliveryDetails: CodeDelivery } {
  return { CodeDeliveryDetails: { DeliveryMedium: 'EMAIL', AttributeName: 'email', Destination: maskDestination(String(username ?? '')) } }
}

/** The user's email delivery, masked, when they have an email (cognito-local answers none). */
export function emailDelivery (user: User): { CodeDeliveryDetails?: CodeDelivery } {
  const email = attributeValue('email', user.Attributes)
  return email === undefined ? {} : { CodeDeliveryDetails: { DeliveryMedium: 'EMAIL', AttributeName: 'email', Destination: maskDestination(email) } }
}

/** Sends an email verification code to `email` (the current address, or a pending new one); the delivery, masked. */
export async function sendEmailCode (
  { ctx, services }: Pick<Bridge, 'ctx' | 'services'>,
  pool: UserPoolService,
  user: User,
  email: string,
  source: 'UpdateUserAttribute' | 'VerifyUserAttribute',
  clientMetadata: Record<string, string> | undefined
): Promise<CodeDelivery> {
  const code = services.otp()
  await pool.saveUser(ctx, { ...user, AttributeVerificationCode: code })
  const details = { DeliveryMedium: 'EMAIL', AttributeName: 'email', Destination: email } as const
  await services.messages.deliver(ctx, source, null, pool.options.Id, user, code, clientMetadata, details)
  return { ...details, Destination: maskDestination(email) }
}
