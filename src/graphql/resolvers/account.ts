import type { MutationResolvers } from '../generated.ts'
import * as input from '../input.ts'

/** Sign-up, confirmation and password reset: the flows of someone who is not signed in. */
export const accountMutations: MutationResolvers = {
  async signUp (_root, { input: { email, password, name } }, ctx) {
    return await ctx.cognito.signUp({ email: input.email(email), password: input.password(password), name: input.name(name) })
  },

  async confirmSignUp (_root, { input: { email, code } }, ctx) {
    await ctx.cognito.confirmSignUp(input.email(email), input.code(code))
    return true
  },

  async resendConfirmationCode (_root, { input: { email } }, ctx) {
    return await ctx.cognito.resendConfirmationCode(input.email(email))
  },

  async forgotPassword (_root, { input: { email } }, ctx) {
    return await ctx.cognito.forgotPassword(input.email(email))
  },

  async confirmForgotPassword (_root, args, ctx) {
    const email = input.email(args.input.email)
    const code = input.code(args.input.code)
    const newPassword = input.password(args.input.newPassword, 'new password')
    // Looked up first, so that missing admin credentials fail before the code is spent.
    const user = await ctx.cognito.adminFindUser(email)
    await ctx.cognito.confirmForgotPassword(email, code, newPassword)
    // A reset is how an account is taken back: every session of the user ends (here at once;
    // at Cognito best effort, retried in the background: the reset itself has succeeded).
    if (user !== undefined) await ctx.sessions.endAll({ userId: user.sub, username: user.username, afterTheFact: true })
    return true
  }
}
