// The emulator's AdminSetUserMFAPreference operation: AWS's request in, its response out, its named errors thrown.
import type { AdminSetUserMFAPreferenceRequest, AdminSetUserMFAPreferenceResponse } from '@aws-sdk/client-cognito-identity-provider'
import { setMfaPreference } from '../rules/mfa.ts'
import { existingUser, poolById } from '../rules/users.ts'
import type { Target } from './target.ts'

/** AdminSetUserMFAPreference, which cognito-local lacks: an unknown user is UserNotFoundException, then as SetUserMFAPreference. */
export const AdminSetUserMFAPreference: Target<AdminSetUserMFAPreferenceRequest, AdminSetUserMFAPreferenceResponse> = async (req, bridge) => {
  const pool = await poolById(bridge, req.UserPoolId)
  const user = await existingUser(bridge, pool, req.Username)
  await setMfaPreference(bridge, pool, user, req)
  return {}
}
