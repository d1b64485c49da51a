// GraphQL's context for each request: the request's one caller, the adapter, and what a resolver needs of the request.
import type { FastifyReply, FastifyRequest } from 'fastify'
import { withDeadline } from '../plugins/app/cognito.ts'
import { currentUserOf, userDetailsOf, type CurrentUser } from '../plugins/app/current-user.ts'
import { requestDeadline } from '../time.ts'
import { currentSession, type GraphQLContext } from './context.ts'

declare module 'mercurius' {
  interface MercuriusContext extends GraphQLContext {}
}

/** The context hook: the caller's session is verified (refreshed if needed) at most once per request. */
export async function buildContext (request: FastifyRequest, reply: FastifyReply): Promise<GraphQLContext> {
  const app = request.server
  let groups: Promise<string[]> | undefined
  return {
    request,
    reply,
    cognito: app.cognito,
    sessions: app.sessions,
    caller: app.sessions.caller(request, reply),
    revealUserExistence: app.config.revealUserExistence,
    profileAttributes: app.config.profileAttributes,
    // What Cognito knows beyond the tokens, once per request and session (the same reader /session uses).
    userDetails: userDetailsOf(request, reply),
    groupsNow: (session) => (groups ??= withDeadline(requestDeadline(reply, app.config), async () => {
      await app.limits.enforce(request, ['cognito.user'], { address: request.ip, user: session.userId })
      return await app.cognito.groupsOf(session.username)
    })),
    user: null,
    currentUser
  }
}

/** ctx.currentUser: one function for every request, so that a context that never asks costs nothing; made once per request and session. */
async function currentUser (this: GraphQLContext): Promise<CurrentUser | null> {
  const session = await currentSession(this)
  return session === null ? null : await currentUserOf(this.request, this.reply, session)
}
