// The emulator's CompleteWebAuthnRegistration operation: AWS's request in, its response out, its named errors thrown.
import type { CompleteWebAuthnRegistrationRequest, CompleteWebAuthnRegistrationResponse } from '@aws-sdk/client-cognito-identity-provider'
import { InvalidParameterError } from 'cognito-local/lib/errors.js'
import { authorize } from '../rules/access-token.ts'
import { limitExceeded, webAuthnNotEnabled } from '../rules/errors.ts'
import { allowsPasskeys, passkeysOf, savePasskeys } from '../rules/passkeys.ts'
import type { Target } from './target.ts'

/** AWS's limit of passkeys per user. */
const MAX_PASSKEYS = 20

/**
 * CompleteWebAuthnRegistration, which cognito-local lacks: the RegistrationResponseJSON (Credential)
 * verified against the user's latest StartWebAuthnRegistration (../rules/passkey-registrations.ts
 * names each refusal as AWS does), then stored on the user. Assumed: a credential id already
 * registered is InvalidParameterException; more than 20 passkeys LimitExceededException.
 */
export const CompleteWebAuthnRegistration: Target<CompleteWebAuthnRegistrationRequest, CompleteWebAuthnRegistrationResponse> = async (req, bridge) => {
  const { claims, pool, user } = await authorize(bridge, req.AccessToken)
  if (!allowsPasskeys(pool)) throw webAuthnNotEnabled()
  const passkey = await bridge.registrations.complete(pool, user, String(claims.client_id), req.Credential)
  const passkeys = passkeysOf(user)
  if (passkeys.some((p) => p.CredentialId === passkey.CredentialId)) throw new InvalidParameterError('This credential is already registered.')
  if (passkeys.length >= MAX_PASSKEYS) throw limitExceeded(`A user can register at most ${MAX_PASSKEYS} passkeys.`)
  await savePasskeys(bridge, pool, user, [...passkeys, passkey])
  return {}
}
