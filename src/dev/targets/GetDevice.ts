// The emulator's GetDevice operation: AWS's request in, its response out, its named errors thrown.
import type { GetDeviceRequest, GetDeviceResponse } from '@aws-sdk/client-cognito-identity-provider'
import { authorize } from '../rules/access-token.ts'
import { deviceOf, deviceType } from '../rules/devices.ts'
import type { Target } from './target.ts'

/** GetDevice, which cognito-local lacks: one of the token's user's confirmed devices; any other key ResourceNotFoundException. */
export const GetDevice: Target<GetDeviceRequest, GetDeviceResponse> = async (req, bridge) => {
  const { pool, user } = await authorize(bridge, req.AccessToken)
  return { Device: deviceType(pool, user, deviceOf(user, req.DeviceKey)) }
}
