// A real redis-server for the tests that share state through Redis (started by the tests themselves).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { Redis } from 'ioredis'
import type { Test } from 'tap'

/** Whether redis-server is on the PATH (.ci/run installs it). */
export const hasRedis = spawnSync('redis-server', ['--version']).status === 0

async function freePort (): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as { port: number }).port
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** A throwaway redis-server on a free loopback port, answering once this resolves, stopped when the test ends. */
export async function startRedis (t: Test): Promise<{ url: string, process: ChildProcess }> {
  const port = await freePort()
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' })
  t.teardown(() => { child.kill('SIGTERM') })
  const url = `redis://127.0.0.1:${port}`
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null })
  for (let i = 0; i < 100; i++) {
    try {
      await probe.connect()
      await probe.ping()
      break
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
  probe.disconnect()
  return { url, process: child }
}
