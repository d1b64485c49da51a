// What every resolver receives: the request, the caller, the adapters.
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { GraphQLFieldResolver } from 'graphql'
import type { CognitoAdapter, Passkey, UserDetails } from '../plugins/app/cognito.ts'
import type { CurrentUser } from '../plugins/app/current-user.ts'
import type { RequestCaller, Session, SessionManager, UserProfile } from '../plugins/app/session.ts'
import { AppError } from '../errors.ts'
import type { ProfileAttributes } from '../profile-attributes.ts'

/** What a `User` is made from: the verified tokens, and Cognito's answer only when a field needs it. */
export interface UserModel {
  id: string
  groups: string[]
  /** From the id token; null when only a Bearer access token is known. */
  profile: UserProfile | null
  /** Reads what the tokens do not carry (MFA settings, or everything for a Bearer token), once per request. */
  details: () => Promise<UserDetails>
  /** Lists the user's passkeys (Cognito's ListWebAuthnCredentials), when a query selects them. */
  passkeys: () => Promise<Passkey[]>
}

/** The context every resolver receives. */
export interface GraphQLContext {
  request: FastifyRequest
  reply: FastifyReply
  cognito: CognitoAdapter
  sessions: SessionManager
  /**
   * The request's caller (sessions.caller), the one the rate limits, requireUser and /session read:
   * verified (and refreshed if the access token has expired) on first use and then remembered for
   * the request, so operations that need no session cost nothing.
   */
  caller: RequestCaller
  revealUserExistence: boolean
  /** The attributes users may read and write (PROFILE_ATTRIBUTES), and only read (PROFILE_ATTRIBUTES_READONLY). */
  profileAttributes: ProfileAttributes
  /**
   * What Cognito knows of a session's user beyond the tokens (GetUser): asked once per request
   * and session, under the request's budget and the user's `cognito.user` limit.
   */
  userDetails: (session: Session) => Promise<UserDetails>
  /** The session's user's groups as Cognito has them now (admin credentials), asked once per request. */
  groupsNow: (session: Session) => Promise<string[]>
  /**
   * The caller as an app's resolvers see them (authServer's `resolvers`), or null without a
   * session: set before each of the app's fields runs, never for ours (`me` pays nothing for it).
   */
  user: CurrentUser | null
  /** Reads the caller for `user`: from the tokens for a cookie session, once per request from Cognito for a Bearer token. */
  currentUser: () => Promise<CurrentUser | null>
}

/** Any field resolver of the schema, as the field-policy wrapper (apply-field-policy.ts) sees it. */
export type AnyResolver = GraphQLFieldResolver<unknown, GraphQLContext, Record<string, unknown>>

/** The caller's session or null; throws only when the session could not be renewed (Cognito down). */
export async function currentSession (ctx: GraphQLContext): Promise<Session | null> {
  const { session, error } = await ctx.caller.get()
  if (session === null && error !== undefined) throw error
  return session
}

/** The caller's session, or the error that explains why there is none. */
export async function requireSession (ctx: GraphQLContext): Promise<Session> {
  const session = await currentSession(ctx)
  if (session === null) throw new AppError('UNAUTHENTICATED')
  return session
}

/**
 * Makes `session` the caller's session for the rest of the request, after an operation renewed
 * or ended it: fields that run later (mutations run in order) see the user as they are now.
 */
export function adoptSession (ctx: GraphQLContext, session: Session | null): void {
  ctx.caller.set(session)
}

/**
 * Ends the caller's own session (its tokens denied, its refresh token revoked, unless a global
 * sign-out already did that at Cognito; its cookies cleared); the rest of the request sees none.
 */
export async function endOwnSession (ctx: GraphQLContext, session: Session | null, { revokeAtCognito = true } = {}): Promise<void> {
  await ctx.sessions.end(ctx.request, ctx.reply, session, { revokeAtCognito })
  adoptSession(ctx, null)
}

/** The phone number of the session's user (null without one): from the id token, or from Cognito for a Bearer token. */
export async function phoneOf (ctx: GraphQLContext, session: Session): Promise<string | null> {
  return session.profile !== null ? session.profile.phone : (await ctx.userDetails(session)).phone
}

/** The email of the session's user: from the id token, or from Cognito for a Bearer token. */
export async function emailOf (ctx: GraphQLContext, session: Session): Promise<string> {
  return session.email ?? (await ctx.userDetails(session)).email
}

/** The `User` of a session, answered from its tokens. */
export function userOf (ctx: GraphQLContext, session: Session): UserModel {
  return {
    id: session.userId,
    groups: session.groups,
    profile: session.profile,
    details: async () => await ctx.userDetails(session),
    passkeys: async () => await ctx.cognito.listPasskeys(session.accessToken)
  }
}
