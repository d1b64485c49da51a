import type { FastifyInstance } from 'fastify'
import mercurius from 'mercurius'
import { NoSchemaIntrospectionCustomRule, parse, type ValidationRule } from 'graphql'
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases'
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth'
import { AppError } from '../../errors.ts'
import { buildContext } from '../../graphql/build-context.ts'
import { formatErrors } from '../../graphql/format-errors.ts'
import { guardResolvers } from '../../graphql/guard.ts'
import { resolvers } from '../../graphql/resolvers/index.ts'
import { loadSchemaSDL } from '../../graphql/schema.ts'

/**
 * The GraphQL API at /graphql (and the playground at /graphiql when enabled), with CSRF
 * prevention, query limits that follow fragments, and rate limits per field invocation.
 */
export default async function graphql (fastify: FastifyInstance): Promise<void> {
  const limits = fastify.config.graphql
  const validationRules: ValidationRule[] = [
    maxDepthRule({ n: limits.maxDepth, flattenFragments: true, ignoreIntrospection: true, exposeLimits: true }),
    maxAliasesRule({ n: limits.maxAliases, exposeLimits: true }),
    ...(limits.introspection ? [] : [NoSchemaIntrospectionCustomRule])
  ]

  await fastify.register(mercurius, {
    schema: loadSchemaSDL(),
    // The generated types are stricter than mercurius' own resolver type; they describe the same shape.
    resolvers: guardResolvers(resolvers) as unknown as mercurius.IResolvers,
    context: buildContext,
    errorFormatter: formatErrors as unknown as mercurius.MercuriusCommonOptions['errorFormatter'],
    validationRules,
    // Mercurius refuses text/plain and form POSTs and GETs without a non-simple header.
    csrfPrevention: true,
    allowBatchedQueries: false,
    graphiql: fastify.config.graphiql,
    path: '/graphql'
  })

  // Size and token limits before the parser spends time on a document.
  fastify.graphql.addHook('preParsing', async (_schema, source) => {
    if (Buffer.byteLength(source) > limits.maxDocumentBytes) {
      throw new AppError('BAD_USER_INPUT', `The document is larger than ${limits.maxDocumentBytes} bytes.`)
    }
    try {
      parse(source, { maxTokens: limits.maxTokens, noLocation: true })
    } catch (err) {
      // Syntax errors are Mercurius' to report; only the token limit is ours.
      if (/token limit/i.test((err as Error).message)) throw new AppError('BAD_USER_INPUT', `The document has more than ${limits.maxTokens} tokens.`)
    }
  })
}
