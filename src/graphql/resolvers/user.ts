import type { QueryResolvers, UserResolvers } from '../generated.ts'
import { currentSession, userOf } from '../context.ts'

export const userQueries: QueryResolvers = {
  async me (_root, _args, ctx) {
    const session = await currentSession(ctx)
    return session === null ? null : userOf(ctx, session)
  }
}

/** Fields come from the tokens; MFA settings (and everything, for a Bearer token) from Cognito. */
export const userFields: UserResolvers = {
  id: (user) => user.id,
  groups: (user) => user.groups,
  email: async (user) => user.profile?.email ?? (await user.details()).email,
  emailVerified: async (user) => user.profile?.emailVerified ?? (await user.details()).emailVerified,
  name: async (user) => user.profile !== null ? user.profile.name : (await user.details()).name,
  mfa: async (user) => (await user.details()).mfa,
  preferredMfa: async (user) => (await user.details()).preferredMfa
}
