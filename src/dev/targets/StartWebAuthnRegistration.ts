// The emulator's StartWebAuthnRegistration operation: AWS's request in, its response out, its named errors thrown.
import type { StartWebAuthnRegistrationRequest, StartWebAuthnRegistrationResponse } from '@aws-sdk/client-cognito-identity-provider'
import { authorize } from '../rules/access-token.ts'
import { webAuthnNotEnabled } from '../rules/errors.ts'
import { allowsPasskeys } from '../rules/passkeys.ts'
import type { Target } from './target.ts'

/**
 * StartWebAuthnRegistration, which cognito-local lacks: for the access token's user,
 * CredentialCreationOptions (a PublicKeyCredentialCreationOptionsJSON object) as AWS makes them
 * (../rules/passkey-registrations.ts); WebAuthnNotEnabledException when the pool does not allow
 * passkeys. Assumed: a new start replaces the user's earlier one.
 */
export const StartWebAuthnRegistration: Target<StartWebAuthnRegistrationRequest, StartWebAuthnRegistrationResponse> = async (req, bridge) => {
  const { claims, pool, user } = await authorize(bridge, req.AccessToken)
  if (!allowsPasskeys(pool)) throw webAuthnNotEnabled()
  return { CredentialCreationOptions: await bridge.registrations.start(pool, user, String(claims.client_id)) as never }
}
