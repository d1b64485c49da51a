// A sign-in in a pool that tracks devices, as AWS runs it: the device key given (DEVICE_KEY, on
// InitiateAuth or any answer, carried by the sign-in's sessions) must be one of the user's devices;
// a confirmed device proves itself with device SRP (DEVICE_SRP_AUTH, DEVICE_PASSWORD_VERIFIER)
// before any tokens, and a remembered one does so instead of the second factor when the pool's
// ChallengeRequiredOnNewDevice says so; a sign-in without a device key gets a new one
// (NewDeviceMetadata). The tokens are bound to the device (`device_key`).
import { AsyncLocalStorage } from 'node:async_hooks'
import type { InitiateAuthRequest, UserContextDataType } from '@aws-sdk/client-cognito-identity-provider'
import type { User, UserPoolService } from 'cognito-local/lib/services/userPoolService.js'
import type { Bridge } from './bridge.ts'
import type { AuthAnswer } from './authentication-result.ts'
import { changeDevices, deviceConfiguration, deviceOf, handOutDevice, newDeviceKey, type StoredDevice } from './devices.ts'
import { asksSecondFactor } from './mfa.ts'

/** What one request of a sign-in knows about its device. */
interface SignInDevice {
  /** The device key the sign-in came with. */
  given?: string
  /** The key a sign-in without one gets, if it ends in tokens here. */
  fresh: string
  /** The device proved itself (DEVICE_PASSWORD_VERIFIER) in this request. */
  verified: boolean
  ip?: string
}

const signInDevice = new AsyncLocalStorage<SignInDevice>()

type Steps = Pick<Bridge, 'ctx' | 'services' | 'sessions' | 'tokens'>

/** DEVICE_SRP_AUTH: the device's proof is asked for (answered with DEVICE_KEY and SRP_A). */
export function deviceSrpChallenge ({ sessions }: Pick<Bridge, 'sessions'>, pool: UserPoolService, user: User, device: StoredDevice): AuthAnswer {
  return {
    ChallengeName: 'DEVICE_SRP_AUTH',
    ChallengeParameters: { USERNAME: user.Username, DEVICE_KEY: device.DeviceKey },
    Session: sessions.issue(pool, user.Username, 'DEVICE_SRP_AUTH', { deviceKey: device.DeviceKey })
  }
}

/**
 * The step after a right password, before the second factor: none without device tracking or a
 * device key; ResourceNotFoundException for a key that is not one of the user's confirmed devices
 * (AWS's answer, which clients take as "forget the key and sign in without it"); DEVICE_SRP_AUTH
 * at once when no second factor would follow, or when the device is remembered and the pool lets
 * remembered devices stand in for it (ChallengeRequiredOnNewDevice).
 */
export function deviceBeforeSecondFactor (bridge: Pick<Bridge, 'sessions'>, pool: UserPoolService, user: User): AuthAnswer | undefined {
  const config = deviceConfiguration(pool)
  const given = signInDevice.getStore()?.given
  if (config === undefined || given === undefined) return undefined
  const device = deviceOf(user, given)
  const skips = device.Remembered && config.ChallengeRequiredOnNewDevice === true
  return skips || !asksSecondFactor(pool, user) ? deviceSrpChallenge(bridge, pool, user, device) : undefined
}

/**
 * A sign-in that proves no password first (USER_AUTH with an emailed or texted code, a passkey or
 * the pool's choice; CUSTOM_AUTH without SRP_A) checks its DEVICE_KEY at the start: a key that is
 * not one of the user's confirmed devices is ResourceNotFoundException before a code is sent or a
 * trigger runs, which a client answers by starting again without it. Assumed: AWS documents
 * DEVICE_KEY for these flows but not when it checks it. A username nobody has is not checked (the
 * sign-in goes on as for a plausible user, and no tokens ever follow).
 */
export async function checkDeviceAtStart ({ ctx }: Pick<Bridge, 'ctx'>, pool: UserPoolService, req: InitiateAuthRequest): Promise<void> {
  const params = req.AuthParameters ?? {}
  if (deviceConfiguration(pool) === undefined || params.DEVICE_KEY === undefined) return
  if ((req.AuthFlow !== 'USER_AUTH' && req.AuthFlow !== 'CUSTOM_AUTH') || params.PASSWORD !== undefined || params.SRP_A !== undefined) return
  const user = await pool.getUserByUsername(ctx, String(params.USERNAME))
  if (user !== null) deviceOf(user, params.DEVICE_KEY)
}

/** The device proved itself: the sign-in's tokens are bound to it; its last sign-in is now. */
export async function deviceVerified (bridge: Steps, pool: UserPoolService, user: User, device: StoredDevice): Promise<void> {
  const context = signInDevice.getStore()
  if (context !== undefined) context.verified = true
  const now = bridge.services.clock.get().getTime()
  await changeDevices(bridge, pool, user, (devices) => devices.map((d) => d.DeviceKey === device.DeviceKey
    ? { ...d, LastAuthenticatedAt: now, ...(context?.ip === undefined ? {} : { LastIp: context.ip }) }
    : d))
}

/**
 * Runs one InitiateAuth or RespondToAuthChallenge of a pool that tracks devices. `given` is the
 * request's DEVICE_KEY, `session` its Session (whose device key carries over). Afterwards: a
 * challenge's session carries the device key on; tokens of a confirmed device that has not proved
 * itself yet become DEVICE_SRP_AUTH (the second factor having been answered), and tokens of a
 * sign-in without a device key come with a new one (NewDeviceMetadata).
 */
export async function trackingDevices (
  bridge: Steps, pool: UserPoolService, request: { given: unknown, session?: unknown, context?: UserContextDataType }, run: () => Promise<AuthAnswer>
): Promise<AuthAnswer> {
  if (deviceConfiguration(pool) === undefined) return await run()
  const given = typeof request.given === 'string' && request.given !== '' ? request.given : bridge.sessions.peek(request.session)?.deviceKey
  const device: SignInDevice = { given, fresh: newDeviceKey(pool), verified: false, ip: request.context?.IpAddress }
  const res = await signInDevice.run(device, () => bridge.tokens.signInDevice.run(given ?? device.fresh, run))
  if (typeof res.Session === 'string' && given !== undefined) bridge.sessions.amend(res.Session, { deviceKey: given })
  const result = res.AuthenticationResult
  if (result?.RefreshToken === undefined || device.verified) return res
  const claims = bridge.tokens.read(result.AccessToken, 'access')
  const user = typeof claims === 'object' ? await pool.getUserByUsername(bridge.ctx, String(claims.username)) : null
  if (user === null) return res
  if (given !== undefined) {
    // The tokens are not handed out: the device must prove itself first.
    await pool.saveUser(bridge.ctx, { ...user, RefreshTokens: (user.RefreshTokens ?? []).filter((t) => t !== result.RefreshToken) })
    return deviceSrpChallenge(bridge, pool, user, deviceOf(user, given))
  }
  const handed = await handOutDevice(bridge, pool, user, device.fresh, device.ip)
  return { ...res, AuthenticationResult: { ...result, NewDeviceMetadata: { DeviceKey: handed.DeviceKey, DeviceGroupKey: handed.DeviceGroupKey } } }
}
