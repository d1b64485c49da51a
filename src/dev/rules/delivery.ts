// Where a code went, as AWS shows it (masked), including the delivery AWS pretends to have made to
// an unknown user (PreventUserExistenceErrors: ENABLED), where a password-reset code goes, and the
// verification codes the bridge sends itself (by email, or by SMS for a phone number).
import { attributeValue, type User, type UserPoolService } from 'cognito-local/lib/services/userPoolService.js'
import type { Bridge } from './bridge.ts'
import { isPhoneNumber } from './sign-in-names.ts'

/** AWS's CodeDeliveryDetails. */
export interface CodeDelivery {
  DeliveryMedium: 'EMAIL' | 'SMS'
  AttributeName: 'email' | 'phone_number'
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
 * not document the shape): a text to a username that is a phone number, else an email to the
 * username, masked.
 */
export function simulatedDelivery (username: unknown): { CodeDeliveryDetails: CodeDelivery } {
  const name = String(username ?? '')
  return isPhoneNumber(name)
    ? { CodeDeliveryDetails: { DeliveryMedium: 'SMS', AttributeName: 'phone_number', Destination: maskDestination(name) } }
    : { CodeDeliveryDetails: { DeliveryMedium: 'EMAIL', AttributeName: 'email', Destination: maskDestination(name) } }
}

/**
 * Where a password-reset code goes (ForgotPassword, AdminResetUserPassword), as the pool's
 * AccountRecoverySetting orders the ways (without one, AWS's legacy order: a verified phone
 * number, then a verified email): the first the user has verified; 'admin_only' when an
 * administrator must reset it; undefined when the user has no verified way.
 */
export function recoveryDelivery (pool: UserPoolService, user: User): CodeDelivery | 'admin_only' | undefined {
  const mechanisms = pool.options.AccountRecoverySetting?.RecoveryMechanisms
  const order = mechanisms === undefined || mechanisms.length === 0
    ? ['verified_phone_number', 'verified_email']
    : [...mechanisms].sort((a, b) => (a.Priority ?? 0) - (b.Priority ?? 0)).map((m) => m.Name)
  if (order[0] === 'admin_only') return 'admin_only'
  for (const way of order) {
    const attribute = way === 'verified_email' ? 'email' : way === 'verified_phone_number' ? 'phone_number' : undefined
    const value = attribute === undefined ? undefined : attributeValue(attribute, user.Attributes)
    if (attribute !== undefined && value !== undefined && attributeValue(`${attribute}_verified`, user.Attributes) === 'true') {
      return { DeliveryMedium: attribute === 'email' ? 'EMAIL' : 'SMS', AttributeName: attribute, Destination: value }
    }
  }
  return undefined
}

/** How a code for `attribute` (email, phone_number) reaches `destination`: by email or by SMS. */
export const deliveryTo = (attribute: 'email' | 'phone_number', destination: string): CodeDelivery =>
  ({ DeliveryMedium: attribute === 'email' ? 'EMAIL' : 'SMS', AttributeName: attribute, Destination: destination })

/**
 * Sends a verification code for `attribute` to `destination` (the current value, or a pending
 * new one): an email, or a text for a phone number; the delivery, masked.
 */
export async function sendVerificationCode (
  { ctx, services }: Pick<Bridge, 'ctx' | 'services'>,
  pool: UserPoolService,
  user: User,
  attribute: 'email' | 'phone_number',
  destination: string,
  source: 'UpdateUserAttribute' | 'VerifyUserAttribute',
  clientMetadata: Record<string, string> | undefined
): Promise<CodeDelivery> {
  const code = services.otp()
  await pool.saveUser(ctx, { ...user, AttributeVerificationCode: code })
  const details = deliveryTo(attribute, destination)
  await services.messages.deliver(ctx, source, null, pool.options.Id, user, code, clientMetadata, details as never)
  return { ...details, Destination: maskDestination(destination) }
}
