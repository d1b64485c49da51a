// The development server's memory under load, split by suspect: the same 50-client load (as the
// soak: `me`, every 50th request a refresh) on src/server.ts in development, run under tsx or
// compiled, with the embedded emulator in its process or the bench's emulator in its own, and with
// its request lines to the pretty printer or not. Each variant reports its RSS, its own account of
// its memory (heap, external; a preloaded probe answers the bench's `memory` commands), its live
// heap after a full GC at the end, and the outside emulator's RSS when it uses that one.
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { CONFIRM_SIGN_UP, gql, PASSWORD, SIGN_UP, signIn, type Jar } from './client.ts'
import { baseEnv, buildDir, children, command, freePort, memoryOf, repoDir, tmp } from './processes.ts'
import { describeSoak, growthOf, soak, type MemoryUsage, type Soak } from './soak.ts'

interface Variant { name: string, tsx: boolean, embedded: boolean, env?: Record<string, string> }
/** The suspects, one change at a time from what `npm start` runs. */
export const VARIANTS: Variant[] = [
  { name: 'as `npm start` runs it: tsx, the emulator in-process', tsx: true, embedded: true },
  { name: 'tsx, the emulator in its own process', tsx: true, embedded: false },
  { name: 'compiled, the emulator in-process', tsx: false, embedded: true },
  { name: 'compiled, the emulator in its own process', tsx: false, embedded: false },
  { name: 'compiled, the emulator in its own process, LOG_LEVEL=warn (no request line to the pretty printer)', tsx: false, embedded: false, env: { LOG_LEVEL: 'warn' } }
]

export interface DevGrowth { variant: Variant, soak?: Soak, collected?: MemoryUsage, emulatorRss?: [number, number], error?: string }
export interface DevGrowthOptions {
  seconds: number
  rate: number
  /** The bench's emulator (its own process) as a configured pool, with its admin credentials; its pid for its RSS. */
  external: Record<string, string>
  emulatorPid?: number
  /** A confirmed user of that emulator. */
  email: string
  log: (line: string) => void
  /** 1-based variant numbers to run (BENCH_DEV_VARIANTS); all by default. */
  only?: number[]
}

const MiB = 2 ** 20

