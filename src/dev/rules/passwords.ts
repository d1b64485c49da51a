// AWS checks every password it is given (sign-up, reset, change, new password, admin set)
// against the pool's policy; cognito-local checks none.
import type { User, UserPoolService } from 'cognito-local/lib/services/userPoolService.js'
import { passwordPolicyViolation } from '../../password-policy.ts'
import { PasswordPolicyError } from './errors.ts'

/** Throws InvalidPasswordException when `password` breaks the pool's policy; a missing one is the operation's to report. */
export function enforcePasswordPolicy (pool: UserPoolService, password: unknown): void {
  if (typeof password !== 'string') return
  const violation = passwordPolicyViolation(pool.options.Policies?.PasswordPolicy, password)
  if (violation !== undefined) throw new PasswordPolicyError(violation)
}

/**
 * Whether the temporary password an administrator gave `user` is older than the policy's
 * TemporaryPasswordValidityDays (default 7): AWS then refuses it until an administrator sets another.
 */
export function temporaryPasswordExpired (pool: UserPoolService, user: User & { TemporaryPasswordSetAt?: number }, now: Date): boolean {
  if (user.UserStatus !== 'FORCE_CHANGE_PASSWORD' || typeof user.TemporaryPasswordSetAt !== 'number') return false
  const days = pool.options.Policies?.PasswordPolicy?.TemporaryPasswordValidityDays
  const validity = typeof days === 'number' && days > 0 ? days : 7
  return now.getTime() - user.TemporaryPasswordSetAt > validity * 86_400_000
}
