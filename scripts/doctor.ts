// `npm run doctor [-- --json]`: whether the server's features work on the configured user pool and
// app client, feature by feature, read with the admin credentials (read-only: it never changes the
// pool). The pool is the server's (COGNITO_* variables, `.env` in development), or with none
// configured the embedded emulator of a running `npm start`, found as `npm run admin` finds it.
// Exit 0: nothing needs a change; 1: something does; 2: the pool could not be read at all.
import '../src/node-version.ts'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { loadConfig, type Config } from '../src/config.ts'
import { ADMIN_CREDENTIALS_FILE, readAdminCredentials, readEmulatorAddress } from '../src/dev/data-dir.ts'
import { diagnose, exitCodeOf, formatText } from '../src/doctor/doctor.ts'
import type { DoctorTarget } from '../src/doctor/feature.ts'
import { cognitoClient, emulatorCredentials, loadDotEnv, type PoolTarget } from './admin.ts'

const USAGE = `usage: npm run doctor [-- --json]

Reads the configured user pool and app client (COGNITO_USER_POOL_ID, COGNITO_CLIENT_ID, COGNITO_REGION,
COGNITO_ENDPOINT; AWS credentials from the SDK's chain) and says for every feature of the server whether it
works there, is off, or needs a change, and the change. Without a configured pool: the embedded emulator of
a running \`npm start\` (EMULATOR_DATA_DIR). Read-only. Exit 0: nothing to change; 1: something to change.`

/** The pool and client to read, and the credentials to read them with (undefined: the SDK's chain). */
export function doctorTarget (config: Config, env: Record<string, string | undefined>): { target: DoctorTarget, credentials: PoolTarget['credentials'] } {
  if (config.pool !== undefined) {
    const { region, userPoolId, clientId, clientSecret, endpoint } = config.pool
    return {
      target: { region, userPoolId, clientId, ...(clientSecret === undefined ? {} : { clientSecret }), ...(endpoint === undefined ? {} : { endpoint }), embedded: false },
      credentials: emulatorCredentials(endpoint, env)
    }
  }
  const dataDir = config.emulator.dataDir
  const running = readEmulatorAddress(dataDir)
  if (running === undefined) {
    throw new Error('no user pool: set COGNITO_USER_POOL_ID and COGNITO_CLIENT_ID (with COGNITO_ENDPOINT for an emulator), or start the server with its embedded emulator (npm start)')
  }
  const credentials = readAdminCredentials(dataDir)
  if (credentials === undefined) throw new Error(`${dataDir} has the emulator's address but no ${ADMIN_CREDENTIALS_FILE}: restart the server (npm start)`)
  return { target: { region: running.region, userPoolId: running.userPoolId, clientId: running.clientId, endpoint: running.endpoint, embedded: true }, credentials }
}

/** Runs the doctor on `env` and writes its report to `out`; resolves to the exit code. */
export async function runDoctor (args: string[], env: Record<string, string | undefined>, out: (text: string) => void, err: (text: string) => void): Promise<number> {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } } })
  if (values.help) {
    out(USAGE)
    return 0
  }
  let cognito: ReturnType<typeof cognitoClient> | undefined
  try {
    const config = loadConfig(env)
    const { target, credentials } = doctorTarget(config, env)
    cognito = cognitoClient({ region: target.region, endpoint: target.endpoint, ...(credentials === undefined ? {} : { credentials }) })
    const report = await diagnose(cognito, config, target)
    out(values.json ? JSON.stringify(report, null, 2) : formatText(report))
    return exitCodeOf(report)
  } catch (e) {
    err(`doctor: ${(e as Error).message}`)
    return 2
  } finally {
    cognito?.destroy()
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  loadDotEnv()
  process.exitCode = await runDoctor(process.argv.slice(2), process.env, (text) => console.log(text), (text) => console.error(text))
}
