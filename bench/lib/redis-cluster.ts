// A three-node Redis Cluster for (dc): three `redis-server --cluster-enabled yes` on free ports,
// joined with `redis-cli --cluster create … --cluster-replicas 0 --cluster-yes`, without
// persistence. Its nodes' key counts tell whether a server wrote to it.
import { spawnSync, type ChildProcess } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { startRedis, tmp } from './processes.ts'

export interface RedisCluster { children: ChildProcess[], ports: number[], url: string }

export async function startRedisCluster (): Promise<RedisCluster> {
  const nodes = await Promise.all([0, 1, 2].map(async (i) => {
    const dir = join(tmp, `cluster-${i}`)
    mkdirSync(dir, { recursive: true })
    return await startRedis(['--cluster-enabled', 'yes', '--cluster-config-file', join(dir, 'nodes.conf'), '--cluster-node-timeout', '5000'], dir)
  }))
  const ports = nodes.map((node) => node.port)
  const create = spawnSync('redis-cli', ['--cluster', 'create', ...ports.map((port) => `127.0.0.1:${port}`), '--cluster-replicas', '0', '--cluster-yes'], { encoding: 'utf8', timeout: 30_000 })
  if (create.status !== 0) throw new Error(`redis-cli --cluster create failed: ${create.stderr || create.stdout}`)
  // The nodes agree on the slots a moment after create returns.
  for (let i = 0; i < 50 && !ports.every((port) => /cluster_state:ok/.test(redisCli(port, 'cluster', 'info'))); i++) await new Promise((resolve) => setTimeout(resolve, 100))
  return { children: nodes.map((node) => node.child), ports, url: ports.map((port) => `redis://127.0.0.1:${port}`).join(',') }
}

function redisCli (port: number, ...args: string[]): string {
  return spawnSync('redis-cli', ['-p', String(port), ...args], { encoding: 'utf8', timeout: 10_000 }).stdout ?? ''
}

/** The keys each node holds. */
export const keysPerNode = (cluster: RedisCluster) => cluster.ports.map((port) => Number(redisCli(port, 'dbsize').trim()))
