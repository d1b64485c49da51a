// Mercurius at /graphql: the schema, the guarded resolvers, the document limits, the context and GraphiQL.
import type { FastifyInstance } from 'fastify'
import mercurius from 'mercurius'
import { getOperationAST, GraphQLError, Kind, NoSchemaIntrospectionCustomRule, parse, type DocumentNode, type ValidationRule } from 'graphql'
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases'
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth'
import { AppError } from '../errors.ts'
import { buildContext } from './build-context.ts'
import { federatedResolvers, federationSchema } from './federation.ts'
import { acceptsGraphQLResponse, formatErrors, GRAPHQL_RESPONSE } from './format-errors.ts'
import { authorizationRules } from './authorization.ts'
import { fieldPolicies } from './field-policy.ts'
import type { Resolvers } from './generated.ts'
import { applyFieldPolicies, mergeAppResolvers } from './apply-field-policy.ts'
import { persistedOperations } from './persisted-operations.ts'
import { memoryPersistedQueryCache, redisPersistedQueryCache } from './persisted-query-cache.ts'
import { maxFieldsRule } from './query-cost.ts'
import { resolvers } from './resolvers/index.ts'
import { loadSchemaSDL, mergeAppSchema } from './schema.ts'
import graphiql from '../routes/graphiql.ts'
import { PREFLIGHT_HEADERS } from '../preflight-headers.ts'

/** An app's own API beside ours (authServer's `schema` and `resolvers`). */
export interface GraphQLPluginOptions {
  /** SDL that adds types and extends Query, Mutation and User; `@auth` guards its fields as ours. */
  schema?: string
  /** The resolvers of the app's fields; they find the caller in `ctx.user`. */
  resolvers?: mercurius.IResolvers
}

/**
 * The GraphQL API at /graphql (and the playground at /graphiql when enabled), with CSRF
 * prevention, query limits that follow fragments, and rate limits per field invocation.
 */
