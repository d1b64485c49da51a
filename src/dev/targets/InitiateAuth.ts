// The emulator's InitiateAuth operation: AWS's request in, its response out, its named errors thrown.
import type { InitiateAuthRequest, InitiateAuthResponse } from '@aws-sdk/client-cognito-identity-provider'
import { allowFlow } from '../rules/app-clients.ts'
import { checkDeviceAtStart, trackingDevices } from '../rules/device-sign-in.ts'
import { isSignInFlow, postAuthentication, preAuthentication } from '../rules/user-triggers.ts'
import { poolOfClient } from '../rules/users.ts'
import type { AuthFlow } from './auth-flows/auth-flow.ts'
import { customAuth } from './auth-flows/custom-auth.ts'
import { refreshTokenAuth } from './auth-flows/refresh-token-auth.ts'
import { userAuth } from './auth-flows/user-auth.ts'
import { userPasswordAuth } from './auth-flows/user-password-auth.ts'
import { userSrpAuth } from './auth-flows/user-srp-auth.ts'
import type { Target } from './target.ts'

/** The flows the bridge corrects, one file each in ./auth-flows; cognito-local runs the others its own way. */
const FLOWS: ReadonlyMap<string, AuthFlow> = new Map([
  ['USER_PASSWORD_AUTH', userPasswordAuth],
  ['REFRESH_TOKEN_AUTH', refreshTokenAuth],
  ['REFRESH_TOKEN', refreshTokenAuth],
  ['USER_AUTH', userAuth],
  ['USER_SRP_AUTH', userSrpAuth],
  ['CUSTOM_AUTH', customAuth]
])

/**
 * InitiateAuth: each AuthFlow as AWS runs it for an app client with PreventUserExistenceErrors
 * ENABLED, if the client allows it (ExplicitAuthFlows), with the pool's device tracking around it;
 * a sign-in (not a refresh) between the pre and post authentication triggers (post authentication
 * sees the answer device tracking made: its tokens and NewDeviceMetadata, or none).
 */
export const InitiateAuth: Target<InitiateAuthRequest, InitiateAuthResponse> = async (req, bridge) => {
  const pool = await poolOfClient(bridge, req.ClientId)
  await allowFlow(bridge, req.ClientId, req.AuthFlow)
  const flow = FLOWS.get(String(req.AuthFlow))
  await preAuthentication(bridge, pool, req)
  await checkDeviceAtStart(bridge, pool, req)
  const device = { given: req.AuthParameters?.DEVICE_KEY, context: req.UserContextData }
  const answer = await trackingDevices(bridge, pool, device, async () => flow === undefined ? await bridge.next(req) : await flow(req, bridge, pool))
  return isSignInFlow(req.AuthFlow) ? await postAuthentication(bridge, pool, answer) : answer
}
