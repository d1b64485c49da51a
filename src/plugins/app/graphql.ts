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

  // Before Mercurius: a body of the wrong shape is the client's mistake, not a crash of ours, and
  // an oversized document is refused before the parser spends time on it. Callback hooks: this
  // runs on every request.
  fastify.addHook('preValidation', (request, _reply, done) => {
    if (request.routeOptions.url !== '/graphql') return done()
    let problem: string | undefined
    let source: unknown
    if (request.method === 'POST') {
      const body = request.body as Record<string, unknown> | null
      problem = bodyProblem(body)
      source = body?.query
    } else {
      source = (request.query as { query?: unknown }).query
    }
    // UTF-8 spends at most three bytes on a UTF-16 unit: short documents skip the count.
    if (problem === undefined && typeof source === 'string' && source.length * 3 > limits.maxDocumentBytes && Buffer.byteLength(source) > limits.maxDocumentBytes) {
      problem = `The document is larger than ${limits.maxDocumentBytes} bytes.`
    }
    done(problem === undefined ? undefined : new AppError('BAD_USER_INPUT', problem, {}, 400))
  })

  // Answer in application/graphql-response+json to the clients that ask for it.
  fastify.addHook('onSend', (request, reply, payload, done) => {
    const accept = request.headers.accept
    if (accept !== undefined && request.routeOptions.url === '/graphql' && acceptsGraphQLResponse(accept) &&
      String(reply.getHeader('content-type') ?? '').startsWith('application/json')) {
      reply.header('content-type', `${GRAPHQL_RESPONSE}; charset=utf-8`)
    }
    done(null, payload)
  })
}

/** What is wrong with a POST body, if anything (GraphQL-over-HTTP's request shape). */
function bodyProblem (body: Record<string, unknown> | null): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'The body must be a JSON object.'
  // GraphQL-over-HTTP allows `"extensions": null`, which Mercurius would refuse.
  if (body.extensions === null) delete body.extensions
  if (typeof body.query !== 'string') return 'The body must have a "query" string.'
  if (body.variables != null && (typeof body.variables !== 'object' || Array.isArray(body.variables))) return '"variables" must be an object.'
  if (body.operationName != null && typeof body.operationName !== 'string') return '"operationName" must be a string.'
  if (body.extensions !== undefined && (typeof body.extensions !== 'object' || Array.isArray(body.extensions))) return '"extensions" must be an object.'
  return undefined
}