export default async function graphql (fastify: FastifyInstance, opts: GraphQLPluginOptions = {}): Promise<void> {
  const limits = fastify.config.graphql
  // An app's own schema and resolvers (authServer) beside ours: a clash refuses to start.
  const { sdl, appFields } = opts.schema === undefined ? { sdl: loadSchemaSDL(), appFields: [] } : mergeAppSchema(loadSchemaSDL(), opts.schema)
  const api = mergeAppResolvers(resolvers, opts.resolvers ?? {}, appFields) as Resolvers
  const policies = fieldPolicies(authorizationRules(sdl), appFields)
  const validationRules: ValidationRule[] = [
    // Counts fields with every fragment spread expanded, as executors expand them.
    maxFieldsRule(limits.maxFields),
    maxDepthRule({ n: limits.maxDepth, flattenFragments: true, ignoreIntrospection: true, exposeLimits: true }),
    maxAliasesRule({ n: limits.maxAliases, exposeLimits: true }),
    ...(limits.introspection ? [] : [NoSchemaIntrospectionCustomRule])
  ]

  // Persisted operations and automatic persisted queries (src/graphql/persisted-operations.ts).
  const persisted = persistedOperations(limits.persistedOperations,
    fastify.redis === undefined ? memoryPersistedQueryCache() : redisPersistedQueryCache(fastify.redis, fastify.log))

  await fastify.register(mercurius, {
    // FEDERATION=true: a subgraph's schema (src/graphql/federation.ts), under the same options.
    schema: fastify.config.federation ? federationSchema(sdl) : sdl,
    // Each field behind its policy (src/graphql/field-policy.ts). The generated types are stricter
    // than mercurius' own resolver type; they describe the same shape.
    resolvers: applyFieldPolicies(fastify.config.federation ? federatedResolvers(api) : api, policies) as unknown as mercurius.IResolvers,
    context: buildContext,
    errorFormatter: formatErrors as unknown as mercurius.MercuriusCommonOptions['errorFormatter'],
    validationRules,
    // Mercurius refuses text/plain and form POSTs and GETs without a non-simple header: one of those
    // the CORS policy lets allowed origins send (src/preflight-headers.ts).
    csrfPrevention: { requiredHeaders: [...PREFLIGHT_HEADERS] },
    persistedQueryProvider: persisted.provider,
    graphql: { parseOptions: { maxTokens: limits.maxTokens } },
    allowBatchedQueries: false,
    // No graphql-jit: on `me` it saves nothing measurable, its compiler expands every fragment
    // spread again (graphql-js visits each fragment once per selection set), and Mercurius keeps
    // one compiled query per document text, which then runs whatever operation a request names.
    jit: 0,
    // Mercurius' own page loads React and GraphiQL from unpkg.com: ours serves them from here.
    graphiql: false,
    path: '/graphql'
  })
  if (fastify.config.graphiql) await fastify.register(graphiql)

  // The manifest is checked against the schema the server runs (the app's own fields included).
  persisted.load(fastify.graphql.schema, fastify.log)

  // Before Mercurius: a body of the wrong shape is the client's mistake, not a crash of ours, and an
  // oversized document is refused before the parser spends time on it. Callback hooks: this runs
  // on every request.
  fastify.addHook('preValidation', (request, reply, done) => {
    if (request.routeOptions.url !== '/graphql') return done()
    const unregistered = persisted.check(request)
    if (unregistered !== undefined) return done(unregistered)
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
    done(problem === undefined ? undefined : new AppError('BAD_USER_INPUT', problem))
  })

  // A GET that Mercurius would crash on, or a mutation, is refused before its document is parsed:
  // here, where a document sent by hash has become its text too.
  fastify.graphql.addHook('preParsing', (_schema, source, context) => {
    const request = context.reply.request
    if (request.method !== 'GET' && request.method !== 'HEAD') return
    const refusal = refusalOfGet(source, (request.query as { operationName?: unknown }).operationName, limits.maxTokens)
    if (refusal instanceof AppError && refusal.statusCode === 405) context.reply.header('allow', 'POST')
    if (refusal !== undefined) throw refusal
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

/**
 * Why a GET cannot run, if it cannot. Mercurius looks up the operation of a GET before running it
 * and crashes when none matches the operation name; a missing or unknown operation gets the
 * executor's error a POST gets, as a GraphQLError the error formatter answers as POST's, and a
 * mutation is a 405 (GraphQL-over-HTTP). A document that does not parse is left to Mercurius,
 * whose parser says why. GETs only, which are rare: the document is parsed twice.
 */
function refusalOfGet (source: string, operationName: unknown, maxTokens: number): GraphQLError | AppError | undefined {
  let document: DocumentNode
  try {
    document = parse(source, { maxTokens })
  } catch {
    return undefined
  }
  const name = typeof operationName === 'string' ? operationName : undefined
  const operation = getOperationAST(document, name)
  if (operation == null) {
    const operations = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION).length
    const message = name !== undefined
      ? `Unknown operation named "${name}".`
      : operations === 0 ? 'Must provide an operation.' : 'Must provide operation name if query contains multiple operations.'
    return new GraphQLError(message)
  }
  if (operation.operation !== 'query') return new AppError('BAD_USER_INPUT', `A ${operation.operation} cannot be sent with GET: use POST.`, {}, 405)
  return undefined
}

/** What is wrong with a POST body, if anything (GraphQL-over-HTTP's request shape). */
function bodyProblem (body: Record<string, unknown> | null): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'The body must be a JSON object.'
  // GraphQL-over-HTTP allows `"extensions": null`, which Mercurius would refuse.
  if (body.extensions === null) delete body.extensions
  const byHash = typeof body.extensions === 'object' && (body.extensions as { persistedQuery?: unknown }).persistedQuery != null
  if (typeof body.query !== 'string' && !(byHash && body.query == null)) return 'The body must have a "query" string.'
  if (body.variables != null && (typeof body.variables !== 'object' || Array.isArray(body.variables))) return '"variables" must be an object.'
  if (body.operationName != null && typeof body.operationName !== 'string') return '"operationName" must be a string.'
  if (body.extensions !== undefined && (typeof body.extensions !== 'object' || Array.isArray(body.extensions))) return '"extensions" must be an object.'
  return undefined
}