/** Starts src/server.ts in development with the probe preloaded; resolves once /health answers. */
async function startDev (variant: Variant, options: DevGrowthOptions, index: number): Promise<{ child: ChildProcess, url: string }> {
  const port = await freePort()
  const probe = join(buildDir, 'bench', 'servers', 'memory-probe.js')
  // tsx as `npm start` loads it (its CLI adds only a small parent process that relays signals).
  const entry = variant.tsx ? ['--import', pathToFileURL(join(repoDir, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href, join(repoDir, 'src', 'server.ts')] : [join(buildDir, 'src', 'server.js')]
  const env = {
    ...baseEnv(),
    NODE_ENV: 'development',
    HOST: '127.0.0.1',
    PORT: String(port),
    EMULATOR_DATA_DIR: join(tmp, `dev-${index}`),
    RATE_LIMITS: '{"signIn.address":{"max":100000},"refresh.address":{"max":100000}}',
    ...(variant.embedded ? {} : options.external),
    ...variant.env
  }
  // cwd: a directory of its own, so that no .env of the repository is read: the environment is given whole.
  const cwd = join(tmp, `dev-${index}-cwd`)
  mkdirSync(cwd, { recursive: true })
  const child = spawn(process.execPath, ['--import', probe, ...entry], { cwd, env, stdio: ['pipe', 'pipe', 'inherit'] })
  children.push(child)
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 180_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the development server exited (${child.exitCode})`)
    const ok = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) }).then((r) => r.ok, () => false)
    if (ok) return { child, url }
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
  throw new Error('the development server did not answer /health within 180 s')
}

/** A confirmed user on a server with the embedded emulator: signUp, the code from /dev/mailbox, confirmSignUp. */
async function confirmedUser (url: string): Promise<string> {
  const email = `dev.${Date.now()}@example.com`
  await gql(url, SIGN_UP, { email, password: PASSWORD })
  const mails = await (await fetch(`${url}/dev/mailbox?to=${encodeURIComponent(email)}`)).json() as Array<{ code: string }>
  const confirmed = await gql(url, CONFIRM_SIGN_UP, { email, code: mails[0]?.code ?? '' })
  if (confirmed.data?.confirmSignUp == null) throw new Error(`confirmSignUp failed: ${confirmed.text}`)
  return email
}

async function terminate (child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = once(child, 'exit')
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000)
  await exited
  clearTimeout(timer)
}

export async function devGrowth (options: DevGrowthOptions): Promise<DevGrowth[]> {
  const results: DevGrowth[] = []
  for (const [i, variant] of VARIANTS.entries()) {
    if (options.only !== undefined && !options.only.includes(i + 1)) continue
    const result: DevGrowth = { variant }
    results.push(result)
    let child: ChildProcess | undefined
    try {
      const dev = await startDev(variant, options, i)
      child = dev.child
      const email = variant.embedded ? await confirmedUser(dev.url) : options.email
      const jars: Jar[] = []
      for (let n = 0; n < 50; n++) jars.push(await signIn(dev.url, email))
      const emulatorBefore = memoryOf(options.emulatorPid, 'VmRSS')
      result.soak = await soak({ url: dev.url, child, jars, seconds: options.seconds, rate: options.rate, reportsMemory: true })
      if (!variant.embedded) result.emulatorRss = [emulatorBefore, memoryOf(options.emulatorPid, 'VmRSS')]
      const collected = await command(child, 'gc-memory', 30_000)
      result.collected = { rss: collected.rss / MiB, heapTotal: collected.heapTotal / MiB, heapUsed: collected.heapUsed / MiB, external: collected.external / MiB, arrayBuffers: collected.arrayBuffers / MiB }
      options.log(`development server, ${variant.name}: RSS ${result.soak.rssAfterWarmup.toFixed(0)} → ${result.soak.rssEnd.toFixed(0)} MiB (${(100 * growthOf(result.soak)).toFixed(1)}%), live heap after GC ${result.collected.heapUsed.toFixed(0)} MiB`)
    } catch (err) {
      result.error = (err as Error).message
      options.log(`development server, ${variant.name}: failed: ${result.error}`)
    } finally {
      if (child !== undefined) await terminate(child)
    }
  }
  return results
}

const fixed = (value: number | undefined, digits = 0) => value !== undefined && Number.isFinite(value) ? value.toFixed(digits) : 'n/a'

/** The report's section: one row per variant, then each variant's soak. */
export function describeDev (results: DevGrowth[]): string[] {
  const lines = ['## The development server under load', '',
    'src/server.ts with NODE_ENV=development (pretty log lines through pino-pretty\'s worker, one per request at info), 50 clients as in the soak, each variant in turn; RSS in MiB. ' +
    '"Live heap" is the JavaScript heap in use right after a full GC at the end (what objects are alive); "rest" is RSS minus the heap V8 holds and external memory: code, stacks, other threads (tsx\'s loader, the pretty printer\'s worker), malloc.', '',
    '| variant | RSS after warm-up → end | growth | highest | heap used / held at the end | external | rest at the end | live heap after GC | the emulator process (own) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |']
  for (const { variant, soak: s, collected, emulatorRss, error } of results) {
    if (s === undefined) { lines.push(`| ${variant.name} | failed: ${error ?? 'unknown'} | | | | | | | |`); continue }
    const end = s.usage.end
    lines.push(`| ${variant.name} | ${fixed(s.rssAfterWarmup)} → ${fixed(s.rssEnd)} | ${fixed(100 * growthOf(s), 1)}% | ${fixed(s.rssMax)} | ${fixed(end?.heapUsed)} / ${fixed(end?.heapTotal)} | ${fixed(end?.external)} | ${end === undefined ? 'n/a' : fixed(end.rss - end.heapTotal - end.external)} | ${fixed(collected?.heapUsed)} | ${emulatorRss === undefined ? 'in-process' : `${fixed(emulatorRss[0])} → ${fixed(emulatorRss[1])}`} |`)
  }
  for (const { variant, soak: s } of results) if (s !== undefined) lines.push('', ...describeSoak(s, variant.name))
  return lines
}
