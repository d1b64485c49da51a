// The emulator's ListWebAuthnCredentials operation: AWS's request in, its response out, its named errors thrown.
import type { ListWebAuthnCredentialsRequest, ListWebAuthnCredentialsResponse } from '@aws-sdk/client-cognito-identity-provider'
import { InvalidParameterError } from 'cognito-local/lib/errors.js'
import { authorize } from '../rules/access-token.ts'
import { passkeysOf } from '../rules/passkeys.ts'
import type { Target } from './target.ts'

/**
 * ListWebAuthnCredentials, which cognito-local lacks: the access token's user's passkeys, oldest
 * first, MaxResults (0 to 20; assumed: 0 or none means 20) at a time, NextToken to go on. Assumed:
 * the token is the offset, and one that is not ours is InvalidParameterException.
 */
export const ListWebAuthnCredentials: Target<ListWebAuthnCredentialsRequest, ListWebAuthnCredentialsResponse> = async (req, bridge) => {
  const { user } = await authorize(bridge, req.AccessToken)
  const max = req.MaxResults ?? 0
  if (!Number.isInteger(max) || max < 0 || max > 20) throw new InvalidParameterError('MaxResults must be between 0 and 20')
  const start = req.NextToken === undefined ? 0 : Number(req.NextToken)
  if (!Number.isInteger(start) || start < 0) throw new InvalidParameterError('Invalid NextToken')
  const passkeys = passkeysOf(user)
  const page = passkeys.slice(start, start + (max === 0 ? 20 : max))
  const next = start + page.length
  return {
    Credentials: page.map((p) => ({
      CredentialId: p.CredentialId,
      FriendlyCredentialName: p.FriendlyCredentialName,
      RelyingPartyId: p.RelyingPartyId,
      AuthenticatorAttachment: p.AuthenticatorAttachment,
      AuthenticatorTransports: p.AuthenticatorTransports,
      CreatedAt: new Date(p.CreatedAt)
    })),
    ...(next < passkeys.length ? { NextToken: String(next) } : {})
  }
}
