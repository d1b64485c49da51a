// TOTP codes checked at the emulator's TOTP time: cognito-local checks them at the machine's,
// which would leave a test three codes per user and 30-second waits for more.
import type { Clock } from 'cognito-local/lib/services/clock.js'
import { generateSync, verifySync } from 'otplib'

/** cognito-local's (and AWS's) authenticator settings: six digits, 30-second steps, SHA-1. */
const SETTINGS = { algorithm: 'sha1', digits: 6, period: 30 } as const

/** Whether `code` is `secret`'s code at `clock`'s time or the step either side of it (as AWS and cognito-local take them). */
export function totpCodeIsRight (clock: Clock, secret: string, code: string): boolean {
  try {
    return verifySync({ ...SETTINGS, secret, token: code, epoch: Math.floor(clock.get().getTime() / 1000), epochTolerance: 30 }).valid
  } catch {
    return false // not six digits, or a secret otplib cannot read: a wrong code
  }
}

/**
 * The code cognito-local's own check takes now: handed to it once ours passed, so that only
 * our check, at the TOTP time, decides (cognito-local still does the rest of the answer).
 */
export function codeCognitoLocalTakes (secret: string): string {
  return generateSync({ ...SETTINGS, secret })
}
