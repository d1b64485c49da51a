// The emulator's GetUser operation: AWS's request in, its response out, its named errors thrown.
import type { GetUserRequest, GetUserResponse } from '@aws-sdk/client-cognito-identity-provider'
import { authorize } from '../rules/access-token.ts'
import { readableBy } from '../rules/attributes.ts'
import type { Target } from './target.ts'

/**
 * GetUser: the access token is checked as AWS checks it (signature, expiry, revocation, user
 * enabled; cognito-local only decodes it), and the answer holds only the attributes the token's
 * app client may read (its ReadAttributes), never a developer-only one.
 */
export const GetUser: Target<GetUserRequest, GetUserResponse> = async (req, bridge) => {
  if (req.AccessToken === undefined) return await bridge.next(req)
  const { claims } = await authorize(bridge, req.AccessToken)
  const res: GetUserResponse = await bridge.next(req)
  const readable = readableBy(await bridge.services.cognito.getAppClient(bridge.ctx, String(claims.client_id)))
  return { ...res, UserAttributes: (res.UserAttributes ?? []).filter((a) => readable(String(a.Name))) }
}
