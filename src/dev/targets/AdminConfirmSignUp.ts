// The emulator's AdminConfirmSignUp operation: AWS's request in, its response out, its named errors thrown.
import type { AdminConfirmSignUpRequest, AdminConfirmSignUpResponse } from '@aws-sdk/client-cognito-identity-provider'
import { postConfirmation } from '../rules/user-triggers.ts'
import { existingUser, poolById } from '../rules/users.ts'
import type { Target } from './target.ts'

/** AdminConfirmSignUp: cognito-local's, then the post confirmation trigger (PostConfirmation_ConfirmSignUp), run by this bridge. */
export const AdminConfirmSignUp: Target<AdminConfirmSignUpRequest, AdminConfirmSignUpResponse> = async (req, bridge) => {
  const pool = await poolById(bridge, req.UserPoolId)
  const user = await existingUser(bridge, pool, req.Username)
  const res = await bridge.next({ ...req, Username: user.Username })
  await postConfirmation(bridge, pool, await existingUser(bridge, pool, user.Username), 'ConfirmSignUp', null, req.ClientMetadata)
  return res
}
