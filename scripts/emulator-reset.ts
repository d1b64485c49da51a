// `npm run emulator:reset`: empties the embedded emulator's data directory (EMULATOR_DATA_DIR,
// default .cognito-local), so that the next `npm start` begins with a fresh pool. It deletes only
// what the emulator writes there, only from a directory that holds nothing else, and never while
// a server is using it. `--help` says so.
import '../src/node-version.ts'
import { existsSync, readdirSync, realpathSync, rmdirSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { ADMIN_CREDENTIALS_FILE, EMULATOR_ADDRESS_FILE } from '../src/dev/data-dir.ts'
import { acquireDataDirLock, DataDirInUse, describeHolder, LOCK_FILE, type DataDirLock } from '../src/dev/data-dir-lock.ts'

/**
 * What the emulator keeps in its data directory: its store (src/dev/emulator.ts), its signing
 * key (src/dev/tokens.ts), its admin credentials and address (src/dev/data-dir.ts), the
 * development cookie secret (src/dev/plugin.ts); and what a file manager may add.
 */
const STORE = 'db'
const SIGNING_KEY = 'signing-key.json'
const EMULATOR_FILES = new Set([STORE, SIGNING_KEY, ADMIN_CREDENTIALS_FILE, EMULATOR_ADDRESS_FILE, LOCK_FILE, 'cookie-secret', '.DS_Store'])

/** Why a directory is left alone. */
export class ResetRefused extends Error {
  override name = 'ResetRefused'
}

/** Checks that `dataDir` is an emulator's data directory and nothing else; returns the real path of a directory to empty, or undefined when there is nothing to delete. */
function emulatorDirectory (dataDir: string): string | undefined {
  if (!existsSync(dataDir)) return undefined
  const real = realpathSync(dataDir)
  if (!statSync(real).isDirectory()) throw new ResetRefused(`${dataDir} is not a directory`)
  const entries = readdirSync(real)
  if (entries.length === 0) return undefined
  const foreign = entries.filter((name) => !EMULATOR_FILES.has(name))
  if (foreign.length > 0) throw new ResetRefused(`${dataDir} holds more than the emulator's files (${foreign.slice(0, 5).join(', ')}${foreign.length > 5 ? ', …' : ''}): is EMULATOR_DATA_DIR right? Delete it by hand if it is`)
  const store = join(real, STORE)
  if (!existsSync(join(real, SIGNING_KEY)) || !existsSync(store) || !statSync(store).isDirectory()) {
    throw new ResetRefused(`${dataDir} does not look like the emulator's data directory (no ${SIGNING_KEY} and ${STORE}/): is EMULATOR_DATA_DIR right?`)
  }
  const stored = readdirSync(store).filter((name) => !name.endsWith('.json') && name !== '.DS_Store')
  if (stored.length > 0) throw new ResetRefused(`${dataDir}/${STORE} holds more than the emulator's pools (${stored.slice(0, 5).join(', ')}): delete it by hand if it should go`)
  return real
}

/**
 * Deletes the emulator's data directory `dataDir` (its users, signing key, admin credentials and
 * cookie secret: sessions made before are void). Throws ResetRefused, leaving everything in
 * place, for a directory that holds anything else or that a running server is using. A directory
 * that cannot be removed itself (a mount point) is left empty.
 */
export async function resetEmulatorData (dataDir: string): Promise<'deleted' | 'absent'> {
  const real = emulatorDirectory(dataDir)
  if (real === undefined) return 'absent'
  // Held while deleting, so that no server can start on the directory half-way through.
  let lock: DataDirLock
  try {
    lock = acquireDataDirLock(real, 'npm run emulator:reset')
  } catch (err) {
    if (!(err instanceof DataDirInUse)) throw err
    throw new ResetRefused(`${dataDir} is in use by ${describeHolder(err.holder)}: stop it first`)
  }
  for (const name of readdirSync(real)) {
    if (name !== LOCK_FILE) rmSync(join(real, name), { recursive: true, force: true })
  }
  lock.release()
  try {
    rmdirSync(real)
  } catch {
    // A mount point (the container's /data) or a directory we may not remove: empty is enough.
  }
  return 'deleted'
}

const USAGE = `usage: npm run emulator:reset [-- --data-dir DIR]

Deletes the embedded Cognito emulator's data directory (EMULATOR_DATA_DIR, default .cognito-local):
its users, its signing key, its admin credentials and the development cookie secret. The next
\`npm start\` creates a fresh pool; sessions and known devices from before are void.

It refuses a directory that holds anything the emulator does not write, and one that a running
server or emulator holds (<dir>/lock.json names a live process): stop it first.

  --data-dir DIR   the directory to delete (default EMULATOR_DATA_DIR, or .cognito-local)
  -h, --help       this text`

/** The CLI: returns the exit code (0 deleted or nothing to delete, 1 refused, 2 usage). */
export async function runEmulatorReset (argv: string[], env: Record<string, string | undefined> = process.env, print: (line: string) => void = console.log, printError: (line: string) => void = console.error): Promise<number> {
  let values
  try {
    values = parseArgs({ args: argv, options: { 'data-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } } }).values
  } catch (err) {
    printError(`${(err as Error).message}\n\n${USAGE}`)
    return 2
  }
  if (values.help === true) {
    print(USAGE)
    return 0
  }
  const dataDir = values['data-dir'] ?? env.EMULATOR_DATA_DIR ?? '.cognito-local'
  try {
    const outcome = await resetEmulatorData(dataDir)
    print(outcome === 'absent'
      ? `${dataDir}: nothing to delete`
      : `deleted ${dataDir}: the next npm start creates a fresh pool (sign in again; old sessions are void)`)
    return 0
  } catch (err) {
    if (!(err instanceof ResetRefused)) throw err
    printError(`not deleted: ${err.message}`)
    return 1
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // Reads `.env` as the server does in development, for its EMULATOR_DATA_DIR.
  if (process.env.NODE_ENV !== 'production' && existsSync('.env')) process.loadEnvFile('.env')
  process.exitCode = await runEmulatorReset(process.argv.slice(2))
}
