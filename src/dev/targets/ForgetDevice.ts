// The emulator's ForgetDevice operation: AWS's request in, its response out, its named errors thrown.
import type { ForgetDeviceRequest } from '@aws-sdk/client-cognito-identity-provider'
import { InvalidParameterError } from 'cognito-local/lib/errors.js'
import { authorize } from '../rules/access-token.ts'
import { forgetDevice } from '../rules/devices.ts'
import type { Target } from './target.ts'

/**
 * ForgetDevice, which cognito-local lacks: the token's user's device is no longer tracked; its
 * refresh tokens stop refreshing and its key is refused at the next sign-in. Assumed: AWS lists
 * AccessToken as optional; the emulator needs it (InvalidParameterException without).
 */
export const ForgetDevice: Target<ForgetDeviceRequest, Record<string, never>> = async (req, bridge) => {
  if (req.AccessToken === undefined) throw new InvalidParameterError('Missing required parameter AccessToken')
  const { pool, user } = await authorize(bridge, req.AccessToken)
  await forgetDevice(bridge, pool, user, req.DeviceKey)
  return {}
}
