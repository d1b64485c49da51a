import type { FastifyReply, FastifyRequest } from 'fastify'
import type { CognitoAdapter, UserDetails } from '../plugins/app/cognito.ts'
import type { Session, SessionManager } from '../plugins/app/session.ts'
import { AppError } from '../errors.ts'

/** What a `User` is made from: the verified tokens, and Cognito's answer only when a field needs it. */
export interface UserModel {
  id: string
  groups: string[]
  /** From the id token; null when only a Bearer access token is known. */
  profile: { email: string, emailVerified: boolean, name: string | null } | null
  /** Reads what the tokens do not carry (MFA settings, or everything for a Bearer token), once per request. */
  details: () => Promise<UserDetails>
}

/** The context every resolver receives. */
export interface GraphQLContext {
  request: FastifyRequest
  reply: FastifyReply
  cognito: CognitoAdapter
  sessions: SessionManager
  /** The verified session of the caller, or null. */
  session: Session | null
  /** Why there is no session when that is not the caller's fault (Cognito down during a refresh). */
  sessionError: AppError | undefined
  revealUserExistence: boolean
}

/** The caller's session, or the error that explains why there is none. */
export function requireSession (ctx: GraphQLContext): Session {
  if (ctx.session !== null) return ctx.session
  throw ctx.sessionError ?? new AppError('UNAUTHENTICATED')
}

/** The `User` of a session, answered from its tokens. */
export function userOf (ctx: GraphQLContext, session: Session): UserModel {
  let details: Promise<UserDetails> | undefined
  const id = session.id
  return {
    id: session.access.sub,
    groups: session.access['cognito:groups'] ?? [],
    profile: id === undefined
      ? null
      : {
          email: String(id.email ?? ''),
          emailVerified: id.email_verified === true,
          name: typeof id.name === 'string' ? id.name : null
        },
    details: () => (details ??= ctx.cognito.getUser(session.accessToken))
  }
}
