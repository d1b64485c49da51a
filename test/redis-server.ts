// Real redis-server processes for the tests that share state through Redis (started by the tests
// themselves): one server, or a three-node Redis Cluster; each node can be stopped and started again.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { Redis } from 'ioredis'
import type { Test } from 'tap'
import { build, Client, emulatorBehindProxy } from './helper.ts'

/** Whether redis-server (and redis-cli, for a cluster) is on the PATH (.ci/run installs both). */
export const hasRedis = spawnSync('redis-server', ['--version']).status === 0 && spawnSync('redis-cli', ['--version']).status === 0

type Tap = Pick<Test, 'teardown'>

async function freePort (): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as { port: number }).port
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** Resolves once `url` answers PING (ten seconds at most). */
async function answering (url: string): Promise<void> {
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null })
  probe.on('error', () => {})
  try {
    for (let i = 0; i < 100; i++) {
      try {
        await probe.connect()
        await probe.ping()
        return
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
    }
    throw new Error(`redis-server at ${url} did not answer`)
  } finally {
    probe.disconnect()
  }
}

/** A directory of its own for a server's files, removed when the test ends. */
function scratch (t: Tap): string {
  const dir = mkdtempSync(join(tmpdir(), 'redis-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** One redis-server on loopback: its URL, its current process, and a stop and start by pid. */
export interface RedisNode {
  url: string
  port: number
  process: ChildProcess
  /** Ends the process (SIGKILL: an outage, not a shutdown) and waits until it has exited. */
  stop: () => Promise<void>
  /** Starts it again on the same port, with the same files; resolves once it answers. */
  start: () => Promise<void>
}

/**
 * A redis-server on `port` (a free one by default), answering once this resolves, stopped when the
 * test ends. `extra` arguments are added (a cluster node's); `dir` keeps its files across restarts.
 */
async function redisNode (t: Tap, options: { port?: number, dir?: string, extra?: string[], wait?: boolean } = {}): Promise<RedisNode> {
  const port = options.port ?? await freePort()
  const dir = options.dir ?? scratch(t)
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', ...(options.extra ?? [])]
  const node: RedisNode = {
    url: `redis://127.0.0.1:${port}`,
    port,
    process: spawn('redis-server', args, { stdio: 'ignore' }),
    async stop () {
      const child = node.process
      if (child.exitCode !== null || child.signalCode !== null) return
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGKILL')
      await exited
    },
    async start () {
      node.process = spawn('redis-server', args, { stdio: 'ignore' })
      await answering(node.url)
    }
  }
  t.teardown(() => { node.process.kill('SIGKILL') })
  if (options.wait !== false) await answering(node.url)
  return node
}

/** A throwaway redis-server on a free loopback port (or `port`, say one nothing listens on yet), answering once this resolves. */
export async function startRedis (t: Tap, port?: number): Promise<RedisNode> {
  return await redisNode(t, { port })
}

/** The URL of a redis-server that is not running yet, and the way to start it there later. */
export async function laterRedis (t: Tap): Promise<{ url: string, start: () => Promise<RedisNode> }> {
  const port = await freePort()
  return { url: `redis://127.0.0.1:${port}`, start: async () => await startRedis(t, port) }
}

/**
 * A Redis Cluster of three masters (no replicas) on loopback, every slot assigned, answering once
 * this resolves: `url` lists the nodes as REDIS_URL does. Each node writes an append-only file
 * (fsync always), so that one stopped and started again comes back with its keys and its slots.
 */
export async function startRedisCluster (t: Tap): Promise<{ url: string, nodes: RedisNode[] }> {
  const nodes: RedisNode[] = []
  for (let i = 0; i < 3; i++) {
    nodes.push(await redisNode(t, { dir: scratch(t), extra: ['--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '2000', '--appendonly', 'yes', '--appendfsync', 'always'] }))
  }
  const created = spawnSync('redis-cli', ['--cluster', 'create', ...nodes.map((n) => `127.0.0.1:${n.port}`), '--cluster-replicas', '0', '--cluster-yes'], { encoding: 'utf8', timeout: 30_000 })
  if (created.status !== 0) throw new Error(`redis-cli --cluster create failed: ${created.stdout}${created.stderr}`)
  // The nodes agree on the slots a moment after the create: wait until every one says the cluster is ok.
  for (const node of nodes) await clusterOk(node.url)
  return { url: nodes.map((n) => n.url).join(','), nodes }
}

/** Resolves once the node at `url` reports `cluster_state:ok` (ten seconds at most). */
export async function clusterOk (url: string): Promise<void> {
  const probe = new Redis(url, { maxRetriesPerRequest: 0, retryStrategy: () => 100 })
  probe.on('error', () => {})
  try {
    for (let i = 0; i < 100; i++) {
      const info = await probe.call('CLUSTER', 'INFO').catch(() => '') as string
      if (info.includes('cluster_state:ok')) return
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    throw new Error(`the cluster node at ${url} never reported cluster_state:ok`)
  } finally {
    probe.disconnect()
  }
}

/**
 * Two instances of the server on one Cognito (an embedded emulator behind a FaultProxy) and the
 * Redis that `env.REDIS_URL` names (with REDIS_CLUSTER, a cluster), as a deployment runs them.
 */
export async function twoInstances (t: Test, env: Record<string, string>) {
  const { emulator, proxy } = await emulatorBehindProxy(t)
  const shared = { COGNITO_USER_POOL_ID: emulator.userPoolId, COGNITO_CLIENT_ID: emulator.clientId, COGNITO_ENDPOINT: proxy.endpoint, COOKIE_SECRET: 's'.repeat(40), ...env }
  const a = await build(t, { env: shared, jwks: emulator.jwks })
  const b = await build(t, { env: shared, jwks: emulator.jwks })
  return { a, b, emulator, proxy, client: (app: FastifyInstance) => new Client(app, emulator.mailbox) }
}

/** Resolves once `app` answers /ready with 200 (Redis back, the keys loaded); fails after ten seconds. */
export async function readyAgain (app: FastifyInstance): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if ((await app.inject('/ready')).statusCode === 200) return
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error('/ready did not answer 200 within ten seconds')
}
