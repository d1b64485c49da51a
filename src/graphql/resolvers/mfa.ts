// Resolvers: the signed-in user's second factors.
import { AppError } from '../../errors.ts'
import type { MutationResolvers } from '../generated.ts'
import { emailOf, requireSession, userOf } from '../context.ts'
import * as input from '../input.ts'
import { verifyCurrentPassword } from '../step-up.ts'
import { totpSetup, useTotpCodeOnce } from '../totp.ts'

/** The signed-in user's second factors: the authenticator app, email codes, and which one is preferred. */
export const mfaMutations: MutationResolvers = {
  async setupTotp (_root, args, ctx) {
    const session = await verifyCurrentPassword(ctx, args.input.currentPassword)
    const secret = await ctx.cognito.associateSoftwareToken(session.accessToken)
    return totpSetup(ctx, await emailOf(ctx, session), secret)
  },

  async verifyTotp (_root, args, ctx) {
    const session = await requireSession(ctx)
    const code = input.totpCode(args.input.code)
    await useTotpCodeOnce(ctx, session.username, code, async () => await ctx.cognito.verifySoftwareToken(session.accessToken, code))
    await ctx.cognito.setTotp(session.accessToken, true)
    return userOf(ctx, session)
  },

  async disableTotp (_root, args, ctx) {
    const session = await verifyCurrentPassword(ctx, args.input.currentPassword)
    await ctx.cognito.setTotp(session.accessToken, false)
    return userOf(ctx, session)
  },

  /** Codes go to the verified email: an address still unverified would send them nowhere the user has proved. */
  async enableEmailMfa (_root, args, ctx) {
    const session = await verifyCurrentPassword(ctx, args.input.currentPassword)
    const verified = session.profile?.emailVerified ?? (await ctx.userDetails(session)).emailVerified
    if (!verified) throw new AppError('BAD_USER_INPUT', 'Verify the email address first: codes are sent to it.')
    await ctx.cognito.setEmailMfa(session.accessToken, true)
    return userOf(ctx, session)
  },

  async disableEmailMfa (_root, args, ctx) {
    const session = await verifyCurrentPassword(ctx, args.input.currentPassword)
    await ctx.cognito.setEmailMfa(session.accessToken, false)
    return userOf(ctx, session)
  },

  async setPreferredMfa (_root, args, ctx) {
    const session = await requireSession(ctx)
    const method = args.input.method
    // Asked of Cognito directly: the request's memoised details would answer the preference as it was before the change.
    if (!(await ctx.cognito.getUser(session.accessToken)).mfa.includes(method)) throw new AppError('BAD_USER_INPUT', `${method} is not one of your second factors: enable it first.`)
    await ctx.cognito.setPreferredMfa(session.accessToken, method)
    return userOf(ctx, session)
  }
}
