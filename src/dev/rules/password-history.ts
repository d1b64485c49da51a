// The pool's password history (Policies.PasswordPolicy.PasswordHistorySize, 0 to 24): a new password
// may not be the current one or one of the others of the last n, as AWS checks it in ChangePassword,
// ConfirmForgotPassword, AdminSetUserPassword and NEW_PASSWORD_REQUIRED. The user record keeps
// digests of the earlier passwords, never the passwords.
import { createHash } from 'node:crypto'
import type { Context } from 'cognito-local/lib/services/context.js'
import type { User, UserPoolService } from 'cognito-local/lib/services/userPoolService.js'
import { passwordHistoryViolation } from './errors.ts'

/** The user record with the digests of its earlier passwords, newest last. */
type HistoryUser = User & { PasswordHistory?: string[] }

const digest = (user: User, password: string): string => createHash('sha256').update(`${user.Username}\n${password}`).digest('base64url')

/** How many passwords the pool remembers (0: no history). */
export function historySize (pool: UserPoolService): number {
  const size = (pool.options.Policies?.PasswordPolicy as { PasswordHistorySize?: number } | undefined)?.PasswordHistorySize
  return typeof size === 'number' && size > 0 ? size : 0
}

/** PasswordHistoryPolicyViolationException when `password` is the user's current one or among their last PasswordHistorySize. */
export function checkPasswordHistory (pool: UserPoolService, user: User, password: unknown): void {
  const size = historySize(pool)
  if (size === 0 || typeof password !== 'string') return
  // The current password counts as one of the n.
  const earlier = size > 1 ? ((user as HistoryUser).PasswordHistory ?? []).slice(-(size - 1)) : []
  if (user.Password === password || earlier.includes(digest(user, password))) throw passwordHistoryViolation()
}

/** After a password change: the replaced password joins the user's history (the latest 24 kept). */
export async function rememberReplacedPassword (ctx: Context, pool: UserPoolService, before: User): Promise<void> {
  if (historySize(pool) === 0 || typeof before.Password !== 'string' || before.Password === '') return
  const after = await pool.getUserByUsername(ctx, before.Username)
  if (after === null || after.Password === before.Password) return
  const history = [...((after as HistoryUser).PasswordHistory ?? []), digest(before, before.Password)].slice(-24)
  await pool.saveUser(ctx, { ...after, PasswordHistory: history } as HistoryUser)
}
