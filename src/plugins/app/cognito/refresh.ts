// The adapter: refreshing, with refresh-token rotation.
import { GetTokensFromRefreshTokenCommand, type GetTokensFromRefreshTokenCommandOutput } from '@aws-sdk/client-cognito-identity-provider'
import { AppError } from '../../../errors.ts'
import { exceptionName } from './errors.ts'
import type { CognitoClient } from './client.ts'
import type { Tokens } from './types.ts'

/**
 * A refresh token that refresh-token rotation has already replaced, presented again after
 * Cognito's grace period (RefreshTokenReuseException): someone holds a copy of an old one.
 * The session it belongs to is to be ended, and the caller has no session (INVALID_CREDENTIALS).
 */
export class RefreshTokenReused extends AppError {
  constructor () {
    super('INVALID_CREDENTIALS')
  }
}

/** Refreshing for an app client with refresh-token rotation (REFRESH_TOKEN_ROTATION=true). */
export function refreshOperations (cognito: CognitoClient) {
  const { clientId, pool } = cognito

  return {
    /**
     * GetTokensFromRefreshToken: new access and id tokens and, with rotation on, a new refresh
     * token that replaces the one presented (Cognito keeps the old one alive for the client's
     * grace period, so a retry after a lost answer still works). Throws RefreshTokenReused.
     */
    async refreshRotating (refreshToken: string, deviceKey?: string): Promise<Tokens> {
      let out: GetTokensFromRefreshTokenCommandOutput
      try {
        out = await cognito.attempt<GetTokensFromRefreshTokenCommandOutput>(
          new GetTokensFromRefreshTokenCommand({ ClientId: clientId, ClientSecret: pool.clientSecret, RefreshToken: refreshToken, DeviceKey: deviceKey }), true)
      } catch (err) {
        if (exceptionName(err) === 'RefreshTokenReuseException') throw new RefreshTokenReused()
        throw cognito.failure(new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: '' }), err)
      }
      const result = out.AuthenticationResult
      if (result?.AccessToken === undefined || result.IdToken === undefined) throw new AppError('SERVICE_UNAVAILABLE')
      return { accessToken: result.AccessToken, idToken: result.IdToken, refreshToken: result.RefreshToken }
    }
  }
}
