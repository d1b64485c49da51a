// The emulator's DeleteWebAuthnCredential operation: AWS's request in, its response out, its named errors thrown.
import type { DeleteWebAuthnCredentialRequest, DeleteWebAuthnCredentialResponse } from '@aws-sdk/client-cognito-identity-provider'
import { ResourceNotFoundError } from 'cognito-local/lib/errors.js'
import { authorize } from '../rules/access-token.ts'
import { passkeysOf, savePasskeys } from '../rules/passkeys.ts'
import type { Target } from './target.ts'

/**
 * DeleteWebAuthnCredential, which cognito-local lacks: removes one of the access token's user's
 * passkeys; a credential id they do not have (another user's included) is ResourceNotFoundException.
 */
export const DeleteWebAuthnCredential: Target<DeleteWebAuthnCredentialRequest, DeleteWebAuthnCredentialResponse> = async (req, bridge) => {
  const { pool, user } = await authorize(bridge, req.AccessToken)
  const passkeys = passkeysOf(user)
  if (!passkeys.some((p) => p.CredentialId === req.CredentialId)) throw new ResourceNotFoundError('Credential not found.')
  await savePasskeys(bridge, pool, user, passkeys.filter((p) => p.CredentialId !== req.CredentialId))
  return {}
}
