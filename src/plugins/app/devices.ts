// Known devices: the sealed device cookie, bound to the account's "not before" mark.
import { randomBytes } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { RememberedDevice } from './cognito.ts'
import type { SealedCookie } from './sealed-cookie.ts'

/**
 * Known devices: a browser where an account signed in before gets a sealed cookie, and its
 * failed sign-ins are counted in a bucket of its own (`signIn.device`), so a stranger who fails
 * on purpose cannot lock the owner out. What keeps that from becoming a way around the limits:
 * a device is bound to the user's "not before" mark when it is made, so every global sign-out,
 * password change or reset ends every device; at most `device.email` devices are made per
 * account and lifetime; and `signIn.account` caps the failures of the account over all devices.
 * In a pool that tracks devices, the same cookie (one browser, one device) also carries the
 * device Cognito confirmed for it: its key, group key and secret, which prove it at the next
 * sign-in (cognito/password-flow.ts) and nowhere else.
 */

/** What the sealed device cookie carries. */
export interface DeviceState {
  /** The account (normalised email) and its user, whose mark the device is bound to. */
  email: string
  sub: string
  id: string
  /** The user's "not before" mark when the device was made: a later mark ends it. */
  mark: number
  exp: number
  /** The device Cognito tracks for this browser (a pool with device tracking). */
  cognito?: RememberedDevice
}

/** What a device cookie is read against: the account signing in, and its user's current mark. */
export interface DeviceBinding {
  email: string
  mark: number
}

/** Whether a device cookie's state still stands for the account: made for its email, under the user's current mark. */
export function deviceStands (state: DeviceState, { email, mark }: DeviceBinding): boolean {
  return state.email === email && typeof state.sub === 'string' && state.mark === mark
}

/** The sealed device cookie, read against an account and its user's mark. */
export type DeviceCookie = SealedCookie<DeviceState, DeviceBinding>

/** Where a user's "not before" mark is read (revocation.ts). */
interface Marks {
  markOf: (sub: string) => Promise<number>
}

/**
 * Marks this browser as a known device of `email` (user `userId`) after a successful sign-in (a
 * sealed, long-lived cookie that is no session): failed sign-ins from it are counted apart.
 * `mayMint` decides whether a new device may be made (the per-account cap); a device the
 * browser already is only has its lifetime renewed.
 */
export async function trustDevice (cookie: DeviceCookie, marks: Marks, request: FastifyRequest, reply: FastifyReply, account: { email: string, userId: string }, mayMint: () => Promise<boolean>, tracked?: RememberedDevice | null): Promise<void> {
  const mark = await marks.markOf(account.userId)
  const known = cookie.read(request, { email: account.email, mark })
  if (known === undefined && !(await mayMint())) return
  // `tracked`: Cognito's device confirmed by this sign-in (null: none any more); else the one the browser had.
  const keys = tracked === undefined ? known?.cognito : tracked ?? undefined
  cookie.write(reply, { email: account.email, sub: account.userId, id: known?.id ?? randomBytes(16).toString('base64url'), mark, ...(keys === undefined ? {} : { cognito: keys }) })
}

/** This browser's device state for `email`, if it is a known device of it and no global sign-out has ended it since. */
export async function knownDevice (cookie: DeviceCookie, marks: Marks, request: FastifyRequest, email: string): Promise<DeviceState | undefined> {
  const claimed = cookie.open(request)
  if (claimed === undefined || claimed.email !== email || typeof claimed.sub !== 'string') return undefined
  return cookie.read(request, { email, mark: await marks.markOf(claimed.sub) })
}
