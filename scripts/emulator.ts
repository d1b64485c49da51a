// `npm run emulator`: the embedded Cognito emulator on its own, for a server configured as for any
// Cognito-compatible endpoint (COGNITO_ENDPOINT, COGNITO_JWKS_URI), a second server, or another
// app. It prints the variables to use, prints every code it would email, and runs until
// interrupted. Its state is EMULATOR_DATA_DIR's (default .cognito-local), as for `npm start`:
// the same users, signing key and admin credentials, so `npm run admin` finds it too.
import '../src/node-version.ts'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { pino } from 'pino'
import { EMULATOR_ADDRESS_FILE, type EmulatorAddress } from '../src/dev/data-dir.ts'
import { acquireDataDirLock } from '../src/dev/data-dir-lock.ts'
import { startEmulator, type Emulator } from '../src/dev/emulator.ts'
import { Mailbox, purposeOf, type MailboxMessage } from '../src/dev/mailbox.ts'

/** cognito-local's usual port. */
const DEFAULT_PORT = 9229

/** A mailbox that also prints each code as it is sent (no /dev/mailbox without the server). */
class PrintingMailbox extends Mailbox {
  private readonly print: (line: string) => void
  constructor (print: (line: string) => void) {
    super()
    this.print = print
  }

  override push (message: MailboxMessage): void {
    super.push(message)
    this.print(`${purposeOf(message.source)} for ${message.to}: ${message.code}`)
  }
}

/** The variables a server (or the AWS SDK) needs to use `emulator`, as `NAME=value` lines. */
export function variablesOf (emulator: Emulator): string[] {
  return [
    `COGNITO_ENDPOINT=${emulator.endpoint}`,
    `COGNITO_REGION=${emulator.region}`,
    `COGNITO_USER_POOL_ID=${emulator.userPoolId}`,
    `COGNITO_CLIENT_ID=${emulator.clientId}`,
    // The app client has no secret: COGNITO_CLIENT_SECRET stays unset.
    `COGNITO_JWKS_URI=${emulator.endpoint}/${emulator.userPoolId}/.well-known/jwks.json`,
    // The admin operations are signed (SigV4) with these, as with an IAM user's keys on AWS.
    `AWS_ACCESS_KEY_ID=${emulator.credentials.accessKeyId}`,
    `AWS_SECRET_ACCESS_KEY=${emulator.credentials.secretAccessKey}`,
    `AWS_REGION=${emulator.region}`
  ]
}

export interface StandaloneEmulator {
  emulator: Emulator
  /** Stops the emulator and forgets its address file. */
  close: () => Promise<void>
}

/**
 * Starts the emulator of EMULATOR_DATA_DIR on 127.0.0.1:`port` (0: any free port) and writes
 * its address file, as the server does; refuses a directory another live process holds (DataDirInUse).
 */
export async function startStandalone (env: Record<string, string | undefined>, port: number, print: (line: string) => void): Promise<StandaloneEmulator> {
  const dataDir = resolve(env.EMULATOR_DATA_DIR ?? '.cognito-local')
  mkdirSync(dataDir, { recursive: true, mode: 0o700 })
  const lock = acquireDataDirLock(dataDir, 'npm run emulator')
  const ttl = env.EMULATOR_TOKEN_TTL === undefined ? undefined : Number(env.EMULATOR_TOKEN_TTL)
  let emulator: Emulator
  try {
    emulator = await startEmulator({
      dataDir,
      port,
      logger: pino({ level: env.LOG_LEVEL ?? 'warn' }),
      mailbox: new PrintingMailbox(print),
      accessTokenTtlSeconds: Number.isInteger(ttl) && (ttl as number) > 0 ? ttl : undefined,
      groups: [...new Set(['admin', env.ADMIN_GROUP ?? 'admin'])],
      // Passkeys come from the pages of the server it serves, read from the same variables the server reads.
      webAuthnOrigins: [env.PUBLIC_ORIGIN ?? `http://localhost:${env.PORT ?? 3000}`, ...(env.CORS_ORIGINS ?? '').split(',').map((o) => o.trim()).filter(Boolean)],
      triggers: env.EMULATOR_TRIGGERS
    })
  } catch (err) {
    lock.release()
    throw err
  }
  const addressFile = join(dataDir, EMULATOR_ADDRESS_FILE)
  const address: EmulatorAddress = { endpoint: emulator.endpoint, region: emulator.region, userPoolId: emulator.userPoolId, clientId: emulator.clientId }
  writeFileSync(addressFile, JSON.stringify(address, null, 2) + '\n', { mode: 0o600 })
  lock.describe(emulator.endpoint)
  return {
    emulator,
    async close () {
      rmSync(addressFile, { force: true })
      await emulator.close()
      lock.release()
    }
  }
}

const USAGE = `usage: npm run emulator [-- --port PORT]

Starts the embedded Cognito emulator on its own (127.0.0.1, port ${DEFAULT_PORT} by default; 0 for
any free port), with the state of EMULATOR_DATA_DIR (default .cognito-local), prints the variables
that point a server at it, prints every code it sends, and runs until interrupted (Ctrl-C).
Passkeys are accepted from the server's pages only: PUBLIC_ORIGIN (default http://localhost:3000)
and CORS_ORIGINS, read from the environment as the server reads them.`

/** The CLI: starts the emulator and resolves once it has stopped (0), or with 1 or 2 when it cannot start. */
export async function runEmulator (argv: string[], env: Record<string, string | undefined> = process.env, print: (line: string) => void = console.log, printError: (line: string) => void = console.error): Promise<number> {
  let port = DEFAULT_PORT
  try {
    const { values } = parseArgs({ args: argv, options: { port: { type: 'string' }, help: { type: 'boolean', short: 'h' } } })
    if (values.help === true) {
      print(USAGE)
      return 0
    }
    if (values.port !== undefined) {
      port = Number(values.port)
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`not a port: ${values.port}`)
    }
  } catch (err) {
    printError(`${(err as Error).message}\n\n${USAGE}`)
    return 2
  }
  let standalone: StandaloneEmulator
  try {
    standalone = await startStandalone(env, port, print)
  } catch (err) {
    printError(`the emulator did not start: ${(err as Error).message}`)
    return 1
  }
  print('The Cognito emulator is running. Point a server at it with:\n')
  const { triggers } = standalone.emulator
  if (triggers.length > 0) print(`(Its pools run the Lambda triggers of EMULATOR_TRIGGERS: ${triggers.join(', ')}.)\n`)
  for (const line of variablesOf(standalone.emulator)) print(`  ${line}`)
  print('\n(plus NODE_ENV=production and COOKIE_SECRET for a production build). Codes it sends are printed below. Ctrl-C stops it.')
  await new Promise<void>((resolve) => {
    const stop = () => { resolve() }
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
  await standalone.close()
  return 0
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await runEmulator(process.argv.slice(2))
}
