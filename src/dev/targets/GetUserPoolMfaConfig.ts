// The emulator's GetUserPoolMfaConfig operation: AWS's request in, its response out, its named errors thrown.
import type { GetUserPoolMfaConfigRequest, GetUserPoolMfaConfigResponse } from '@aws-sdk/client-cognito-identity-provider'
import { mfaConfigOf } from '../rules/pool-mfa.ts'
import { poolById } from '../rules/users.ts'
import type { Target } from './target.ts'

/** GetUserPoolMfaConfig: the pool's MFA settings with its email factor and passkey settings, which cognito-local leaves out. */
export const GetUserPoolMfaConfig: Target<GetUserPoolMfaConfigRequest, GetUserPoolMfaConfigResponse> = async (req, bridge) =>
  mfaConfigOf(await poolById(bridge, req.UserPoolId))
