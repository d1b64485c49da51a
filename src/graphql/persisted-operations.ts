// Persisted operations: the manifest, and the requests PERSISTED_OPERATIONS=only lets through.
import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import type { FastifyBaseLogger, FastifyRequest } from 'fastify'
import { parse, validate, type GraphQLSchema } from 'graphql'
import type mercurius from 'mercurius'
import { ConfigError, type Config } from '../config.ts'
import { AppError, ERRORS } from '../errors.ts'
import type { PersistedQueryCache } from './persisted-query-cache.ts'

/** The registered operations: the SHA-256 hex of each document's text (lower case, no prefix) → the document. */
export type PersistedOperations = ReadonlyMap<string, string>

/** Why a request is refused, as its BAD_USER_INPUT error says (HTTP 400). */
export const REFUSED_MESSAGES = {
  text: "Only the application's registered operations are accepted here: send extensions.persistedQuery.sha256Hash instead of the document.",
  shape: 'extensions.persistedQuery must be {"version":1,"sha256Hash":"<SHA-256 hex of the document, bare or as sha256:<hex>>"}.',
  unknown: 'No registered operation has this extensions.persistedQuery.sha256Hash: the application and the server disagree on its operations.',
  mismatch: 'extensions.persistedQuery.sha256Hash is not the SHA-256 of the document sent with it.'
} as const

/** A document's hash as clients write it: the SHA-256 hex, bare (Apollo, urql) or as `sha256:<hex>` (graphql-codegen, GraphQL over HTTP's persisted documents). */
const HASH_FORMS = /^(?:sha256:)?([0-9a-fA-F]{64})$/

/** The key of a document in the manifest: the SHA-256 hex of its exact text (UTF-8). */
export function operationHash (document: string): string {
  return createHash('sha256').update(document, 'utf8').digest('hex')
}

/** The lower-case hex a hash names, in either form; undefined when it is neither. */
export function hashKey (given: string): string | undefined {
  return HASH_FORMS.exec(given)?.[1]?.toLowerCase()
}

/**
 * Reads a manifest and checks it whole: a JSON object whose keys are the SHA-256 of their
 * documents (lower-case hex, bare or as `sha256:<hex>`), every document valid against `schema`.
 * Anything wrong is a ConfigError that names the variable, the file and the entry, found at start
 * rather than by the requests that use it.
 */
export function loadPersistedOperations (path: string, schema: GraphQLSchema): PersistedOperations {
  const fail = (why: string) => new ConfigError(`PERSISTED_OPERATIONS_MANIFEST=${path}: ${why}`)
  let manifest: unknown
  try {
    manifest = JSON.parse(readFileSync(path, 'utf8'))
  } catch (err) {
    throw fail((err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file (PERSISTED_OPERATIONS=only runs nothing but the operations it lists)' : `not a JSON file: ${(err as Error).message}`)
  }
  if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest)) throw fail('not a JSON object of SHA-256 hex → document')
  const operations = new Map<string, string>()
  for (const [hash, document] of Object.entries(manifest)) {
    if (typeof document !== 'string') throw fail(`the entry ${hash} is not a document text`)
    const key = hashKey(hash)
    if (key === undefined || key !== hash.replace(/^sha256:/, '') || operationHash(document) !== key) {
      throw fail(`the entry ${hash} is not the SHA-256 hex (lower case, bare or as sha256:<hex>) of its document, ${operationHash(document)}`)
    }
    let problem: string | undefined
    try {
      problem = validate(schema, parse(document))[0]?.message
    } catch (err) {
      problem = (err as Error).message
    }
    if (problem !== undefined) throw fail(`the document ${hash} does not run on this schema: ${problem}`)
    operations.set(key, document)
  }
  return operations
}

/** A GraphQL request as Mercurius hands it to the provider: the body, or a GET's parameters with `extensions` parsed. */
interface RequestShape { query?: unknown, extensions?: { persistedQuery?: { sha256Hash?: unknown } } }

