// The emulator's AdminUpdateDeviceStatus operation: AWS's request in, its response out, its named errors thrown.
import type { AdminUpdateDeviceStatusRequest, AdminUpdateDeviceStatusResponse } from '@aws-sdk/client-cognito-identity-provider'
import { setDeviceStatus } from '../rules/devices.ts'
import { existingUser, poolById } from '../rules/users.ts'
import type { Target } from './target.ts'

/** AdminUpdateDeviceStatus, which cognito-local lacks: as UpdateDeviceStatus, for a user an administrator names. */
export const AdminUpdateDeviceStatus: Target<AdminUpdateDeviceStatusRequest, AdminUpdateDeviceStatusResponse> = async (req, bridge) => {
  const pool = await poolById(bridge, req.UserPoolId)
  const user = await existingUser(bridge, pool, req.Username)
  await setDeviceStatus(bridge, pool, user, req.DeviceKey, req.DeviceRememberedStatus)
  return {}
}
