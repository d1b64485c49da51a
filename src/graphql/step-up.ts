// The step-up: the current password asked again before a change to the ways in.
import { AppError } from '../errors.ts'
import type { Session, SignInFactor } from '../plugins/app/session.ts'
import { requireSession, type GraphQLContext } from './context.ts'
import { limitedPasswordCheck } from './apply-field-policy.ts'
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

/** Sign-ins that prove the user as the password would: a code sent to the email or phone does not. */
const STRONG: ReadonlySet<SignInFactor | undefined> = new Set<SignInFactor>(['password', 'passkey', 'federated'])

/**
 * Step-up for changes to the ways into the account (adding or removing a passkey): the password
 * (`currentPassword`, checked as verifyCurrentPassword checks it), or a session whose sign-in is
 * no older than REAUTHENTICATION_WINDOW (the access token's `auth_time`, which a refresh keeps)
 * and was made with the password (and its second factor), a passkey or an identity provider.
 * A fresh session of an emailed or texted code, or one whose sign-in is not known (a Bearer
 * token), needs the password: whoever reads a mailbox must not add a way in of their own.
 * Returns the caller's session.
 */
export async function requireStepUp (ctx: GraphQLContext, currentPassword: string | null | undefined): Promise<Session> {
  if (currentPassword != null) return await verifyCurrentPassword(ctx, currentPassword)
  const session = await requireSession(ctx)
  const window = ctx.request.server.config.reauthenticationWindowSeconds
  if (Date.now() - session.authTime.getTime() > window * 1000 || !STRONG.has(session.signedInWith())) {
    throw new AppError('REAUTHENTICATION_REQUIRED', `This change needs your current password, or a sign-in with your password or a passkey within the last ${Math.ceil(window / 60)} minutes: give currentPassword, or sign in again, then retry.`)
  }
  return session
}
