// The bench's child processes: the compiled build they run, starting and stopping them (each
// exits when its stdin closes), talking to them over stdin (servers/commands.ts), and reading
// their memory and CPU time from /proc.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import os from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

export const benchDir = fileURLToPath(new URL('..', import.meta.url))
export const repoDir = join(benchDir, '..')
/** Where the bench compiles the repository (ignored by git): bench/.tmp/build. */
export const buildDir = join(benchDir, '.tmp', 'build')
// The SDK's notice that Node 20 support ends in 2027: once per process, noise here.
export const QUIET_SDK = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' }

export const children: ChildProcess[] = []
/** A temporary directory for the run (emulator data, redis, logs), removed on exit. */
export const tmp = mkdtempSync(join(os.tmpdir(), 'bench-'))
process.on('exit', () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  rmSync(tmp, { recursive: true, force: true })
})
process.on('SIGINT', () => process.exit(130))
process.on('SIGTERM', () => process.exit(143))

/**
 * Compiles the repository with tsc into bench/.tmp/build, as `npm run build` does: every server
 * runs compiled JavaScript as a deployment does, with no TypeScript loader thread in its process.
 */
export function build (): void {
  rmSync(buildDir, { recursive: true, force: true })
  const tsc = spawnSync(process.execPath, [join(repoDir, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(repoDir, 'tsconfig.json'), '--noEmit', 'false', '--outDir', buildDir, '--rootDir', repoDir], { stdio: 'inherit' })
  if (tsc.status !== 0) throw new Error('bench: the TypeScript build failed')
  // The server reads its SDL from <root>/schema, next to its code.
  symlinkSync(join(repoDir, 'schema'), join(buildDir, 'schema'))
}

/** The stdout lines of each child, read once and handed to whoever waits (lineOf). */
const readers = new WeakMap<ChildProcess, Set<(line: string) => void>>()
function linesOf (child: ChildProcess): Set<(line: string) => void> {
  let listeners = readers.get(child)
  if (listeners === undefined) {
    const set = new Set<(line: string) => void>()
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => { for (const listener of [...set]) listener(line) })
    readers.set(child, set)
    listeners = set
  }
  return listeners
}

/** Resolves with the next stdout line of `child` that matches `pattern`. */
export async function lineOf (child: ChildProcess, pattern: RegExp, name: string, timeoutMs = 180_000): Promise<string> {
  const listeners = linesOf(child)
  return await new Promise((resolve, reject) => {
    const done = (err?: Error, line?: string) => {
      clearTimeout(timer)
      listeners.delete(listener)
      child.off('error', done).off('exit', exited)
      if (err === undefined) resolve(line as string)
      else reject(err)
    }
    const listener = (line: string) => { if (pattern.test(line)) done(undefined, line.trim()) }
    const exited = (code: number | null) => done(new Error(`${name} exited (${code}) before it answered`))
    const timer = setTimeout(() => done(new Error(`${name} did not answer within ${timeoutMs / 1000} s`)), timeoutMs)
    listeners.add(listener)
    child.once('error', done).once('exit', exited)
  })
}

/** The environment every server starts from: nothing of the caller's `.env` or shell. */
export const baseEnv = () => ({ PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmp, TMPDIR: os.tmpdir(), NODE_ENV: 'production', ...QUIET_SDK })

export interface Started { child: ChildProcess, url: string }

/** Starts the compiled bench/servers/<file> with `env`; resolves with the URL (or, for the emulator, JSON) it prints. */
export async function startServer (file: string, env: Record<string, string>, nodeArgs: string[] = [], timeoutMs?: number): Promise<Started> {
  const child = spawn(process.execPath, [...nodeArgs, join(buildDir, 'bench', 'servers', file.replace(/\.ts$/, '.js'))], {
    cwd: repoDir, env: { ...baseEnv(), ...env }, stdio: ['pipe', 'pipe', 'inherit']
  })
  children.push(child)
  return { child, url: await lineOf(child, /^(http:\/\/127\.0\.0\.1:\d+|\{.*\})$/, file, timeoutMs) }
}

/**
 * Sends one command to a bench server (servers/commands.ts) and resolves with its JSON answer:
 * `cpu-profile-start <µs>`, `cpu-profile-stop <file>`, `cpu` (process.cpuUsage), `gc` (a full garbage
 * collection), `memory` (process.memoryUsage), `gc-memory` (the same after a full garbage collection).
 */
export async function command (child: ChildProcess, line: string, timeoutMs = 60_000): Promise<Record<string, any>> {
  const answer = lineOf(child, /^\{"reply":/, `the answer to "${line}"`, timeoutMs)
  child.stdin?.write(`${line}\n`)
  return JSON.parse(await answer) as Record<string, any>
}

export async function stop (child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = once(child, 'exit')
  if (child.stdin !== null) child.stdin.end() // the servers close themselves (and write a --cpu-prof)
  else child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
  await exited
  clearTimeout(timer)
}

export async function freePort (): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  server.close()
  return port
}

/** MiB of a process's VmRSS (now) or VmHWM (its peak so far), from /proc; NaN where there is no /proc. */
export function memoryOf (pid: number | undefined, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const kb = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]
    return kb === undefined ? NaN : Number(kb) / 1024
  } catch {
    return NaN
  }
}

/** CPU time in clock ticks of the whole machine (busy, total), from /proc/stat. */
export function machineTicks (): { busy: number, total: number } {
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, ...rest] = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').split(/\s+/).slice(1, 9).map(Number)
  const total = user + nice + system + idle + iowait + rest.reduce((x, y) => x + y, 0) // + irq, softirq, steal
  return { busy: total - idle - iowait, total }
}

/** Clock ticks per second (USER_HZ), for processTicks. */
export const TICKS_PER_SECOND = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100

/** A process's CPU time (user + system, all its threads) in clock ticks, from /proc. */
export function processTicks (pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? []
    return Number(fields[11]) + Number(fields[12]) // utime, stime
  } catch {
    return NaN
  }
}

/** A redis-server on a free port, without persistence; `extra` for more options (cluster mode). */
export async function startRedis (extra: string[] = [], dir = tmp): Promise<{ child: ChildProcess, port: number }> {
  const port = await freePort()
  const child = spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no', '--dir', dir, ...extra], { stdio: ['ignore', 'pipe', 'inherit'] })
  children.push(child)
  await lineOf(child, /ready to accept connections/i, 'redis-server', 10_000)
  return { child, port }
}
