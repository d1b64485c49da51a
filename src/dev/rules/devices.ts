// Devices as a pool with device tracking keeps them (its DeviceConfiguration, which CreateUserPool and
// UpdateUserPool store): on the user record, from the sign-in that handed out the device key
// (NewDeviceMetadata) through ConfirmDevice (the device's SRP verifier) and UpdateDeviceStatus,
// until ForgetDevice. Answered in AWS's DeviceType shape.
import { randomBytes, randomUUID } from 'node:crypto'
import type { DeviceConfigurationType, DeviceType } from '@aws-sdk/client-cognito-identity-provider'
import { InvalidParameterError, NotAuthorizedError, ResourceNotFoundError } from 'cognito-local/lib/errors.js'
import type { User, UserPoolService } from 'cognito-local/lib/services/userPoolService.js'
import type { Bridge } from './bridge.ts'
import type { Claims } from './token-customization.ts'

/** A device on the user record. Dates are epoch milliseconds. */
export interface StoredDevice {
  DeviceKey: string
  DeviceGroupKey: string
  /** Set by ConfirmDevice (hex): until then the device is only handed out, not tracked. */
  Salt?: string
  Verifier?: string
  Name?: string
  Remembered: boolean
  CreatedAt: number
  ModifiedAt: number
  LastAuthenticatedAt: number
  LastIp?: string
}

/** The user record with the bridge's devices. */
export type DeviceUser = User & { Devices?: StoredDevice[] }

/** Device keys handed out and not (yet) confirmed that a user's record keeps, the latest. */
const PENDING_KEPT = 20

/** The pool's device tracking: its DeviceConfiguration, or undefined when it does not track devices. */
export function deviceConfiguration (pool: UserPoolService): DeviceConfigurationType | undefined {
  const config = (pool.options as { DeviceConfiguration?: DeviceConfigurationType }).DeviceConfiguration
  return config !== undefined && config !== null && Object.keys(config).length > 0 ? config : undefined
}

export const devicesOf = (user: User): StoredDevice[] => (user as DeviceUser).Devices ?? []

/** A device ConfirmDevice has confirmed, of this user. */
export const confirmedDevice = (user: User, key: unknown): StoredDevice | undefined =>
  devicesOf(user).find((d) => d.DeviceKey === key && d.Verifier !== undefined)

/** The user's confirmed device `key`; ResourceNotFoundException otherwise (an unconfirmed, forgotten or another user's device). */
export function deviceOf (user: User, key: unknown): StoredDevice {
  const device = confirmedDevice(user, key)
  if (device === undefined) throw new ResourceNotFoundError('Device does not exist.')
  return device
}

/** Saves a change to the user's devices on their record as it is now (read again, so that nothing else is lost). */
export async function changeDevices ({ ctx }: Pick<Bridge, 'ctx'>, pool: UserPoolService, user: User, change: (devices: StoredDevice[]) => StoredDevice[]): Promise<void> {
  const current = await pool.getUserByUsername(ctx, user.Username) ?? user
  await pool.saveUser(ctx, { ...current, Devices: change(devicesOf(current)) } as DeviceUser)
}

/**
 * A new device key for a sign-in that came without one, kept as handed out (the latest few) so
 * that ConfirmDevice can confirm it. Assumed (AWS does not document the formats): the key is
 * `<region>_<UUID>` as in AWS's examples; the group key is `-` and nine letters or digits.
 */
export async function handOutDevice (bridge: Pick<Bridge, 'ctx' | 'services'>, pool: UserPoolService, user: User, key: string, ip: string | undefined): Promise<StoredDevice> {
  const now = bridge.services.clock.get().getTime()
  const device: StoredDevice = { DeviceKey: key, DeviceGroupKey: `-${randomBytes(12).toString('base64url').replace(/[-_]/g, '').slice(0, 9)}`, Remembered: false, CreatedAt: now, ModifiedAt: now, LastAuthenticatedAt: now, ...(ip === undefined ? {} : { LastIp: ip }) }
  await changeDevices(bridge, pool, user, (devices) => {
    const pending = devices.filter((d) => d.Verifier === undefined).slice(-(PENDING_KEPT - 1))
    return [...devices.filter((d) => d.Verifier !== undefined), ...pending, device]
  })
  return device
}