/**
 * Persisted operations on Mercurius' own machinery (its `persistedQueryProvider`): the manifest's
 * documents run by hash in either mode. In the default mode this is also automatic persisted
 * queries as Apollo's and urql's links speak them: an unknown hash answers
 * PERSISTED_QUERY_NOT_FOUND, the client sends the text with the hash, and the text (once it ran)
 * is kept in `cache` under the hash. With PERSISTED_OPERATIONS=only nothing is registered and only
 * the manifest runs. `check` is the part Mercurius has no place for: the request's shape, and
 * `only`'s refusal of texts, before anything else looks at the request.
 */
export function persistedOperations (config: Config['graphql']['persistedOperations'], cache: PersistedQueryCache) {
  const only = config.mode === 'only'
  let operations: PersistedOperations = new Map()
  const hashOf = (request: RequestShape): string => hashKey(String(request.extensions?.persistedQuery?.sha256Hash)) ?? ''

  const provider: mercurius.PersistedQueryProvider = {
    isPersistedQuery: (request) => (request as RequestShape).query == null && (request as RequestShape).extensions?.persistedQuery != null,
    // A text sent with its hash: Mercurius checks that they match, runs the text, then saves it.
    isPersistedQueryRetry: (request) => !only && (request as RequestShape).query != null && (request as RequestShape).extensions?.persistedQuery != null,
    getHash: (request) => hashOf(request as RequestShape),
    async getQueryFromHash (hash) {
      const registered = operations.get(hash) ?? (only ? undefined : await cache.get(hash))
      if (registered !== undefined) return registered
      // Under `only` a text sent with the hash would be refused as well: no point in asking for it.
      throw only ? new AppError('BAD_USER_INPUT', REFUSED_MESSAGES.unknown) : new AppError('PERSISTED_QUERY_NOT_FOUND')
    },
    getHashForQuery: operationHash,
    async saveQuery (hash, query) {
      if (!operations.has(hash)) await cache.set(hash, query)
    },
    notFoundError: ERRORS.PERSISTED_QUERY_NOT_FOUND.message,
    mismatchError: REFUSED_MESSAGES.mismatch
  }

  return {
    provider,

    /**
     * Reads the manifest, checked against the schema the server runs. `only` needs one; the default
     * mode reads it when there is one (the example SPA sends hashes only), warning about a broken one
     * rather than refusing to start: a schema change in development must not stop the server its
     * fix needs.
     */
    load (schema: GraphQLSchema, log: FastifyBaseLogger): void {
      if (only) {
        operations = loadPersistedOperations(config.manifest, schema)
      } else if (existsSync(config.manifest)) {
        try {
          operations = loadPersistedOperations(config.manifest, schema)
        } catch (err) {
          log.warn(`${(err as Error).message}; its operations are not registered until it is fixed`)
        }
      }
    },

    /** What is wrong with a /graphql request's persisted-operation part, before anything runs. */
    check (request: FastifyRequest): AppError | undefined {
      // Apollo's shape: no document, its hash in `extensions` (a JSON text in a GET's query string).
      let carrier: Record<string, unknown>
      if (request.method === 'POST') {
        // A body of the wrong shape is left to the checks of the body.
        if (typeof request.body !== 'object' || request.body === null || Array.isArray(request.body)) return undefined
        carrier = request.body as Record<string, unknown>
      } else {
        // GET, and the HEAD that Fastify answers with the GET route.
        carrier = request.query as Record<string, unknown>
      }
      if (only && carrier.query != null) return refusal('text')
      let extensions = carrier.extensions
      if (typeof extensions === 'string' && request.method !== 'POST') {
        try {
          extensions = JSON.parse(extensions)
        } catch {
          return refusal('shape')
        }
      }
      const persisted = (extensions as { persistedQuery?: unknown } | null | undefined)?.persistedQuery
      if (persisted == null) return only ? refusal('text') : undefined
      const { version, sha256Hash } = persisted as { version?: unknown, sha256Hash?: unknown }
      if (version !== 1 || typeof sha256Hash !== 'string' || hashKey(sha256Hash) === undefined) return refusal('shape')
      return undefined
    }
  }
}

function refusal (why: keyof typeof REFUSED_MESSAGES): AppError {
  return new AppError('BAD_USER_INPUT', REFUSED_MESSAGES[why])
}
