// The emulator's GetUserAuthFactors operation: AWS's request in, its response out, its named errors thrown.
import type { AuthFactorType, GetUserAuthFactorsRequest, GetUserAuthFactorsResponse } from '@aws-sdk/client-cognito-identity-provider'
import { authorize } from '../rules/access-token.ts'
import { availableFactors } from '../rules/first-factors.ts'
import { enabledMfa } from '../rules/mfa.ts'
import type { Target } from './target.ts'

/**
 * GetUserAuthFactors, which cognito-local lacks: the access token's user's MFA settings and the
 * factors of choice-based sign-in they have (ConfiguredUserAuthFactors, as SELECT_CHALLENGE
 * would offer them, PASSWORD_SRP being PASSWORD). Assumed: SOFTWARE_TOKEN is listed when TOTP MFA is enabled.
 */
export const GetUserAuthFactors: Target<GetUserAuthFactorsRequest, GetUserAuthFactorsResponse> = async (req, bridge) => {
  const { pool, user } = await authorize(bridge, req.AccessToken)
  const mfa = enabledMfa(user)
  const factors: AuthFactorType[] = availableFactors(pool, user).filter((f) => f !== 'PASSWORD_SRP')
  if (mfa.includes('SOFTWARE_TOKEN_MFA')) factors.push('SOFTWARE_TOKEN')
  return {
    Username: user.Username,
    PreferredMfaSetting: mfa.find((m) => m === user.PreferredMfaSetting),
    UserMFASettingList: mfa,
    ConfiguredUserAuthFactors: factors
  }
}
