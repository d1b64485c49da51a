import type { FastifyInstance } from 'fastify'
import mercurius from 'mercurius'
import { NoSchemaIntrospectionCustomRule, type ValidationRule } from 'graphql'
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases'
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth'
import { AppError } from '../../errors.ts'
import { buildContext } from '../../graphql/build-context.ts'
import { acceptsGraphQLResponse, formatErrors, GRAPHQL_RESPONSE } from '../../graphql/format-errors.ts'
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
    graphql: { parseOptions: { maxTokens: limits.maxTokens } },
    allowBatchedQueries: false,
    // Compile a query to JavaScript from its second run on (graphql-jit): the hot `me` gets faster.
    jit: 1,
    graphiql: fastify.config.graphiql,
    path: '/graphql'
  })

  // A request body of the wrong shape is the client's mistake, not a crash of ours.
  fastify.addHook('preValidation', async (request) => {
    if (request.method !== 'POST' || request.routeOptions.url !== '/graphql') return
    const body = request.body as Record<string, unknown> | null
    // GraphQL-over-HTTP allows `"extensions": null`, which Mercurius would refuse.
    if (typeof body === 'object' && body !== null && body.extensions === null) delete body.extensions
    const problem = typeof body !== 'object' || body === null || Array.isArray(body)
      ? 'The body must be a JSON object.'
      : typeof body.query !== 'string'
        ? 'The body must have a "query" string.'
        : body.variables != null && (typeof body.variables !== 'object' || Array.isArray(body.variables))
          ? '"variables" must be an object.'
          : body.operationName != null && typeof body.operationName !== 'string'
            ? '"operationName" must be a string.'
            : body.extensions !== undefined && (typeof body.extensions !== 'object' || Array.isArray(body.extensions))
              ? '"extensions" must be an object.'
              : undefined
    if (problem !== undefined) throw new AppError('BAD_USER_INPUT', problem, {}, 400)
  })

  // Answer in application/graphql-response+json to the clients that ask for it.
  fastify.addHook('onSend', async (request, reply, payload) => {
    if (request.routeOptions.url === '/graphql' && acceptsGraphQLResponse(request.headers.accept) &&
      String(reply.getHeader('content-type') ?? '').startsWith('application/json')) {
      reply.header('content-type', `${GRAPHQL_RESPONSE}; charset=utf-8`)
    }
    return payload
  })

  // The size limit before the parser spends time on a document (the token limit is the parser's own).
  fastify.graphql.addHook('preParsing', async (_schema, source) => {
    if (Buffer.byteLength(source) > limits.maxDocumentBytes) {
      throw new AppError('BAD_USER_INPUT', `The document is larger than ${limits.maxDocumentBytes} bytes.`, {}, 400)
    }
  })
}
