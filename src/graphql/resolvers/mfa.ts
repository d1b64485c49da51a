import type { MutationResolvers } from '../generated.ts'
import { emailOf, requireSession, userOf } from '../context.ts'
import * as input from '../input.ts'
import { verifyCurrentPassword } from '../step-up.ts'
import { totpSetup, useTotpCodeOnce } from '../totp.ts'

/** The signed-in user's authenticator app. */
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
  }
}
