import type { MutationResolvers } from '../generated.ts'
import { endOwnSession, requireSession } from '../context.ts'
import * as input from '../input.ts'

/** Operations of the admin group (see `@auth(requires: ADMIN)` in schema/admin.graphql). */
export const adminMutations: MutationResolvers = {
  async adminDeleteUser (_root, args, ctx) {
    const caller = await requireSession(ctx)
    const user = await ctx.cognito.adminFindUser(input.email(args.input.email))
    if (user === undefined) return false
    // Signed out everywhere first: Cognito's global sign-out needs the user to exist.
    await ctx.sessions.endAll({ userId: user.sub, username: user.username })
    await ctx.cognito.adminDeleteUser(user.username)
    if (user.sub === caller.userId) await endOwnSession(ctx, caller, { revokeAtCognito: false })
    return true
  }
}
