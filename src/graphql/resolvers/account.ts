// Resolvers: sign-up, its confirmation and the password reset.
import { noteSubject } from '../../plugins/app/audit-subject.ts'
import type { MutationResolvers } from '../generated.ts'
import * as input from '../input.ts'

/** Sign-up, confirmation and password reset: the flows of someone who is not signed in. */
export const accountMutations: MutationResolvers = {
  async signUp (_root, { input: { email, password, name, captchaToken } }, ctx) {
    const address = input.email(email)
    await ctx.request.server.captcha.check(ctx, { operation: 'signUp', email: address, token: captchaToken, always: true })
    const chosen = input.password(password)
    await ctx.request.server.breachedPasswords.check(ctx, chosen)
    const { userId, ...answer } = await ctx.cognito.signUp({ email: address, password: chosen, name: input.name(name) })
    if (userId !== undefined) noteSubject({ userId, email: address })
    return answer
  },

  async confirmSignUp (_root, args, ctx) {
    const email = input.email(args.input.email)
    const code = input.code(args.input.code)
    // Looked up first (as confirmForgotPassword does), so that the act's audit event names the account.
    const user = await ctx.cognito.adminFindUser(email)
    await ctx.cognito.confirmSignUp(email, code)
    if (user !== undefined) noteSubject({ userId: user.sub, email })
    return true
  },

  async resendConfirmationCode (_root, { input: { email, captchaToken } }, ctx) {
    const address = input.email(email)
    await ctx.request.server.captcha.check(ctx, { operation: 'resendConfirmationCode', email: address, token: captchaToken })
    return await ctx.cognito.resendConfirmationCode(address)
  },

  async forgotPassword (_root, { input: { email, captchaToken } }, ctx) {
    const address = input.email(email)
    await ctx.request.server.captcha.check(ctx, { operation: 'forgotPassword', email: address, token: captchaToken })
    return await ctx.cognito.forgotPassword(address)
  },

  async confirmForgotPassword (_root, args, ctx) {
    const email = input.email(args.input.email)
    const code = input.code(args.input.code)
    const newPassword = input.password(args.input.newPassword, 'new password')
    await ctx.request.server.breachedPasswords.check(ctx, newPassword)
    // Looked up first, so that missing admin credentials fail before the code is spent.
    const user = await ctx.cognito.adminFindUser(email)
    await ctx.cognito.confirmForgotPassword(email, code, newPassword)
    if (user !== undefined) noteSubject({ userId: user.sub, email })
    // A reset is how an account is taken back: every session of the user ends (here at once;
    // at Cognito best effort, retried in the background: the reset itself has succeeded).
    if (user !== undefined) await ctx.sessions.endAll({ userId: user.sub, username: user.username, afterTheFact: true })
    return true
  }
}
