// The emulator's SetUserPoolMfaConfig operation: AWS's request in, its response out, its named errors thrown.
import type { SetUserPoolMfaConfigRequest, SetUserPoolMfaConfigResponse } from '@aws-sdk/client-cognito-identity-provider'
import { mfaConfigOf, withMfaConfig } from '../rules/pool-mfa.ts'
import { poolById } from '../rules/users.ts'
import type { Target } from './target.ts'

/**
 * SetUserPoolMfaConfig: MFA off, optional or on, the factors offered (SMS, TOTP, email codes)
 * and the passkey settings (WebAuthnConfiguration), which cognito-local drops, kept on the pool
 * and taking effect: users enable only factors the pool offers, passkeys use its relying party
 * and user verification (../rules/pool-mfa.ts).
 */
export const SetUserPoolMfaConfig: Target<SetUserPoolMfaConfigRequest, SetUserPoolMfaConfigResponse> = async (req, bridge) => {
  const pool = await poolById(bridge, req.UserPoolId)
  await pool.updateOptions(bridge.ctx, withMfaConfig(pool, req, bridge.services.clock.get()))
  return mfaConfigOf(pool)
}
