import type { FastifyReply, FastifyRequest } from 'fastify'
import type { GraphQLContext } from './context.ts'

declare module 'mercurius' {
  interface MercuriusContext extends GraphQLContext {}
}

/** The context hook: verifies the caller's session (refreshing it if needed) once per request. */
export async function buildContext (request: FastifyRequest, reply: FastifyReply): Promise<GraphQLContext> {
  const app = request.server
  const { session, error } = await app.sessions.authenticate(request, reply)
  return {
    request,
    reply,
    cognito: app.cognito,
    sessions: app.sessions,
    session,
    sessionError: error,
    revealUserExistence: app.config.revealUserExistence
  }
}
