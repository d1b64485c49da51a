// What a bench server answers on stdin, one command a line, one JSON line `{"reply":…}` back on
// stdout: CPU profiles of a chosen stretch (node:inspector, so that start-up stays out of them),
// its CPU time so far (process.cpuUsage, µs), a full garbage collection (`gc`), and its memory by
// kind (process.memoryUsage), optionally after a full GC (`gc-memory`).
import { writeFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'
import { createInterface } from 'node:readline'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

let session: Session | undefined

/** A full garbage collection: with --expose-gc, or by exposing it now (V8 lets a flag be set at run time, and a new context then sees gc). */
function collect (): void {
  let gc = (globalThis as { gc?: () => void }).gc
  if (gc === undefined) {
    setFlagsFromString('--expose-gc')
    gc = runInNewContext('gc') as () => void
  }
  gc()
}

/** A server's own commands, beside the common ones: name → its answer. */
export type Commands = Record<string, () => Record<string, unknown>>

async function answer (line: string, extra: Commands): Promise<Record<string, unknown>> {
  const [name = '', argument = ''] = line.trim().split(/\s+/, 2)
  const own = extra[name]
  if (own !== undefined) return { reply: name, ...own() }
  if (name === 'cpu-profile-start') {
    session = new Session()
    session.connect()
    await session.post('Profiler.enable')
    // Microseconds between samples: finer than the default 1000 for calls that take milliseconds.
    await session.post('Profiler.setSamplingInterval', { interval: Number(argument) || 100 })
    await session.post('Profiler.start')
    return { reply: name }
  }
  if (name === 'cpu-profile-stop') {
    if (session === undefined) throw new Error('no profile was started')
    const { profile } = await session.post('Profiler.stop')
    session.disconnect()
    session = undefined
    writeFileSync(argument, JSON.stringify(profile))
    return { reply: name, file: argument }
  }
  if (name === 'cpu') return { reply: name, ...process.cpuUsage() }
  if (name === 'gc') {
    collect()
    return { reply: name }
  }
  if (name === 'memory' || name === 'gc-memory') {
    if (name === 'gc-memory') collect()
    return { reply: name, ...process.memoryUsage() }
  }
  throw new Error(`unknown command "${name}"`)
}

/** Answers the parent's commands on stdin until it closes. */
export function answerCommands (extra: Commands = {}): void {
  createInterface({ input: process.stdin }).on('line', (line) => {
    answer(line, extra).then(
      (reply) => process.stdout.write(`${JSON.stringify(reply)}\n`),
      (err: Error) => process.stdout.write(`${JSON.stringify({ reply: 'error', message: err.message })}\n`))
  })
}
