// Where automatic persisted queries keep the documents clients registered by hash: a bounded
// cache in memory, or in the shared Redis (REDIS_URL) so that every instance knows every hash.
import type { FastifyBaseLogger } from 'fastify'
import type { RedisClient as Redis } from '../plugins/app/redis.ts'
import { LRUCache } from 'lru-cache'

/** Documents by the lower-case SHA-256 hex of their text. */
export interface PersistedQueryCache {
  get: (hash: string) => Promise<string | undefined>
  set: (hash: string, document: string) => Promise<void>
}

/**
 * Documents kept in memory, at most: each is a document that ran, at most GRAPHQL_MAX_DOCUMENT_BYTES
 * long, so the cache stays within a few MiB however many documents clients send. The least
 * recently used goes first; a client whose hash was dropped sends the text again.
 */
export const MEMORY_ENTRIES = 1000

/** How long Redis keeps a document after it was last registered (an app's documents come back with each deploy). */
export const REDIS_TTL_SECONDS = 24 * 3600

export function memoryPersistedQueryCache (max = MEMORY_ENTRIES): PersistedQueryCache {
  const documents = new LRUCache<string, string>({ max })
  return {
    get: async (hash) => documents.get(hash),
    set: async (hash, document) => { documents.set(hash, document) }
  }
}

/**
 * Documents in Redis, each under its own key with a TTL (bounded by time: Redis' `maxmemory`
 * policy may drop them sooner, which costs a client one more round trip). A Redis that does not
 * answer is a miss, never a failed request: the client then sends the text, which runs.
 */
export function redisPersistedQueryCache (redis: Redis, log: FastifyBaseLogger, prefix = 'auth-apq:', ttlSeconds = REDIS_TTL_SECONDS): PersistedQueryCache {
  return {
    async get (hash) {
      try {
        return (await redis.get(prefix + hash)) ?? undefined
      } catch (err) {
        log.warn({ err: (err as Error).message }, 'persisted query lookup failed: answered as unknown')
        return undefined
      }
    },
    async set (hash, document) {
      await redis.set(prefix + hash, document, 'EX', ttlSeconds)
    }
  }
}
