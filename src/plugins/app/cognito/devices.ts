// The user's devices at Cognito (device tracking): confirming a browser's, listing, remembering and forgetting them.
import {
  AdminForgetDeviceCommand, AdminListDevicesCommand, ConfirmDeviceCommand, ForgetDeviceCommand, ListDevicesCommand, UpdateDeviceStatusCommand,
  type ConfirmDeviceCommandOutput, type DeviceType, type ListDevicesCommandOutput
} from '@aws-sdk/client-cognito-identity-provider'
import { newDeviceSecret } from '../../../srp.ts'
import { exceptionName } from './errors.ts'
import { attribute, type CognitoClient } from './client.ts'
import type { DevicePolicy } from './device-policy.ts'
import type { RememberedDevice } from './password-flow.ts'
import type { NewDevice } from './types.ts'

/** A device of the user, in the API's vocabulary. */
export interface UserDevice {
  id: string
  name: string | null
  remembered: boolean
  createdAt: Date | null
  lastSignInAt: Date | null
  lastIp: string | null
}

/** Devices asked for per page (Cognito's most). */
const PAGE = 60
/** Pages read at most: a user with more devices than that has a problem no listing solves. */
const MAX_PAGES = 5

const deviceOf = (d: DeviceType): UserDevice => ({
  id: d.DeviceKey ?? '',
  name: attribute(d.DeviceAttributes, 'device_name') ?? null,
  remembered: attribute(d.DeviceAttributes, 'dev:device_remembered_status') === 'remembered',
  createdAt: d.DeviceCreateDate ?? null,
  lastSignInAt: d.DeviceLastAuthenticatedDate ?? null,
  lastIp: attribute(d.DeviceAttributes, 'last_ip_used') ?? null
})

/** Every page of a listing, up to MAX_PAGES. */
async function allPages (list: (token: string | undefined) => Promise<ListDevicesCommandOutput>): Promise<DeviceType[]> {
  const devices: DeviceType[] = []
  let token: string | undefined
  for (let page = 0; page < MAX_PAGES; page++) {
    const out = await list(token)
    devices.push(...(out.Devices ?? []))
    token = out.PaginationToken
    if (token === undefined) break
  }
  return devices
}

export function deviceOperations (cognito: CognitoClient, policy: DevicePolicy) {
  const { call, pool } = cognito
  /** Runs a call on one device; false when Cognito knows no such device of the user (ResourceNotFoundException). */
  async function onDevice (command: object): Promise<boolean> {
    let missing = false
    try {
      await call(command, { seen: (err) => { missing = exceptionName(err) === 'ResourceNotFoundException' } })
      return true
    } catch (err) {
      if (missing) return false
      throw err
    }
  }
  const forget = async (accessToken: string, key: string): Promise<boolean> => await onDevice(new ForgetDeviceCommand({ AccessToken: accessToken, DeviceKey: key }))

  return {
    /**
     * Confirms the device a sign-in was handed, with a verifier of a random secret made here:
     * what the browser keeps to prove the device at its next sign-in. `remember`: remembered at
     * once even where the pool remembers only on the user's word.
     */
    async confirmDevice (accessToken: string, handed: NewDevice, name: string, remember: boolean): Promise<{ device: RememberedDevice, remembered: boolean }> {
      const { secret, verifier } = newDeviceSecret(handed.groupKey, handed.key)
      const out = await call<ConfirmDeviceCommandOutput>(new ConfirmDeviceCommand({ AccessToken: accessToken, DeviceKey: handed.key, DeviceName: name, DeviceSecretVerifierConfig: verifier }))
      const device = { key: handed.key, groupKey: handed.groupKey, secret }
      policy.sawConfirmation(out.UserConfirmationNecessary === true)
      if (out.UserConfirmationNecessary !== true) return { device, remembered: true }
      if (remember) await call(new UpdateDeviceStatusCommand({ AccessToken: accessToken, DeviceKey: handed.key, DeviceRememberedStatus: 'remembered' }))
      return { device, remembered: remember }
    },

    /** The user's devices at Cognito, oldest first. */
    async listDevices (accessToken: string): Promise<UserDevice[]> {
      const devices = await allPages((token) => call<ListDevicesCommandOutput>(new ListDevicesCommand({ AccessToken: accessToken, Limit: PAGE, PaginationToken: token })))
      return devices.map(deviceOf)
    },

    /** Remembers one of the user's devices (it skips the second factor from its next sign-in); false: no such device of the user. */
    async rememberDevice (accessToken: string, key: string): Promise<boolean> {
      return await onDevice(new UpdateDeviceStatusCommand({ AccessToken: accessToken, DeviceKey: key, DeviceRememberedStatus: 'remembered' }))
    },

    /** Forgets one of the user's devices: its key is refused at the next sign-in; false: no such device of the user. */
    forgetDevice: forget,

    /** Forgets every device of the user (with the user's token, before a global sign-out revokes it). */
    async forgetAllDevices (accessToken: string): Promise<void> {
      const devices = await allPages((token) => call<ListDevicesCommandOutput>(new ListDevicesCommand({ AccessToken: accessToken, Limit: PAGE, PaginationToken: token })))
      for (const d of devices) if (d.DeviceKey !== undefined) await forget(accessToken, d.DeviceKey)
    },

    /** Forgets every device of a user the server holds no token of (admin credentials). */
    async adminForgetAllDevices (username: string): Promise<void> {
      const devices = await allPages((token) => call<ListDevicesCommandOutput>(new AdminListDevicesCommand({ UserPoolId: pool.userPoolId, Username: username, Limit: PAGE, PaginationToken: token })))
      for (const d of devices) if (d.DeviceKey !== undefined) await call(new AdminForgetDeviceCommand({ UserPoolId: pool.userPoolId, Username: username, DeviceKey: d.DeviceKey }))
    }
  }
}
