// The emulator's AdminGetDevice operation: AWS's request in, its response out, its named errors thrown.
import type { AdminGetDeviceRequest, AdminGetDeviceResponse } from '@aws-sdk/client-cognito-identity-provider'
import { deviceOf, deviceType } from '../rules/devices.ts'
import { existingUser, poolById } from '../rules/users.ts'
import type { Target } from './target.ts'

/** AdminGetDevice, which cognito-local lacks: one of a user's confirmed devices; an unknown user UserNotFoundException, another key ResourceNotFoundException. */
export const AdminGetDevice: Target<AdminGetDeviceRequest, AdminGetDeviceResponse> = async (req, bridge) => {
  const pool = await poolById(bridge, req.UserPoolId)
  const user = await existingUser(bridge, pool, req.Username)
  return { Device: deviceType(pool, user, deviceOf(user, req.DeviceKey)) }
}
