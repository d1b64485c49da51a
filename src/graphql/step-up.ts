import { AppError } from '../errors.ts'
import type { Session } from '../plugins/app/session.ts'
import { requireSession, type GraphQLContext } from './context.ts'
import { limitedPasswordCheck } from './guard.ts'
import * as input from './input.ts'

/**
 * Step-up for dangerous changes (setupTotp, disableTotp, deleteAccount, an email change): the
 * caller must give their current password again, checked against Cognito, so that a script
 * riding the session cookies cannot take the account over. A wrong password is
 * INVALID_CREDENTIALS and counts as a failed sign-in. Every step-up goes through here.
 * Returns the caller's session.
 */
export async function verifyCurrentPassword (ctx: GraphQLContext, currentPassword: string | null | undefined): Promise<Session> {
  const session = await requireSession(ctx)
  const password = input.password(input.required(currentPassword, 'current password'), 'current password')
  // Cognito's username, not the email: it stays the same while an email change is pending.
  await limitedPasswordCheck(ctx, async () => await ctx.cognito.checkPassword(session.username, password))
  return session
}

/**
 * Step-up by a fresh sign-in, for changes that add a way into the account (a passkey): the
 * session's sign-in (the access token's `auth_time`, which a refresh keeps) must be no older than
 * REAUTHENTICATION_WINDOW, else REAUTHENTICATION_REQUIRED. Returns the caller's session.
 */
export async function requireRecentSignIn (ctx: GraphQLContext): Promise<Session> {
  const session = await requireSession(ctx)
  const windowMs = ctx.request.server.config.reauthenticationWindowSeconds * 1000
  if (Date.now() - session.authTime.getTime() > windowMs) throw new AppError('REAUTHENTICATION_REQUIRED')
  return session
}
