// The package as an app installs it: packed into its tarball (its prepare script builds dist/),
// installed with npm into a fresh directory, and that app run on plain Node (no tsx) and driven over HTTP with a cookie jar.
// Shared by test/package.test.ts and test/example-app.test.ts.
import { spawn, type ChildProcess } from 'node:child_process'
import { createHash } from 'node:crypto'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Test } from 'tap'

export const root = join(import.meta.dirname, '..')
export const ourPackage = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string, version: string, devDependencies: Record<string, string> }

export type Tap = Pick<Test, 'teardown'>

/** The environment of a child: ours without the test runner's loaders (the app runs on plain Node). */
export function childEnv (extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && key !== 'NODE_OPTIONS' && !key.startsWith('TAP') && !key.startsWith('_TAPJS')) env[key] = value
  }
  return { ...env, ...extra }
}

/** Runs a command to its end; rejects with its output when it fails. */
export function run (command: string, args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk) => { output += String(chunk) })
    child.stderr.on('data', (chunk) => { output += String(chunk) })
    child.on('error', reject)
    child.on('close', (code) => code === 0 ? resolve(output) : reject(new Error(`${command} ${args.join(' ')} failed (${code}):\n${output}`)))
  })
}

/** What the tarball is made of: a hash of every file `npm pack` builds from or packs (the tests of one run share one build). */
function sourcesHash (): string {
  const hash = createHash('sha256')
  const files = ['package.json', 'tsconfig.json', 'tsconfig.build.json', 'README.md', 'LICENSE',
    ...readdirSync(join(root, 'src'), { recursive: true, encoding: 'utf8' }).map((file) => join('src', file)),
    ...readdirSync(join(root, 'schema')).map((file) => join('schema', file))]
  for (const file of files.sort()) {
    const path = join(root, file)
    if (existsSync(path) && statSync(path).isFile()) hash.update(file).update(readFileSync(path))
  }
  return hash.digest('hex').slice(0, 16)
}

/**
 * `npm pack` (its `prepare` script builds dist/ first) into a fresh directory (removed at
 * teardown): that directory and the tarball's path. The tarball of the same sources is packed
 * once and kept in the system's temporary directory: both package tests of a run use one build.
 */
export async function packPackage (t: Tap): Promise<{ work: string, tarball: string }> {
  const work = mkdtempSync(join(tmpdir(), 'cognito-graphql-auth-package-'))
  t.teardown(() => rmSync(work, { recursive: true, force: true }))
  const name = `${ourPackage.name}-${ourPackage.version}.tgz`
  const cached = join(tmpdir(), `cognito-graphql-auth-packed-${sourcesHash()}.tgz`)
  // Both package tests build into the one dist/: tap runs them in parallel, so one at a time.
  await exclusively(async () => {
    if (existsSync(cached)) return
    await run('npm', ['pack', '--pack-destination', work], root)
    copyFileSync(join(work, name), `${cached}.part`)
    renameSync(`${cached}.part`, cached)
  })
  copyFileSync(cached, join(work, name))
  return { work, tarball: join(work, name) }
}

/** Runs `fn` while holding a lock of this checkout (a directory, atomic to create); a lock older than five minutes is stale. */
export async function exclusively<T> (fn: () => Promise<T>): Promise<T> {
  const lock = join(tmpdir(), `cognito-graphql-auth-pack-${createHash('sha256').update(root).digest('hex').slice(0, 12)}.lock`)
  for (;;) {
    try {
      mkdirSync(lock)
      break
    } catch {
      const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now())
      if (age > 300_000) rmSync(lock, { recursive: true, force: true })
      else await sleep(250)
    }
  }
  try {
    return await fn()
  } finally {
    rmSync(lock, { recursive: true, force: true })
  }
}

/** `npm install` in `dir` from the cache where it can; why not, when npm cannot install offline. */
export async function npmInstall (dir: string, packages: string[] = []): Promise<{ skip: string } | undefined> {
  try {
    await run('npm', ['install', ...packages, '--prefer-offline', '--no-audit', '--no-fund'], dir)
    return undefined
  } catch (err) {
    return { skip: `npm could not install the tarball offline: ${(err as Error).message.slice(0, 500)}` }
  }
}

/** A running app: the first match of what it printed when ready, its output so far, the process. */
export interface Started {
  match: RegExpExecArray
  logs: () => string
  /** Its output once it matches `pattern` (a log line is written after the response that caused it). */
  waitFor: (pattern: RegExp, ms?: number) => Promise<string>
  child: ChildProcess
}

/**
 * Runs `node <args>` in `dir` (killed at teardown) until its output matches `ready`; rejects
 * with its output when it exits first, or after a minute.
 */
/** Ends the process group we started (its leader's pid); gone already is fine. */
function endGroup (pid: number | undefined): void {
  if (pid === undefined) return
  try { process.kill(-pid, 'SIGTERM') } catch {}
}

export function startNode (t: Tap, dir: string, args: string[], env: Record<string, string>, ready: RegExp): Promise<Started> {
  // A process group of its own: `node --run` leaves its script running when it is killed alone,
  // and the script's pipes would keep this test file open.
  const child = spawn(process.execPath, args, { cwd: dir, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'], detached: true })
  t.teardown(() => { endGroup(child.pid) })
  let output = ''
  return new Promise((resolve, reject) => {
    const logs = () => output
    const waitFor = async (pattern: RegExp, ms = 10_000) => {
      const until = Date.now() + ms
      while (!pattern.test(output) && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20))
      return output
    }
    const timer = setTimeout(() => reject(new Error(`the app did not start:\n${output}`)), 60_000)
    const read = (chunk: Buffer) => {
      output += String(chunk)
      const match = ready.exec(output)
      if (match !== null) { clearTimeout(timer); resolve({ match, logs, waitFor, child }) }
    }
    child.stdout.on('data', read)
    child.stderr.on('data', read)
    child.on('exit', (code) => { clearTimeout(timer); if (!ready.test(output)) reject(new Error(`the app exited (${code}):\n${output}`)) })
  })
}
