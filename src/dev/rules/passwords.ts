// AWS checks every password it is given (sign-up, reset, change, new password, admin set)
// against the pool's policy; cognito-local checks none.
import type { UserPoolService } from 'cognito-local/lib/services/userPoolService.js'
import { passwordPolicyViolation } from '../../password-policy.ts'
import { PasswordPolicyError } from './errors.ts'

/** Throws InvalidPasswordException when `password` breaks the pool's policy; a missing one is the operation's to report. */
export function enforcePasswordPolicy (pool: UserPoolService, password: unknown): void {
  if (typeof password !== 'string') return
  const violation = passwordPolicyViolation(pool.options.Policies?.PasswordPolicy, password)
  if (violation !== undefined) throw new PasswordPolicyError(violation)
}
