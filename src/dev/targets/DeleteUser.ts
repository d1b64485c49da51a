// The emulator's DeleteUser operation: AWS's request in, its response out, its named errors thrown.
import type { DeleteUserRequest } from '@aws-sdk/client-cognito-identity-provider'
import { authorize } from '../rules/access-token.ts'
import type { Target } from './target.ts'

/** DeleteUser: the access token is checked as AWS checks it (signature, expiry, revocation, user enabled); cognito-local only decodes it. */
export const DeleteUser: Target<DeleteUserRequest, Record<string, never>> = async (req, bridge) => {
  if (req.AccessToken !== undefined) await authorize(bridge, req.AccessToken)
  return await bridge.next(req)
}
