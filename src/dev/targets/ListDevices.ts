// The emulator's ListDevices operation: AWS's request in, its response out, its named errors thrown.
import type { ListDevicesRequest, ListDevicesResponse } from '@aws-sdk/client-cognito-identity-provider'
import { authorize } from '../rules/access-token.ts'
import { devicePage } from '../rules/devices.ts'
import type { Target } from './target.ts'

/** ListDevices, which cognito-local lacks: the token's user's confirmed devices, a page at a time (../rules/devices.ts). */
export const ListDevices: Target<ListDevicesRequest, ListDevicesResponse> = async (req, bridge) => {
  const { pool, user } = await authorize(bridge, req.AccessToken)
  return devicePage(pool, user, req.Limit, req.PaginationToken)
}
