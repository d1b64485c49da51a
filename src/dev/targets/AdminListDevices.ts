// The emulator's AdminListDevices operation: AWS's request in, its response out, its named errors thrown.
import type { AdminListDevicesRequest, AdminListDevicesResponse } from '@aws-sdk/client-cognito-identity-provider'
import { devicePage } from '../rules/devices.ts'
import { existingUser, poolById } from '../rules/users.ts'
import type { Target } from './target.ts'

/** AdminListDevices, which cognito-local lacks: a user's confirmed devices, a page at a time; an unknown user UserNotFoundException. */
export const AdminListDevices: Target<AdminListDevicesRequest, AdminListDevicesResponse> = async (req, bridge) => {
  const pool = await poolById(bridge, req.UserPoolId)
  const user = await existingUser(bridge, pool, req.Username)
  return devicePage(pool, user, req.Limit, req.PaginationToken)
}
