// The emulator's ConfirmDevice operation: AWS's request in, its response out, its named errors thrown.
import type { ConfirmDeviceRequest, ConfirmDeviceResponse } from '@aws-sdk/client-cognito-identity-provider'
import { InvalidParameterError, ResourceNotFoundError } from 'cognito-local/lib/errors.js'
import { authorize } from '../rules/access-token.ts'
import { changeDevices, deviceConfiguration, devicesOf } from '../rules/devices.ts'
import { deviceKeyExists } from '../rules/errors.ts'
import type { Target } from './target.ts'

const hexOf = (base64: unknown): string => typeof base64 === 'string' ? Buffer.from(base64, 'base64').toString('hex') : ''

/**
 * ConfirmDevice, which cognito-local lacks: a device key the user's sign-in was handed
 * (NewDeviceMetadata) becomes a tracked device with the SRP verifier and salt the client made
 * (DeviceSecretVerifierConfig, base64) and its DeviceName. Remembered at once, unless the pool
 * remembers devices only when the user says so (DeviceOnlyRememberedOnUserPrompt: then
 * UserConfirmationNecessary, and UpdateDeviceStatus remembers it). Another key is
 * ResourceNotFoundException, a confirmed one DeviceKeyExistsException. Assumed: a verifier or salt
 * missing, or a name over 1,024 characters, is InvalidParameterException.
 */
export const ConfirmDevice: Target<ConfirmDeviceRequest, ConfirmDeviceResponse> = async (req, bridge) => {
  const { pool, user } = await authorize(bridge, req.AccessToken)
  const config = deviceConfiguration(pool)
  const device = devicesOf(user).find((d) => d.DeviceKey === req.DeviceKey)
  if (config === undefined || device === undefined) throw new ResourceNotFoundError('Device does not exist.')
  if (device.Verifier !== undefined) throw deviceKeyExists()
  const verifier = hexOf(req.DeviceSecretVerifierConfig?.PasswordVerifier)
  const salt = hexOf(req.DeviceSecretVerifierConfig?.Salt)
  if (!/[1-9a-f]/.test(verifier) || salt === '') throw new InvalidParameterError('DeviceSecretVerifierConfig needs a PasswordVerifier and a Salt')
  if (req.DeviceName !== undefined && (req.DeviceName.length < 1 || req.DeviceName.length > 1024)) throw new InvalidParameterError('DeviceName must be 1 to 1024 characters')
  const remembered = config.DeviceOnlyRememberedOnUserPrompt !== true
  const now = bridge.services.clock.get().getTime()
  await changeDevices(bridge, pool, user, (devices) => devices.map((d) => d.DeviceKey === device.DeviceKey
    ? { ...d, Verifier: verifier, Salt: salt, Remembered: remembered, ModifiedAt: now, ...(req.DeviceName === undefined ? {} : { Name: req.DeviceName }) }
    : d))
  return { UserConfirmationNecessary: !remembered }
}
