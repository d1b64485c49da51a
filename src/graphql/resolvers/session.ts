// Resolvers: starting, refreshing and ending sessions; the caller's sessions and security activity.
import { AppError } from '../../errors.ts'
import { MAX_EVENTS_PER_ACCOUNT } from '../../plugins/app/security-events.ts'
import type { MutationResolvers, QueryResolvers } from '../generated.ts'
import { adoptSession, emailOf, endOwnSession, phoneOf, requireSession } from '../context.ts'
import * as input from '../input.ts'
import { namedBy } from './account.ts'
import { sessionResult, signInResult } from './results.ts'

/** Security activity answered at most, whatever `first` asks (the store keeps as many per account). */
const MAX_SECURITY_EVENTS = MAX_EVENTS_PER_ACCOUNT

/** The caller's sessions, as the session registry knows them, and their own security activity. */
export const sessionQueries: QueryResolvers = {
  async sessions (_root, _args, ctx) {
    return await ctx.sessions.list(await requireSession(ctx))
  },

  async securityEvents (_root, args, ctx) {
    const session = await requireSession(ctx)
    const first = input.first(args.first, MAX_SECURITY_EVENTS)
    return await ctx.request.server.securityEvents.list({ userId: session.userId, email: await emailOf(ctx, session) }, first)
  }
}

/** Starting, renewing and ending sessions. */
export const sessionMutations: MutationResolvers = {
  /**
   * With a password (method PASSWORD, or none given): as COGNITO_PASSWORD_FLOW says. CUSTOM: the pool's
   * custom challenges. Otherwise Cognito's choice-based sign-in for the method, or the pool's choice
   * (SELECT_CHALLENGE) when none is given.
   */
  async signIn (_root, args, ctx) {
    const email = namedBy(ctx, args.input)
    const { method, password } = args.input
    await ctx.request.server.captcha.check(ctx, { operation: 'signIn', email, token: args.input.captchaToken })
    // This browser's remembered device, if it is one of this account's: every sign-in names it to
    // Cognito, so the browser stays one device; after a password it may skip the second factor.
    const device = await ctx.sessions.trackedDevice(ctx.request, email)
    if (method === 'PASSWORD' || (method == null && password != null)) {
      const outcome = await ctx.cognito.signIn(email, input.password(input.required(password, 'password')), device)
      return await signInResult(ctx, outcome, email, undefined, { via: 'password' })
    }
    if (password != null) throw new AppError('BAD_USER_INPUT', `A password signs in with method PASSWORD, not ${method}.`)
    if (method === 'CUSTOM') return await signInResult(ctx, await ctx.cognito.signInCustom(email, device?.key), email)
    return await signInResult(ctx, await ctx.cognito.signInWithout(email, method ?? undefined, device?.key), email)
  },

  async refreshSession (_root, _args, ctx) {
    const session = await ctx.sessions.refresh(ctx.request, ctx.reply)
    adoptSession(ctx, session)
    return sessionResult(ctx, session)
  },

  async signOut (_root, args, ctx) {
    const everywhere = args.input?.everywhere === true
    // Ending one session needs no refresh first: the refresh cookie is what gets revoked.
    const session = everywhere ? await requireSession(ctx) : await ctx.caller.peek()
    if (everywhere && session !== null) await ctx.sessions.endAll({ userId: session.userId, accessToken: session.accessToken })
    await endOwnSession(ctx, session, { revokeAtCognito: !everywhere })
    return true
  },

  async changePassword (_root, args, ctx) {
    const session = await requireSession(ctx)
    const currentPassword = input.password(args.input.currentPassword, 'current password')
    const newPassword = input.password(args.input.newPassword, 'new password')
    await ctx.request.server.breachedPasswords.check(ctx, newPassword)
    // The account's name (its email, else its phone number) for the challenge and the limits; Cognito's username for the sign-in, which every pool takes.
    const name = input.accountNameOf(await emailOf(ctx, session), await phoneOf(ctx, session)) ?? session.username
    await ctx.cognito.changePassword(session.accessToken, currentPassword, newPassword)
    // The change has succeeded: Cognito's sign-out that follows is best effort, retried in the background.
    await ctx.sessions.endAll({ userId: session.userId, accessToken: session.accessToken, afterTheFact: true })
    await endOwnSession(ctx, session, { revokeAtCognito: false })
    return await signInResult(ctx, await ctx.cognito.signIn(session.username, newPassword), name, undefined, { via: 'password' })
  },

  async revokeSession (_root, args, ctx) {
    const session = await requireSession(ctx)
    const id = input.sessionId(args.input.id)
    // This browser's own session: signed out as signOut does it, cookies cleared.
    if (id === session.sessionId) {
      await endOwnSession(ctx, session)
      return true
    }
    return await ctx.sessions.revoke(session, id)
  },

  async revokeOtherSessions (_root, _args, ctx) {
    return await ctx.sessions.revokeOthers(await requireSession(ctx))
  }
}
