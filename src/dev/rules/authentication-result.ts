// A finished sign-in as AWS answers it: tokens with TokenType and ExpiresIn, and a refresh token
// the pool remembers (so that it refreshes and can be revoked).
import { NotAuthorizedError } from 'cognito-local/lib/errors.js'
import type { User, UserPoolService } from 'cognito-local/lib/services/userPoolService.js'
import type { RespondToAuthChallengeResponse } from '@aws-sdk/client-cognito-identity-provider'
import type { Bridge } from './bridge.ts'

/** An answer of InitiateAuth or RespondToAuthChallenge: a challenge, or tokens. */
export type AuthAnswer = RespondToAuthChallengeResponse

/** AWS answers with TokenType and ExpiresIn; cognito-local leaves them out. Challenges pass through. */
export function completeAuthenticationResult ({ tokens }: Pick<Bridge, 'tokens'>, res: AuthAnswer): AuthAnswer {
  const access = res?.AuthenticationResult?.AccessToken
  if (typeof access !== 'string') return res
  const claims = tokens.read(access, 'access')
  const expiresIn = typeof claims === 'object' ? Number(claims.exp) - Number(claims.iat) : undefined
  return { ...res, AuthenticationResult: { ...res.AuthenticationResult, TokenType: 'Bearer', ExpiresIn: expiresIn } }
}

/** The tokens of a sign-in the bridge finishes itself (cognito-local does not know its last step). */
export async function signedIn (bridge: Pick<Bridge, 'ctx' | 'services' | 'tokens'>, pool: UserPoolService, user: User, clientId: unknown): Promise<AuthAnswer> {
  const { ctx, services } = bridge
  const client = await services.cognito.getAppClient(ctx, String(clientId))
  if (client === null) throw new NotAuthorizedError()
  const groups = await pool.listUserGroupMembership(ctx, user)
  const result = await services.tokenGenerator.generate(ctx, user, groups, client, undefined, 'Authentication')
  await pool.storeRefreshToken(ctx, result.RefreshToken, user)
  return completeAuthenticationResult(bridge, { ChallengeParameters: {}, AuthenticationResult: result })
}
