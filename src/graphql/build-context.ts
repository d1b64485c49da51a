import type { FastifyReply, FastifyRequest } from 'fastify'
import { withDeadline, type UserDetails } from '../plugins/app/cognito.ts'
import type { Authentication } from '../plugins/app/session.ts'
import { requestDeadline } from '../time.ts'
import type { GraphQLContext } from './context.ts'

declare module 'mercurius' {
  interface MercuriusContext extends GraphQLContext {}
}

/** The context hook: the caller's session is verified (refreshed if needed) at most once per request. */
export async function buildContext (request: FastifyRequest, reply: FastifyReply): Promise<GraphQLContext> {
  const app = request.server
  let authentication: Promise<Authentication> | undefined
  let details: Map<string, Promise<UserDetails>> | undefined
  return {
    request,
    reply,
    cognito: app.cognito,
    sessions: app.sessions,
    authenticate: () => (authentication ??= app.sessions.authenticate(request, reply)),
    revealUserExistence: app.config.revealUserExistence,
    userDetails (session) {
      details ??= new Map()
      let pending = details.get(session.accessToken)
      if (pending === undefined) {
        pending = withDeadline(requestDeadline(reply, app.config), async () => {
          await app.limits.enforce(request, ['cognito.user'], { address: request.ip, user: session.userId })
          return await app.cognito.getUser(session.accessToken)
        })
        details.set(session.accessToken, pending)
      }
      return pending
    }
  }
}
