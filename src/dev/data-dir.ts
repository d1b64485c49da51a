// What the embedded emulator leaves in its data directory for other processes of the same user
// (`npm run admin`, `npm run provision`): where it listens while it runs, and the credentials its
// admin operations require. Light on purpose: the scripts read it without loading the emulator.
import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

/** Written while the emulator runs, removed when it stops (it listens on a random port). */
export const EMULATOR_ADDRESS_FILE = 'emulator.json'

/** Generated with the data directory (mode 0600) and kept: what `Admin*` and the other IAM operations are signed with. */
export const ADMIN_CREDENTIALS_FILE = 'admin-credentials.json'

/** Where a running embedded emulator can be reached (`<EMULATOR_DATA_DIR>/emulator.json`). */
export interface EmulatorAddress {
  endpoint: string
  region: string
  userPoolId: string
  clientId: string
}

/** AWS-style credentials: the SDK signs requests with them (SigV4), the emulator checks the signature. */
export interface AdminCredentials {
  accessKeyId: string
  secretAccessKey: string
}

function parseCredentials (file: string, text: string): AdminCredentials {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    value = undefined
  }
  const { accessKeyId, secretAccessKey } = (value ?? {}) as Partial<AdminCredentials>
  if (typeof accessKeyId !== 'string' || accessKeyId === '' || typeof secretAccessKey !== 'string' || secretAccessKey.length < 20) {
    throw new Error(`${file} does not hold the emulator's admin credentials (delete it to have new ones generated)`)
  }
  return { accessKeyId, secretAccessKey }
}

/** Loads the data directory's admin credentials, or generates them (mode 0600) the first time. */
export async function loadOrCreateAdminCredentials (dataDir: string): Promise<AdminCredentials> {
  const file = join(dataDir, ADMIN_CREDENTIALS_FILE)
  try {
    return parseCredentials(file, await readFile(file, 'utf8'))
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
  }
  const created: AdminCredentials = {
    accessKeyId: `LOCAL${randomBytes(8).toString('hex').toUpperCase()}`,
    secretAccessKey: randomBytes(30).toString('base64url')
  }
  try {
    await writeFile(file, JSON.stringify(created, null, 2) + '\n', { mode: 0o600, flag: 'wx' })
    return created
  } catch (err) {
    // Another process of the same directory got there first: theirs is the one.
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return parseCredentials(file, await readFile(file, 'utf8'))
    throw err
  }
}

/** The admin credentials of the emulator of `dataDir`, if it ever ran there. */
export function readAdminCredentials (dataDir: string): AdminCredentials | undefined {
  const file = join(dataDir, ADMIN_CREDENTIALS_FILE)
  return existsSync(file) ? parseCredentials(file, readFileSync(file, 'utf8')) : undefined
}

/** Where the emulator of `dataDir` listens, if it is running. */
export function readEmulatorAddress (dataDir: string): EmulatorAddress | undefined {
  const file = join(dataDir, EMULATOR_ADDRESS_FILE)
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) as EmulatorAddress : undefined
}
