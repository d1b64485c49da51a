// The emulator's RevokeToken operation: AWS's request in, its response out, its named errors thrown.
import type { RevokeTokenRequest, RevokeTokenResponse } from '@aws-sdk/client-cognito-identity-provider'
import { InvalidParameterError } from 'cognito-local/lib/errors.js'
import { revokeSessions } from '../rules/access-token.ts'
import { unauthorized, unsupportedOperation, unsupportedTokenType } from '../rules/errors.ts'
import { poolOfClient } from '../rules/users.ts'
import { sameSecret } from '../../digest.ts'
import type { Target } from './target.ts'

/**
 * RevokeToken with AWS's preconditions and errors: the app client authenticates (its ClientSecret
 * when it has one, else UnauthorizedException), must have token revocation on
 * (UnsupportedOperationException), and the token must be a refresh token (an access or id token is
 * UnsupportedTokenTypeException); a refresh token that is unknown, expired or already revoked is
 * revoked already: success, as AWS's revocation endpoint answers 200. The refresh token is revoked
 * and the access tokens issued with it (cognito-local revokes only the refresh token).
 * Assumed (AWS does not say): an unknown client, a secret given to a client without one, and a
 * refresh token of another app client are UnauthorizedException.
 */
export const RevokeToken: Target<RevokeTokenRequest, RevokeTokenResponse> = async (req, bridge) => {
  const { ctx, services, tokens } = bridge
  if (typeof req.Token !== 'string' || req.Token === '') throw new InvalidParameterError('Missing required parameter Token')
  const client = await services.cognito.getAppClient(ctx, String(req.ClientId))
  if (client === null) throw unauthorized('The app client is unknown.')
  const secret = client.ClientSecret
  if (secret === undefined ? req.ClientSecret !== undefined : typeof req.ClientSecret !== 'string' || !sameSecret(req.ClientSecret, secret)) {
    throw unauthorized('The client secret is missing or wrong.')
  }
  if (client.EnableTokenRevocation === false) throw unsupportedOperation('Token revocation is not enabled for this app client.')
  if (tokens.read(req.Token, 'access') !== undefined || tokens.read(req.Token, 'id') !== undefined) throw unsupportedTokenType('Only refresh tokens can be revoked.')
  const claims = tokens.read(req.Token, 'refresh')
  if (typeof claims !== 'object') return {}
  if (claims.client_id !== client.ClientId) throw unauthorized('The refresh token was issued to another app client.')
  const pool = await poolOfClient(bridge, client.ClientId)
  const user = await pool.getUserByRefreshToken(ctx, req.Token)
  if (user !== null) await revokeSessions(bridge, pool, user, [req.Token])
  return {}
}
