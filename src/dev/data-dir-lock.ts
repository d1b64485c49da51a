// One process per emulator data directory: `npm start`, `npm run emulator` and
// `npm run emulator:reset` each hold `<dir>/lock.json` while they use it. A second one is refused
// with a line naming the holder; a lock whose process is gone (a crash, a kill -9) is taken over.
// The lock names the holder's process, not an address: a server that hangs still holds it.
import { randomUUID } from 'node:crypto'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { StartRefused } from '../start-refused.ts'

export const LOCK_FILE = 'lock.json'

/** What the lock file says about its holder. */
export interface LockHolder {
  pid: number
  /** What holds it: `npm start`, `npm run emulator` … */
  command: string
  /** ISO 8601 */
  since: string
  /** Where the holder serves, once it listens (the server's browser address). */
  url?: string
  /** Tells one holder's lock from another's of the same process (tests run several servers). */
  token: string
}

/** A data directory another live process holds. */
export class DataDirInUse extends StartRefused {
  override name = 'DataDirInUse'
  readonly dataDir: string
  readonly holder: LockHolder
  constructor (dataDir: string, holder: LockHolder) {
    super(`${dataDir} is in use by ${describeHolder(holder)}: stop it first, or set EMULATOR_DATA_DIR to another directory`)
    this.dataDir = dataDir
    this.holder = holder
  }
}

export function describeHolder (holder: LockHolder): string {
  return `${holder.command} (pid ${holder.pid}${holder.url === undefined ? '' : `, ${holder.url}`}, since ${holder.since})`
}

/** Whether process `pid` runs: signal 0 checks without sending anything (EPERM: it runs as another user). */
function alive (pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * The holder of `dataDir`'s lock while it holds it; undefined when unlocked or the holder is gone.
 * A lock naming this very process but none of the locks it holds is a previous life's (a restarted
 * container is pid 1 again).
 */
export function lockHolder (dataDir: string): LockHolder | undefined {
  let holder: LockHolder
  try {
    holder = JSON.parse(readFileSync(join(dataDir, LOCK_FILE), 'utf8')) as LockHolder
  } catch {
    return undefined // none, or torn by a crash mid-write: nobody holds it
  }
  if (!Number.isInteger(holder.pid)) return undefined
  if (holder.pid === process.pid) return held.has(holder.token) ? holder : undefined
  return alive(holder.pid) ? holder : undefined
}

/** The locks this process holds: a process that exits without closing (process.exit after a failed start) leaves none behind. */
const held = new Map<string, () => void>()
let exitHooked = false
function releaseAll (): void {
  for (const release of held.values()) release()
  held.clear()
}

/** A held lock: `describe` adds where the holder serves; `release` gives it up (only if it is still ours). */
export interface DataDirLock {
  holder: LockHolder
  describe (url: string): void
  release (): void
}

/**
 * Takes `dataDir`'s lock for `command`, or throws DataDirInUse naming the live holder; a lock whose
 * holder is gone is taken over. The file is created exclusively, so two starts cannot both win.
 */
export function acquireDataDirLock (dataDir: string, command: string): DataDirLock {
  const file = join(dataDir, LOCK_FILE)
  const holder: LockHolder = { pid: process.pid, command, since: new Date().toISOString(), token: randomUUID() }
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(file, JSON.stringify(holder, null, 2) + '\n', { mode: 0o600, flag: 'wx' })
      break
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 2) throw err
    }
    const current = lockHolder(dataDir)
    if (current !== undefined) throw new DataDirInUse(dataDir, current)
    rmSync(file, { force: true })
  }
  const ours = () => {
    try {
      return (JSON.parse(readFileSync(file, 'utf8')) as LockHolder).token === holder.token
    } catch {
      return false
    }
  }
  const release = () => { if (ours()) rmSync(file, { force: true }) }
  if (!exitHooked) process.once('exit', releaseAll)
  exitHooked = true
  held.set(holder.token, release)
  return {
    holder,
    describe (url) {
      holder.url = url
      if (ours()) writeFileSync(file, JSON.stringify(holder, null, 2) + '\n', { mode: 0o600 })
    },
    release () {
      held.delete(holder.token)
      release()
    }
  }
}
