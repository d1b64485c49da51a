// The package as an app installs it: packed into its tarball (its prepare script builds dist/),
// installed by npm once per state of the sources (a fresh app directory links that tree), and that
// app run on plain Node (no tsx) and driven over HTTP with a cookie jar.
// Shared by test/package.test.ts and test/example-app.test.ts.
import { spawn, type ChildProcess } from 'node:child_process'
import { createHash } from 'node:crypto'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs'
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

/** This checkout, in the names of what it keeps in the system's temporary directory. */
const checkout = createHash('sha256').update(root).digest('hex').slice(0, 12)
/** The sources' hash dist/ was last built from (npm's cache directory is ignored by git and by `npm pack`). */
const BUILT = join(root, 'node_modules', '.cache', 'cognito-graphql-auth-dist.hash')

function markBuilt (hash: string): void {
  mkdirSync(join(BUILT, '..'), { recursive: true })
  writeFileSync(BUILT, hash)
}

/** The tarball of these sources, packed once (`npm pack`, whose `prepare` builds dist/) and kept. Under `exclusively`. */
async function packed (hash: string): Promise<string> {
  const tarball = join(tmpdir(), `cognito-graphql-auth-packed-${hash}.tgz`)
  if (existsSync(tarball)) return tarball
  const work = mkdtempSync(join(tmpdir(), 'cognito-graphql-auth-packing-'))
  try {
    await run('npm', ['pack', '--pack-destination', work], root)
    markBuilt(hash)
    copyFileSync(join(work, `${ourPackage.name}-${ourPackage.version}.tgz`), `${tarball}.part`)
    renameSync(`${tarball}.part`, tarball)
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
  return tarball
}

/**
 * The checkout's dist/ built from its current sources: by the pack of these sources, or by
 * `npm run build` when they changed since (what the link's `prepare` would build). Under `exclusively`.
 */
export async function ensureBuilt (): Promise<void> {
  const hash = sourcesHash()
  if (existsSync(join(root, 'dist', 'server.js')) && existsSync(BUILT) && readFileSync(BUILT, 'utf8') === hash) return
  await run('npm', ['run', 'build'], root)
  markBuilt(hash)
}

/**
 * examples/app's dependencies with the package from its tarball, installed by npm once per state
 * of the sources (both package tests and every app they start use it): the installed directory,
 * or why not. An older tree of this checkout is removed. Under `exclusively`.
 */
async function installedTree (hash: string): Promise<string | { skip: string }> {
  const tree = join(tmpdir(), `cognito-graphql-auth-installed-${checkout}-${hash}`)
  if (existsSync(join(tree, 'node_modules'))) return tree
  const tarball = await packed(hash)
  for (const name of readdirSync(tmpdir())) {
    if (name.startsWith(`cognito-graphql-auth-installed-${checkout}-`)) rmSync(join(tmpdir(), name), { recursive: true, force: true })
  }
  const manifest = JSON.parse(readFileSync(join(root, 'examples', 'app', 'package.json'), 'utf8')) as { dependencies: Record<string, string> }
  manifest.dependencies[ourPackage.name] = `file:${tarball}`
  const part = `${tree}.part`
  mkdirSync(part)
  writeFileSync(join(part, 'package.json'), JSON.stringify(manifest, null, 2))
  const skip = await npmInstall(part)
  if (skip !== undefined) {
    rmSync(part, { recursive: true, force: true })
    return skip
  }
  renameSync(part, tree)
  return tree
}

/**
 * A fresh app directory (removed at teardown) whose node_modules is the tree npm installed from
 * the packed tarball (see installedTree), with that tree's package.json; why not, when npm cannot
 * install offline. The app's own files go into the directory, never into the shared tree.
 */
export async function installedApp (t: Tap): Promise<{ dir: string } | { skip: string }> {
  const hash = sourcesHash()
  const tree = await exclusively(async () => await installedTree(hash))
  if (typeof tree !== 'string') return tree
  const work = mkdtempSync(join(tmpdir(), 'cognito-graphql-auth-package-'))
  t.teardown(() => rmSync(work, { recursive: true, force: true }))
  const dir = join(work, 'app')
  mkdirSync(dir)
  copyFileSync(join(tree, 'package.json'), join(dir, 'package.json'))
  symlinkSync(join(tree, 'node_modules'), join(dir, 'node_modules'), 'dir')
  return { dir }
}

/** Runs `fn` while holding a lock of this checkout (a directory, atomic to create); a lock older than five minutes is stale. */
export async function exclusively<T> (fn: () => Promise<T>): Promise<T> {
  const lock = join(tmpdir(), `cognito-graphql-auth-pack-${checkout}.lock`)
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
  // A pack and an install can outlast the stale age on a loaded machine: the holder keeps it fresh.
  const fresh = setInterval(() => { try { utimesSync(lock, new Date(), new Date()) } catch {} }, 30_000)
  try {
    return await fn()
  } finally {
    clearInterval(fresh)
    rmSync(lock, { recursive: true, force: true })
  }
}

/** `npm install` in `dir` from the cache where it can; why not, when npm cannot install offline. */
export async function npmInstall (dir: string, packages: string[] = [], options: string[] = []): Promise<{ skip: string } | undefined> {
  try {
    await run('npm', ['install', ...packages, ...options, '--prefer-offline', '--no-audit', '--no-fund'], dir)
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
