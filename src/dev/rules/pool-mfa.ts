// A pool's second factors as SetUserPoolMfaConfig sets them and GetUserPoolMfaConfig reads them:
// MFA off, optional or on, which factors it offers (SMS, TOTP, email codes), and its passkey
// (WebAuthn) relying party and user verification, which cognito-local does not keep.
import type { GetUserPoolMfaConfigResponse, SetUserPoolMfaConfigRequest } from '@aws-sdk/client-cognito-identity-provider'
import { InvalidParameterError } from 'cognito-local/lib/errors.js'
import type { UserPoolService } from 'cognito-local/lib/services/userPoolService.js'
import type { PoolOptions } from './pools.ts'

/** The relying party of a pool without a WebAuthnConfiguration: the emulator's pages are served from localhost. */
export const DEFAULT_RELYING_PARTY_ID = 'localhost'

/** The pool's passkey settings: its relying party id and whether user verification is required. */
export function webAuthnOf (pool: UserPoolService): { relyingPartyId: string, userVerification: 'required' | 'preferred' } {
  const config = (pool.options as PoolOptions).WebAuthnConfiguration
  return { relyingPartyId: config?.RelyingPartyId ?? DEFAULT_RELYING_PARTY_ID, userVerification: config?.UserVerification === 'required' ? 'required' : 'preferred' }
}

export type PoolMfaMethod = 'SMS_MFA' | 'SOFTWARE_TOKEN_MFA' | 'EMAIL_OTP'

/** Whether the pool offers `method` as a second factor (SetUserPoolMfaConfig turned it on). */
export function offersMfa (pool: UserPoolService, method: PoolMfaMethod): boolean {
  const options = pool.options as PoolOptions
  if (method === 'SOFTWARE_TOKEN_MFA') return options.SoftwareTokenMfaConfiguration?.Enabled === true
  if (method === 'EMAIL_OTP') return options.EmailMfaConfiguration !== undefined
  return options.SmsConfiguration !== undefined || options.SmsAuthenticationMessage !== undefined
}

/** The pool's MFA configuration as GetUserPoolMfaConfig answers it. */
export function mfaConfigOf (pool: UserPoolService): GetUserPoolMfaConfigResponse {
  const options = pool.options as PoolOptions
  return {
    MfaConfiguration: options.MfaConfiguration as GetUserPoolMfaConfigResponse['MfaConfiguration'] ?? 'OFF',
    SoftwareTokenMfaConfiguration: { Enabled: options.SoftwareTokenMfaConfiguration?.Enabled === true },
    ...(offersMfa(pool, 'SMS_MFA') ? { SmsMfaConfiguration: { SmsAuthenticationMessage: options.SmsAuthenticationMessage, SmsConfiguration: options.SmsConfiguration } as never } : {}),
    ...(options.EmailMfaConfiguration === undefined ? {} : { EmailMfaConfiguration: options.EmailMfaConfiguration }),
    WebAuthnConfiguration: { RelyingPartyId: webAuthnOf(pool).relyingPartyId, UserVerification: webAuthnOf(pool).userVerification, ...(options.WebAuthnConfiguration?.FactorConfiguration === undefined ? {} : { FactorConfiguration: options.WebAuthnConfiguration.FactorConfiguration as never }) }
  }
}

/**
 * The pool after SetUserPoolMfaConfig: each part the request gives replaces the pool's, the
 * others stay. Refused as AWS refuses them: MFA on or optional with no factor offered, and a
 * user verification other than required or preferred.
 */
export function withMfaConfig (pool: UserPoolService, req: SetUserPoolMfaConfigRequest, now: Date): PoolOptions {
  const current = pool.options as PoolOptions
  const verification = req.WebAuthnConfiguration?.UserVerification
  if (verification !== undefined && verification !== 'required' && verification !== 'preferred') throw new InvalidParameterError('WebAuthnConfiguration.UserVerification must be required or preferred.')
  if (req.MfaConfiguration !== undefined && !['OFF', 'ON', 'OPTIONAL'].includes(req.MfaConfiguration)) throw new InvalidParameterError('MfaConfiguration must be OFF, ON or OPTIONAL.')
  const next: PoolOptions = {
    ...current,
    MfaConfiguration: req.MfaConfiguration ?? current.MfaConfiguration,
    ...(req.SoftwareTokenMfaConfiguration === undefined ? {} : { SoftwareTokenMfaConfiguration: { Enabled: req.SoftwareTokenMfaConfiguration.Enabled === true } }),
    // The SDK's types (v3) and cognito-local's (v2) differ only in what is optional.
    ...(req.SmsMfaConfiguration === undefined ? {} : { SmsAuthenticationMessage: req.SmsMfaConfiguration.SmsAuthenticationMessage, SmsConfiguration: req.SmsMfaConfiguration.SmsConfiguration as PoolOptions['SmsConfiguration'] }),
    ...(req.EmailMfaConfiguration === undefined ? {} : { EmailMfaConfiguration: { ...req.EmailMfaConfiguration } }),
    ...(req.WebAuthnConfiguration === undefined ? {} : { WebAuthnConfiguration: { ...current.WebAuthnConfiguration, ...req.WebAuthnConfiguration } }),
    LastModifiedDate: now
  }
  const probe = { options: next } as UserPoolService
  if (next.MfaConfiguration !== 'OFF' && next.MfaConfiguration !== undefined && !(['SMS_MFA', 'SOFTWARE_TOKEN_MFA', 'EMAIL_OTP'] as const).some((m) => offersMfa(probe, m))) {
    throw new InvalidParameterError(`MfaConfiguration ${next.MfaConfiguration} needs at least one MFA method enabled (SMS, TOTP or email).`)
  }
  return next
}
