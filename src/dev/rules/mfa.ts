// A user's second factors as AWS keeps them: the methods enabled, the preferred one, and what
// each needs (SMS a phone number, TOTP a verified authenticator, email codes an email address).
import { InvalidParameterError } from 'cognito-local/lib/errors.js'
import { attributeValue, type User, type UserPoolService } from 'cognito-local/lib/services/userPoolService.js'
import type { Bridge } from './bridge.ts'
import { SoftwareTokenMfaNotFoundError } from './errors.ts'
import { offersMfa } from './pool-mfa.ts'

export type MfaMethod = 'SMS_MFA' | 'SOFTWARE_TOKEN_MFA' | 'EMAIL_OTP'

/** The MFA methods a user has enabled, as cognito-local reads them (MFAOptions is the legacy SMS setting). */
export function enabledMfa (user: User): MfaMethod[] {
  const listed = user.UserMFASettingList ?? []
  const legacy = listed.length === 0 && (user.MFAOptions ?? []).some(o => o.DeliveryMedium === 'SMS') ? ['SMS_MFA'] : []
  return (['SMS_MFA', 'SOFTWARE_TOKEN_MFA', 'EMAIL_OTP'] as const).filter(m => listed.includes(m) || legacy.includes(m))
}

/** A pool that requires MFA asks a user who has none to set up an authenticator (MFA_SETUP); cognito-local refuses them. */
export const mustSetUpMfa = (pool: UserPoolService, user: User): boolean => pool.options.MfaConfiguration === 'ON' && enabledMfa(user).length === 0

/** A pool that has MFA, and a user who has enabled a method: a sign-in asks for a second factor. */
export const asksSecondFactor = (pool: UserPoolService, user: User): boolean => pool.options.MfaConfiguration !== 'OFF' && enabledMfa(user).length > 0

/** The part of an MFA preference request about one method. */
export interface MfaSettings { Enabled?: boolean, PreferredMfa?: boolean }

/** (Admin)SetUserMFAPreference's request: a setting per method, each optional. */
export interface MfaPreference { SMSMfaSettings?: MfaSettings, SoftwareTokenMfaSettings?: MfaSettings, EmailMfaSettings?: MfaSettings }

/**
 * Applies an MFA preference as AWS does: a setting left out is left alone, SMS needs a phone
 * number, TOTP a verified authenticator, email codes an email address (the emulator's pool offers
 * email MFA, as a pool with SES configured does); SMS also sets the MFAOptions cognito-local looks for
 * before it texts a code. Assumed: the message of InvalidParameterException for a preferred
 * method that is not enabled.
 */
export async function setMfaPreference ({ ctx, services }: Pick<Bridge, 'ctx' | 'services'>, pool: UserPoolService, user: User, req: MfaPreference): Promise<void> {
  const methods = new Set(enabledMfa(user))
  let preferred = user.PreferredMfaSetting
  const apply = (method: MfaMethod, settings: MfaSettings | undefined) => {
    if (settings === undefined) return
    if (settings.Enabled === true) {
      // Assumed message: AWS refuses a factor the pool does not offer (SetUserPoolMfaConfig) with InvalidParameterException.
      if (!offersMfa(pool, method)) throw new InvalidParameterError(`The user pool does not offer ${method} as a second factor.`)
      if (method === 'SMS_MFA' && attributeValue('phone_number', user.Attributes) === undefined) {
        throw new InvalidParameterError('User does not have delivery config set to turn on SMS_MFA')
      }
      if (method === 'SOFTWARE_TOKEN_MFA' && user.SoftwareTokenMfaConfiguration?.Verified !== true) throw new SoftwareTokenMfaNotFoundError()
      if (method === 'EMAIL_OTP' && attributeValue('email', user.Attributes) === undefined) {
        throw new InvalidParameterError('User does not have delivery config set to turn on EMAIL_OTP')
      }
      methods.add(method)
    }
    if (settings.Enabled === false) methods.delete(method)
    if (settings.PreferredMfa === true) {
      if (!methods.has(method)) throw new InvalidParameterError(`Cannot set ${method} as preferred: it is not enabled`)
      preferred = method
    } else if (preferred === method && (settings.PreferredMfa === false || !methods.has(method))) {
      preferred = undefined
    }
  }
  apply('SMS_MFA', req.SMSMfaSettings)
  apply('SOFTWARE_TOKEN_MFA', req.SoftwareTokenMfaSettings)
  apply('EMAIL_OTP', req.EmailMfaSettings)
  await pool.saveUser(ctx, {
    ...user,
    UserMFASettingList: [...methods],
    PreferredMfaSetting: preferred,
    MFAOptions: methods.has('SMS_MFA') ? [{ DeliveryMedium: 'SMS', AttributeName: 'phone_number' }] : undefined,
    UserLastModifiedDate: services.clock.get()
  })
}
