/**
 * Known devices: a browser where an account signed in before gets a sealed cookie, and its
 * failed sign-ins are counted in a bucket of its own (`signIn.device`), so a stranger who fails
 * on purpose cannot lock the owner out. What keeps that from becoming a way around the limits:
 * a device is bound to the user's "not before" mark when it is made, so every global sign-out,
 * password change or reset ends every device; at most `device.email` devices are made per
 * account and lifetime; and `signIn.account` caps the failures of the account over all devices.
 */

/** How long a browser stays a known device of an account after a sign-in. */
export const DEVICE_TTL_SECONDS = 180 * 86400

/** What the sealed device cookie carries. */
export interface DeviceState {
  /** The account (normalised email) and its user, whose mark the device is bound to. */
  email: string
  sub: string
  id: string
  /** The user's "not before" mark when the device was made: a later mark ends it. */
  mark: number
  exp: number
}

/** Whether a device cookie's state still stands for `email`, given the user's current mark. */
export function deviceStands (state: DeviceState | undefined, email: string, currentMark: number, now: number): state is DeviceState {
  return state !== undefined && state.email === email && typeof state.sub === 'string' && state.mark === currentMark && state.exp > now
}
