// What an access token is worth: AWS checks its signature, expiry and revocation and that its user
// is still there and enabled before any user operation (cognito-local only decodes it). Signing
// out ends sessions: their refresh tokens stop refreshing, their access tokens stop working here.
import { NotAuthorizedError } from 'cognito-local/lib/errors.js'
import type { User, UserPoolService } from 'cognito-local/lib/services/userPoolService.js'
import type { Claims } from './token-customization.ts'
import type { Bridge } from './bridge.ts'
import { poolOfClient } from './users.ts'

/** Our own bookkeeping on the stored user: sessions (origin_jti) whose access tokens were revoked. */
export type DevUser = User & { RevokedOriginJtis?: string[] }

/** How many revoked sessions a user's record keeps (the latest). */
const REVOKED_KEPT = 100

/** The token's claims, pool and user, after what AWS checks on an AccessToken; NotAuthorizedException otherwise. */
export async function authorize (bridge: Pick<Bridge, 'ctx' | 'services' | 'tokens'>, token: unknown): Promise<{ claims: Claims, pool: UserPoolService, user: DevUser }> {
  const claims = bridge.tokens.read(token, 'access')
  if (claims === 'expired') throw new NotAuthorizedError('Access Token has expired')
  if (claims === undefined) throw new NotAuthorizedError('Invalid Access Token')
  const pool = await poolOfClient(bridge, claims.client_id)
  const user: DevUser | null = await pool.getUserByUsername(bridge.ctx, String(claims.sub))
  if (user === null) throw new NotAuthorizedError('User does not exist.')
  if (user.Enabled === false) throw new NotAuthorizedError('User is disabled.')
  if (user.RevokedOriginJtis?.includes(String(claims.origin_jti)) === true) throw new NotAuthorizedError('Access Token has been revoked')
  return { claims, pool, user }
}

/** Ends the sessions of these refresh tokens: the tokens stop refreshing, their access tokens stop working here. */
export async function revokeSessions ({ ctx, tokens }: Pick<Bridge, 'ctx' | 'tokens'>, pool: UserPoolService, user: DevUser, refreshTokens: string[]): Promise<void> {
  const origins = refreshTokens.map(t => tokens.read(t, 'refresh')).flatMap(c => typeof c === 'object' ? [String(c.origin_jti)] : [])
  await pool.saveUser(ctx, {
    ...user,
    RefreshTokens: (user.RefreshTokens ?? []).filter(t => !refreshTokens.includes(t)),
    RevokedOriginJtis: [...(user.RevokedOriginJtis ?? []), ...origins].slice(-REVOKED_KEPT)
  } as DevUser)
}
