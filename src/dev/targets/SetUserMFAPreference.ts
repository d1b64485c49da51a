// The emulator's SetUserMFAPreference operation: AWS's request in, its response out, its named errors thrown.
import type { SetUserMFAPreferenceRequest, SetUserMFAPreferenceResponse } from '@aws-sdk/client-cognito-identity-provider'
import { authorize } from '../rules/access-token.ts'
import { setMfaPreference } from '../rules/mfa.ts'
import type { Target } from './target.ts'

/** SetUserMFAPreference: the access token checked, then the preference applied as AWS applies it (rules/mfa.ts). */
export const SetUserMFAPreference: Target<SetUserMFAPreferenceRequest, SetUserMFAPreferenceResponse> = async (req, bridge) => {
  const { pool, user } = await authorize(bridge, req.AccessToken)
  await setMfaPreference(bridge, pool, user, req)
  return {}
}
