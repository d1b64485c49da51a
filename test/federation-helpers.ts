// The federation set-up of the tests: the auth server as a subgraph behind @mercuriusjs/gateway, a
// second subgraph that extends the user, and a browser's cookie jar over real HTTP.
import Fastify, { type FastifyInstance } from 'fastify'
import gatewayModule from '@mercuriusjs/gateway'
import { mercuriusFederationPlugin } from '@mercuriusjs/federation'
import type { MercuriusContext } from 'mercurius'
import type { Test } from 'tap'

// The package is CommonJS, `module.exports = plugin`, while its types declare an ES default export.
const mercuriusGateway = gatewayModule as unknown as typeof gatewayModule.default

/** The second subgraph: notes about a user, which it knows by the id alone. */
export async function notesService (t: Test): Promise<string> {
  const notes = Fastify()
  await notes.register(mercuriusFederationPlugin, {
    schema: `
      extend type User @key(fields: "id") {
        id: ID! @external
        notes: [String!]!
      }
    `,
    resolvers: {
      User: {
        notes: (user: { id: string }) => [`first note of ${user.id}`, `second note of ${user.id}`]
      }
    }
  })
  t.teardown(() => notes.close())
  return `${await notes.listen({ port: 0, host: '127.0.0.1' })}/graphql`
}

/**
 * The gateway as an app would run it: the browser's `cookie` header goes to the auth subgraph,
 * and the auth subgraph's Set-Cookie (signIn, refresh, signOut), which the gateway collects,
 * comes back to the browser.
 */
export async function gatewayOf (t: Test, authUrl: string, notesUrl: string): Promise<FastifyInstance> {
  const gateway = Fastify()
  await gateway.register(mercuriusGateway, {
    gateway: {
      services: [
        {
          name: 'auth',
          url: authUrl,
          // The session, and the client's address for the per-address limits (TRUST_PROXY=1 there).
          // No context when the gateway fetches the subgraph's schema at start.
          rewriteHeaders: (headers, context: MercuriusContext | undefined) => ({
            ...(context === undefined ? {} : { 'x-forwarded-for': context.reply.request.ip }),
            ...(headers.cookie === undefined ? {} : { cookie: headers.cookie })
          }),
          collectors: { collectHeaders: true }
        },
        { name: 'notes', url: notesUrl }
      ]
    }
  })
  gateway.graphql.addHook('onResolution', async (_execution, context) => {
    const collected = (context as { collectors?: { responseHeaders?: Record<string, { service: string, data: Record<string, string | string[] | undefined> }> } }).collectors
    for (const { service, data } of Object.values(collected?.responseHeaders ?? {})) {
      const setCookie = data['set-cookie']
      if (service === 'auth' && setCookie !== undefined) context.reply.header('set-cookie', setCookie)
    }
  })
  t.teardown(() => gateway.close())
  await gateway.ready()
  return gateway
}
