// Resolvers: `me` and the User type's fields, from the tokens first and Cognito when a field needs it.
import type { QueryResolvers, UserResolvers } from '../generated.ts'
import { currentSession, userOf, type GraphQLContext, type UserModel } from '../context.ts'

export const userQueries: QueryResolvers = {
  async me (_root, _args, ctx) {
    const session = await currentSession(ctx)
    return session === null ? null : userOf(ctx, session)
  }
}

/**
 * Fields come from the tokens; MFA settings and passkeys (and everything, for a Bearer token) from
 * Cognito. A field the id token answers is answered synchronously: no promise and no microtask per
 * field on the read path; only a Bearer token's profile waits for Cognito.
 */
export const userFields: UserResolvers = {
  id: (user) => user.id,
  groups: (user) => user.groups,
  email: (user) => user.profile !== null ? user.profile.email : user.details().then((details) => details.email),
  emailVerified: (user) => user.profile !== null ? user.profile.emailVerified : user.details().then((details) => details.emailVerified),
  name: (user) => user.profile !== null ? user.profile.name : user.details().then((details) => details.name),
  phone: (user) => user.profile !== null ? user.profile.phone : user.details().then((details) => details.phone),
  phoneVerified: (user) => user.profile !== null ? user.profile.phoneVerified : user.details().then((details) => details.phoneVerified),
  mfa: async (user) => (await user.details()).mfa,
  preferredMfa: async (user) => (await user.details()).preferredMfa,
  passkeys: async (user) => await user.passkeys(),
  // From Cognito (GetUser, shared with mfa): the id token may leave out or reshape what a pre-token-generation trigger touches.
  attributes: async (user, _args, ctx) => {
    const { attributes } = await user.details()
    const { writable, readonly } = ctx.profileAttributes
    return [...writable, ...readonly].map((name) => ({ name, value: attributes[name] ?? null }))
  }
}

/** A `User` as another subgraph names it (federation's representation: its key). */
export interface UserReference {
  __typename?: string
  id?: unknown
}

/**
 * `_entities`' resolver of a `User` (FEDERATION=true): the caller's own user, from their session;
 * null for any other id and without a session. An administrator gets null for other users too:
 * the adapter looks accounts up by email only (adminFindUser), and has no admin read of another
 * user's profile by id, so there is no `User` (its `email` is non-null) to answer with.
 */
export const userReference = {
  async __resolveReference (reference: UserReference, _args: unknown, ctx: GraphQLContext): Promise<UserModel | null> {
    const session = await currentSession(ctx)
    if (session === null || typeof reference.id !== 'string' || reference.id !== session.userId) return null
    return userOf(ctx, session)
  }
}
