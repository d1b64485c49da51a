import type { FastifyInstance } from 'fastify'
import mercurius from 'mercurius'
import { buildContext } from '../../graphql/build-context.ts'
import { formatErrors } from '../../graphql/format-errors.ts'
import { resolvers } from '../../graphql/resolvers/index.ts'
import { loadSchemaSDL } from '../../graphql/schema.ts'

/** The GraphQL API at /graphql (and the playground at /graphiql when enabled). */
export default async function graphql (fastify: FastifyInstance): Promise<void> {
  await fastify.register(mercurius, {
    schema: loadSchemaSDL(),
    // The generated types are stricter than mercurius' own resolver type; they describe the same shape.
    resolvers: resolvers as unknown as mercurius.IResolvers,
    context: buildContext,
    errorFormatter: formatErrors as unknown as mercurius.MercuriusCommonOptions['errorFormatter'],
    graphiql: fastify.config.graphiql,
    path: '/graphql'
  })
}
