// The emulator's UpdateDeviceStatus operation: AWS's request in, its response out, its named errors thrown.
import type { UpdateDeviceStatusRequest, UpdateDeviceStatusResponse } from '@aws-sdk/client-cognito-identity-provider'
import { authorize } from '../rules/access-token.ts'
import { setDeviceStatus } from '../rules/devices.ts'
import type { Target } from './target.ts'

/**
 * UpdateDeviceStatus, which cognito-local lacks: one of the token's user's confirmed devices
 * `remembered` (its next sign-in may skip the second factor) or `not_remembered`.
 */
export const UpdateDeviceStatus: Target<UpdateDeviceStatusRequest, UpdateDeviceStatusResponse> = async (req, bridge) => {
  const { pool, user } = await authorize(bridge, req.AccessToken)
  await setDeviceStatus(bridge, pool, user, req.DeviceKey, req.DeviceRememberedStatus)
  return {}
}
