// The emulator's AdminForgetDevice operation: AWS's request in, its response out, its named errors thrown.
import type { AdminForgetDeviceRequest } from '@aws-sdk/client-cognito-identity-provider'
import { forgetDevice } from '../rules/devices.ts'
import { existingUser, poolById } from '../rules/users.ts'
import type { Target } from './target.ts'

/** AdminForgetDevice, which cognito-local lacks: as ForgetDevice, for a user an administrator names. */
export const AdminForgetDevice: Target<AdminForgetDeviceRequest, Record<string, never>> = async (req, bridge) => {
  const pool = await poolById(bridge, req.UserPoolId)
  const user = await existingUser(bridge, pool, req.Username)
  await forgetDevice(bridge, pool, user, req.DeviceKey)
  return {}
}
