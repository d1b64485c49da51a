// Resolvers: sign-up, its confirmation and the password reset.
import { noteSubject } from '../../plugins/app/audit-subject.ts'
import type { MutationResolvers } from '../generated.ts'
import type { GraphQLContext } from '../context.ts'
import * as input from '../input.ts'

/** The account an input names by `email` or `phone`, as the pool signs in (exactly one; BAD_USER_INPUT otherwise). */
export const namedBy = (ctx: GraphQLContext, named: { email?: string | null, phone?: string | null }): string =>
  input.accountName(named, ctx.cognito.signInNames())

/** Sign-up, confirmation and password reset: the flows of someone who is not signed in. */
export const accountMutations: MutationResolvers = {
  async signUp (_root, args, ctx) {
    const account = namedBy(ctx, args.input)
    await ctx.request.server.captcha.check(ctx, { operation: 'signUp', email: account, token: args.input.captchaToken, always: true })
    const chosen = input.password(args.input.password)
    await ctx.request.server.breachedPasswords.check(ctx, chosen)
    const { userId, ...answer } = await ctx.cognito.signUp({ account, password: chosen, name: input.name(args.input.name) })
    if (userId !== undefined) noteSubject({ userId, email: account })
    return answer
  },

  async confirmSignUp (_root, args, ctx) {
    const account = namedBy(ctx, args.input)
    const code = input.code(args.input.code)
    // Looked up first (as confirmForgotPassword does), so that the act's audit event names the account.
    const user = await ctx.cognito.findAccount(account)
    await ctx.cognito.confirmSignUp(account, code)
    if (user?.sub !== undefined) noteSubject({ userId: user.sub, email: account })
    return true
  },

  async resendConfirmationCode (_root, args, ctx) {
    const account = namedBy(ctx, args.input)
    await ctx.request.server.captcha.check(ctx, { operation: 'resendConfirmationCode', email: account, token: args.input.captchaToken })
    return await ctx.cognito.resendConfirmationCode(account)
  },

  async forgotPassword (_root, args, ctx) {
    const account = namedBy(ctx, args.input)
    await ctx.request.server.captcha.check(ctx, { operation: 'forgotPassword', email: account, token: args.input.captchaToken })
    return await ctx.cognito.forgotPassword(account)
  },

  async confirmForgotPassword (_root, args, ctx) {
    const account = namedBy(ctx, args.input)
    const code = input.code(args.input.code)
    const newPassword = input.password(args.input.newPassword, 'new password')
    await ctx.request.server.breachedPasswords.check(ctx, newPassword)
    // Looked up first, so that missing admin credentials fail before the code is spent.
    const user = await ctx.cognito.findAccount(account)
    await ctx.cognito.confirmForgotPassword(account, code, newPassword)
    if (user?.sub !== undefined) noteSubject({ userId: user.sub, email: account })
    // A reset is how an account is taken back: every session of the user ends (here at once;
    // at Cognito best effort, retried in the background: the reset itself has succeeded).
    if (user?.sub !== undefined) await ctx.sessions.endAll({ userId: user.sub, username: user.username, afterTheFact: true })
    return true
  }
}
