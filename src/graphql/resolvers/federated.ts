// Resolvers: the identity providers a page draws its sign-in buttons from.
import type { QueryResolvers } from '../generated.ts'

/** Federated sign-in: the providers a page draws its buttons from (the routes are in src/plugins/app/oauth.ts). */
export const federatedQueries: QueryResolvers = {
  signInProviders: (_root, _args, ctx) => ctx.request.server.userPool.managedLogin?.providers ?? []
}