/** A device key as AWS makes them: the pool's region, an underscore, a UUID. */
export const newDeviceKey = (pool: UserPoolService): string => `${pool.options.Id.split('_')[0]}_${randomUUID()}`

/** The device in AWS's DeviceType shape (the attributes AWS's examples list, those the emulator knows). */
export function deviceType (pool: UserPoolService, user: User, device: StoredDevice): DeviceType {
  const owner = `${user.Username}.${pool.options.Id}`
  const attributes: Array<[string, string | undefined]> = [
    ['device_status', 'valid'],
    ['device_name', device.Name],
    ['dev:device_arn', `${String(pool.options.Arn ?? pool.options.Id).replace(/:userpool\/.*$/, '')}:owner/${owner}/device/${device.DeviceKey}`],
    ['dev:device_owner', owner],
    ['last_ip_used', device.LastIp],
    ['dev:device_remembered_status', device.Remembered ? 'remembered' : 'not_remembered']
  ]
  return {
    DeviceKey: device.DeviceKey,
    DeviceAttributes: attributes.flatMap(([Name, Value]) => Value === undefined ? [] : [{ Name, Value }]),
    DeviceCreateDate: new Date(device.CreatedAt),
    DeviceLastModifiedDate: new Date(device.ModifiedAt),
    DeviceLastAuthenticatedDate: new Date(device.LastAuthenticatedAt)
  }
}

/**
 * A page of the user's confirmed devices, oldest first: Limit 0 to 60 (0 or none: 60), the
 * PaginationToken an offset. Assumed: the order, and that a token the emulator did not make is
 * InvalidParameterException.
 */
export function devicePage (pool: UserPoolService, user: User, limit: number | undefined, token: string | undefined): { Devices: DeviceType[], PaginationToken?: string } {
  const max = limit ?? 0
  if (!Number.isInteger(max) || max < 0 || max > 60) throw new InvalidParameterError('Limit must be between 0 and 60')
  const start = token === undefined ? 0 : Number(token)
  if (!Number.isInteger(start) || start < 0) throw new InvalidParameterError('Invalid PaginationToken')
  const devices = devicesOf(user).filter((d) => d.Verifier !== undefined)
  const page = devices.slice(start, start + (max === 0 ? 60 : max))
  const next = start + page.length
  return { Devices: page.map((d) => deviceType(pool, user, d)), ...(next < devices.length ? { PaginationToken: String(next) } : {}) }
}

/** UpdateDeviceStatus: a confirmed device of the user remembered or not (InvalidParameterException for another status). */
export async function setDeviceStatus (bridge: Pick<Bridge, 'ctx' | 'services'>, pool: UserPoolService, user: User, key: unknown, status: unknown): Promise<void> {
  const device = deviceOf(user, key)
  if (status !== 'remembered' && status !== 'not_remembered') throw new InvalidParameterError('DeviceRememberedStatus must be remembered or not_remembered')
  const now = bridge.services.clock.get().getTime()
  await changeDevices(bridge, pool, user, (devices) => devices.map((d) => d.DeviceKey === device.DeviceKey ? { ...d, Remembered: status === 'remembered', ModifiedAt: now } : d))
}

/** ForgetDevice: the user's device, confirmed or only handed out, is gone (its refresh tokens with it); ResourceNotFoundException for any other key. */
export async function forgetDevice (bridge: Pick<Bridge, 'ctx'>, pool: UserPoolService, user: User, key: unknown): Promise<void> {
  if (!devicesOf(user).some((d) => d.DeviceKey === key)) throw new ResourceNotFoundError('Device does not exist.')
  await changeDevices(bridge, pool, user, (devices) => devices.filter((d) => d.DeviceKey !== key))
}

/**
 * A refresh token of a sign-in with a device refreshes only with that DEVICE_KEY, and only while
 * the device is not forgotten (AWS: "If a refresh token is used on any other device, the call
 * fails"; forgetting a device ends its refresh tokens). NotAuthorizedException otherwise.
 */
export function checkRefreshDevice (user: User, claims: Claims, given: unknown): void {
  if (claims.device_key === undefined) return
  if (given !== claims.device_key || !devicesOf(user).some((d) => d.DeviceKey === given)) throw new NotAuthorizedError('Invalid Refresh Token')
}
