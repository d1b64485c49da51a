// The emulator's GlobalSignOut operation: AWS's request in, its response out, its named errors thrown.
import type { GlobalSignOutRequest, GlobalSignOutResponse } from '@aws-sdk/client-cognito-identity-provider'
import { authorize, revokeSessions } from '../rules/access-token.ts'
import type { Target } from './target.ts'

/** GlobalSignOut, which cognito-local lacks: every refresh token of the user revoked, and the access tokens of their sessions with them. */
export const GlobalSignOut: Target<GlobalSignOutRequest, GlobalSignOutResponse> = async (req, bridge) => {
  const { pool, user } = await authorize(bridge, req.AccessToken)
  await revokeSessions(bridge, pool, user, user.RefreshTokens ?? [])
  return {}
}
