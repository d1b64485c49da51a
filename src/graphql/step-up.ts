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
