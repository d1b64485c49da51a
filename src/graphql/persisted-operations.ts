import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import type { FastifyBaseLogger, FastifyRequest } from 'fastify'
import { parse, validate, type GraphQLSchema } from 'graphql'
import { ConfigError, type Config } from '../config.ts'
import { AppError } from '../errors.ts'

/** The registered operations: the SHA-256 hex of each document's text → the document. */
export type PersistedOperations = ReadonlyMap<string, string>

/**
 * What happens to a /graphql request before anything else looks at it: a request by hash gets
 * the registered document in place of the hash, or is refused, as is (PERSISTED_OPERATIONS=only)
 * a document text.
 */
export type PersistedOperationsGate = (request: FastifyRequest) => AppError | undefined

/** Why a request is refused, as its BAD_USER_INPUT error says (HTTP 400). */
export const REFUSED_MESSAGES = {
  text: "Only the application's registered operations are accepted here: send extensions.persistedQuery.sha256Hash instead of the document.",
  shape: 'extensions.persistedQuery must be {"version":1,"sha256Hash":"<SHA-256 hex of the document>"}.',
  unknown: 'No registered operation has this extensions.persistedQuery.sha256Hash: the application and the server disagree on its operations.'
} as const

const SHA256_HEX = /^[0-9a-f]{64}$/

/** The key of a document in the manifest: the SHA-256 hex of its exact text (UTF-8). */
export function operationHash (document: string): string {
  return createHash('sha256').update(document, 'utf8').digest('hex')
}

/**
 * Reads a manifest and checks it whole: a JSON object whose keys are the SHA-256 hex of their
 * documents, every document valid against `schema`. Anything wrong is a ConfigError that names
 * the variable, the file and the entry, found at start rather than by the requests that use it.
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
    if (!SHA256_HEX.test(hash) || operationHash(document) !== hash) throw fail(`the entry ${hash} is not the SHA-256 hex (lower case) of its document, ${operationHash(document)}`)
    let problem: string | undefined
    try {
      problem = validate(schema, parse(document))[0]?.message
    } catch (err) {
      problem = (err as Error).message
    }
    if (problem !== undefined) throw fail(`the document ${hash} does not run on this schema: ${problem}`)
    operations.set(hash, document)
  }
  return operations
}

/**
 * The gate of /graphql requests. A request by hash runs the manifest's document in either mode;
 * `only` refuses everything else. `off` runs document texts as ever, and reads the manifest when
 * there is one (the example SPA sends hashes only), warning about a broken one rather than
 * refusing to start: a schema change in development must not stop the server its fix needs.
 */
export function persistedOperationsGate (config: Config['graphql']['persistedOperations'], schema: GraphQLSchema, log: FastifyBaseLogger): PersistedOperationsGate {
  const only = config.mode === 'only'
  let operations: PersistedOperations = new Map()
  if (only) {
    operations = loadPersistedOperations(config.manifest, schema)
  } else if (existsSync(config.manifest)) {
    try {
      operations = loadPersistedOperations(config.manifest, schema)
    } catch (err) {
      log.warn(`${(err as Error).message}; requests by hash are refused until it is fixed`)
    }
  }

  return (request) => {
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
    if (carrier.query != null) return only ? refusal('text') : undefined
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
    if (version !== 1 || typeof sha256Hash !== 'string') return refusal('shape')
    const document = operations.get(sha256Hash.toLowerCase())
    if (document === undefined) return refusal('unknown')
    // From here the request is the registered document's: every later check applies to it.
    carrier.query = document
    return undefined
  }
}

function refusal (why: keyof typeof REFUSED_MESSAGES): AppError {
  return new AppError('BAD_USER_INPUT', REFUSED_MESSAGES[why])
}
