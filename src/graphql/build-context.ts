import type { FastifyReply, FastifyRequest } from 'fastify'
import { withDeadline } from '../plugins/app/cognito.ts'
import { userDetailsReader, userOfSession, type CurrentUser } from '../plugins/app/current-user.ts'
import type { Authentication } from '../plugins/app/session.ts'
import { requestDeadline } from '../time.ts'
import { currentSession, type GraphQLContext } from './context.ts'

declare module 'mercurius' {
  interface MercuriusContext extends GraphQLContext {}
}

/** The context hook: the caller's session is verified (refreshed if needed) at most once per request. */
export async function buildContext (request: FastifyRequest, reply: FastifyReply): Promise<GraphQLContext> {
  const app = request.server
  let authentication: Promise<Authentication> | undefined
  let groups: Promise<string[]> | undefined
  return {
    request,
    reply,
    cognito: app.cognito,
    sessions: app.sessions,
    authenticate: () => (authentication ??= app.sessions.authenticate(request, reply)),
    revealUserExistence: app.config.revealUserExistence,
    profileAttributes: app.config.profileAttributes,
    // What Cognito knows beyond the tokens, once per request and session (the same reader /session uses).
    userDetails: userDetailsReader(request, reply),
    groupsNow: (session) => (groups ??= withDeadline(requestDeadline(reply, app.config), async () => {
      await app.limits.enforce(request, ['cognito.user'], { address: request.ip, user: session.userId })
      return await app.cognito.groupsOf(session.username)
    })),
    user: null,
    currentUser
  }
}

/** ctx.currentUser: one function for every request, so that a context that never asks costs nothing. */
async function currentUser (this: GraphQLContext): Promise<CurrentUser | null> {
  const session = await currentSession(this)
  return session === null ? null : await userOfSession(session, this.userDetails)
}
