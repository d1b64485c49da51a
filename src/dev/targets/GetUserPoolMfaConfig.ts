import type { GetUserPoolMfaConfigRequest, GetUserPoolMfaConfigResponse } from '@aws-sdk/client-cognito-identity-provider'
import { RELYING_PARTY_ID } from '../rules/passkeys.ts'
import type { Target } from './target.ts'

/** GetUserPoolMfaConfig: with the pool's WebAuthnConfiguration, the emulator's relying party, which cognito-local does not know. */
export const GetUserPoolMfaConfig: Target<GetUserPoolMfaConfigRequest, GetUserPoolMfaConfigResponse> = async (req, bridge) => {
  const res = await bridge.next(req) as GetUserPoolMfaConfigResponse
  return { ...res, WebAuthnConfiguration: { RelyingPartyId: RELYING_PARTY_ID, UserVerification: 'preferred' } }
}
