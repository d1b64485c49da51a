// fastify.redis: one Redis server or a Redis Cluster, only with REDIS_URL.
import fp from 'fastify-plugin'
import type { FastifyBaseLogger, FastifyInstance } from 'fastify'
import { Cluster, Redis, type ClusterNode, type RedisOptions } from 'ioredis'
import { AppError } from '../../errors.ts'

/** One Redis server, or a Redis Cluster: the commands the server sends are the same. */
export type RedisClient = Redis | Cluster

declare module 'fastify' {
  interface FastifyInstance {
    /** The shared Redis (or Redis Cluster), when REDIS_URL is set: limits, revocations and sessions live there. */
    redis?: RedisClient
    /**
     * A new connection to the same Redis, for blocking reads (createRedisClient's `blocking` kind:
     * no command timeout to cut a read that waits); its failures surface as the reads' own. Set with `redis`.
     */
    blockingRedis?: () => RedisClient
  }
}

/** Where to connect: REDIS_URL (several nodes, comma-separated, with REDIS_CLUSTER) and whether it is a cluster. */
export interface RedisSettings {
  url: string
  cluster: boolean
}

/**
 * How long a command may take before it fails. Redis answers in well under a millisecond; a
 * command still unanswered after this is an outage (a hung server, a lost network), and the
 * request that waits on it answers SERVICE_UNAVAILABLE rather than hanging.
 */
export const REDIS_COMMAND_TIMEOUT_MS = 1000

/**
 * Every connection fails fast and heals in the background: no command waits for a connection
 * (no offline queue) or is retried after one broke, and the client reconnects on its own, every
 * two seconds at most, for as long as the process runs.
 */
const FAIL_FAST: RedisOptions = {
  lazyConnect: true,
  enableOfflineQueue: false,
  maxRetriesPerRequest: 0,
  commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
  connectTimeout: 2000,
  retryStrategy: (times: number) => Math.min(times * 200, 2000)
}

/** A connection's options beside FAIL_FAST's: its credentials and TLS, from one URL of REDIS_URL. */
function connectionOf (text: string): { node: ClusterNode & { host: string, port: number }, options: RedisOptions } {
  const url = new URL(text.trim())
  const db = url.pathname.length > 1 ? Number(url.pathname.slice(1)) : undefined
  return {
    node: { host: url.hostname.replace(/^\[|\]$/g, ''), port: url.port === '' ? 6379 : Number(url.port) },
    options: {
      ...(url.username !== '' ? { username: decodeURIComponent(url.username) } : {}),
      ...(url.password !== '' ? { password: decodeURIComponent(url.password) } : {}),
      ...(url.protocol === 'rediss:' ? { tls: {} } : {}),
      ...(db !== undefined && Number.isInteger(db) ? { db } : {})
    }
  }
}

/**
 * A client for REDIS_URL, not yet connected (`connect()` starts it): a Redis Cluster with
 * REDIS_CLUSTER (the first URL's credentials and TLS apply to every node, as ElastiCache's do),
 * else one server. `onError` hears every connection error, so that none is ever unhandled.
 * `blocking`: for a connection that waits on blocking reads, which the command timeout would cut.
 */
export function createRedisClient (settings: RedisSettings, onError: (err: Error) => void, { blocking = false } = {}): RedisClient {
  const own: RedisOptions = blocking ? { commandTimeout: undefined, blockingTimeout: REDIS_COMMAND_TIMEOUT_MS } : {}
  const urls = settings.url.split(',')
  let client: RedisClient
  if (settings.cluster) {
    const connections = urls.map(connectionOf)
    const { options } = connections[0] as ReturnType<typeof connectionOf>
    const { retryStrategy: _perNode, enableOfflineQueue: _queue, lazyConnect: _lazy, ...redisOptions } = { ...FAIL_FAST, ...options, ...own }
    client = new Cluster(connections.map((c) => c.node), {
      lazyConnect: true,
      enableOfflineQueue: false,
      redisOptions,
      clusterRetryStrategy: (times: number) => Math.min(times * 200, 2000),
      // A failover or a node's restart answers within a second or two, or the command fails.
      retryDelayOnFailover: 100,
      maxRedirections: 10,
      slotsRefreshTimeout: 1000,
      // TLS certificates name the nodes' DNS names: keep them rather than the addresses they resolve to.
      ...(options.tls !== undefined ? { dnsLookup: (address: string, callback: (err: null, address: string) => void) => callback(null, address) } : {})
    })
    client.on('node error', (err: Error) => onError(err))
  } else {
    client = new Redis(urls[0] as string, { ...FAIL_FAST, ...own })
  }
  client.on('error', (err: Error) => onError(err))
  return client
}

/**
 * Opens `client` without ever failing the start: resolves once it is ready, or after `waitMs`
 * while Redis does not answer (the client keeps reconnecting in the background; until it is
 * ready, every command fails at once and the requests that need one answer SERVICE_UNAVAILABLE).
 */
export async function openRedis (client: RedisClient, waitMs = 2000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(false), waitMs) })
  try {
    return await Promise.race([client.connect().then(() => true, () => false), late])
  } finally {
    clearTimeout(timer)
  }
}

/**
 * A store whose every method answers SERVICE_UNAVAILABLE when Redis fails (the failure is
 * logged here, once per call, with the store's name): no Redis error reaches a client as
 * INTERNAL_SERVER_ERROR, and none is taken for a "no".
 */
export function failingAsUnavailable<T extends object> (store: T, name: string, logger: FastifyBaseLogger): T {
  return new Proxy(store, {
    get (target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown
      if (typeof value !== 'function') return value
      return async (...args: unknown[]) => {
        try {
          return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args)
        } catch (err) {
          if (err instanceof AppError) throw err
          logger.warn({ store: name, err: (err as Error).message }, 'redis failed')
          throw new AppError('SERVICE_UNAVAILABLE')
        }
      }
    }
  })
}

async function redis (fastify: FastifyInstance): Promise<void> {
  const url = fastify.config.redisUrl
  if (url === undefined) return
  const log = fastify.log.child({ plugin: 'redis' })
  // One line per outage, not one per reconnection attempt.
  let down = false
  const settings = { url, cluster: fastify.config.redisCluster }
  const client = createRedisClient(settings, (err) => {
    if (!down) log.warn({ err: err.message }, 'redis is not answering: requests that need it answer SERVICE_UNAVAILABLE until it does')
    down = true
  })
  client.on('ready', () => {
    if (down) log.info('redis answers again')
    down = false
  })
  // Redis down at start is an outage like any other: the server starts, and /ready says 503.
  if (!(await openRedis(client))) down = true
  fastify.decorate<RedisClient>('redis', client)
  fastify.decorate('blockingRedis', () => createRedisClient(settings, () => {}, { blocking: true }))
  fastify.addHook('onClose', async () => { await client.quit().catch(() => client.disconnect()) })
}

export default fp(redis, { name: 'redis', dependencies: ['config'] })
