// The DEVICE_KEY a sign-in's start sends for a remembered browser, whatever the flow, and AWS's clients' answer to a key Cognito forgot.
import { exceptionName } from './errors.ts'

/** Sees a call's failure as Cognito gave it, before it becomes an AppError. */
export type Watch = (err: unknown) => void

/**
 * Runs a sign-in's start with `deviceKey` as DEVICE_KEY, when the browser has one, so that Cognito
 * recognises the device (its proof follows, its last sign-in moves on) instead of handing out a
 * new one. A key Cognito no longer knows (ResourceNotFoundException: a forgotten device) is dropped
 * and the start made again without it, as AWS's own clients do.
 */
export async function withDeviceKey<T> (deviceKey: string | undefined, start: (extra: Record<string, string>, watch?: Watch) => Promise<T>): Promise<T> {
  if (deviceKey === undefined) return await start({})
  let unknown = false
  try {
    return await start({ DEVICE_KEY: deviceKey }, (err) => { unknown = exceptionName(err) === 'ResourceNotFoundException' })
  } catch (err) {
    if (!unknown) throw err
    return await start({})
  }
}
