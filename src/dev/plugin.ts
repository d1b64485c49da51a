import { randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { PoolConfig } from '../config.ts'
import { startEmulator } from './emulator.ts'
import type { Mailbox } from './mailbox.ts'

/**
 * Where a running embedded emulator can be reached, written to `<EMULATOR_DATA_DIR>/emulator.json`
 * while it runs: `npm run admin` finds it there (the emulator listens on a random port).
 */
export interface EmulatorAddress {
  endpoint: string
  region: string
  userPoolId: string
  clientId: string
}

export const EMULATOR_ADDRESS_FILE = 'emulator.json'

/** What the rest of the server learns from the embedded emulator: a pool, its keys, dev secrets. */
export interface EmbeddedCognito {
  pool: PoolConfig
  /** The emulator accepts any credentials; these keep the SDK from searching for real ones. */
  credentials: { accessKeyId: string, secretAccessKey: string }
  jwks: { keys: unknown[] }
  /** A cookie secret generated for the data directory, so sessions survive restarts in development. */
  cookieSecret: string
  mailbox: Mailbox
}

declare module 'fastify' {
  interface FastifyInstance {
    emulator?: EmbeddedCognito
  }
}

function cookieSecretFor (dataDir: string): string {
  const file = join(dataDir, 'cookie-secret')
  try {
    return readFileSync(file, 'utf8').trim()
  } catch {
    const secret = randomBytes(32).toString('base64url')
    writeFileSync(file, secret, { mode: 0o600 })
    return secret
  }
}

/**
 * Development only: starts cognito-local in-process (bridged to behave like Cognito, see
 * bridge.ts), provisions its pool under EMULATOR_DATA_DIR, and serves GET /dev/mailbox.
 */
async function embeddedCognito (fastify: FastifyInstance): Promise<void> {
  const { emulator: settings, production } = fastify.config
  if (production) throw new Error('the embedded emulator never runs in production')
  const dataDir = resolve(settings.dataDir)
  mkdirSync(dataDir, { recursive: true })

  const emulator = await startEmulator({
    dataDir,
    logger: fastify.log.child({ plugin: 'emulator' }),
    accessTokenTtlSeconds: settings.tokenTtlSeconds,
    groups: [...new Set(['admin', fastify.config.adminGroup])]
  })
  const addressFile = join(dataDir, EMULATOR_ADDRESS_FILE)
  const address: EmulatorAddress = { endpoint: emulator.endpoint, region: emulator.region, userPoolId: emulator.userPoolId, clientId: emulator.clientId }
  writeFileSync(addressFile, JSON.stringify(address, null, 2) + '\n', { mode: 0o600 })
  fastify.addHook('onClose', async () => {
    rmSync(addressFile, { force: true })
    await emulator.close()
  })

  fastify.decorate('emulator', {
    pool: { region: emulator.region, userPoolId: emulator.userPoolId, clientId: emulator.clientId, endpoint: emulator.endpoint },
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    jwks: emulator.jwks,
    cookieSecret: cookieSecretFor(dataDir),
    mailbox: emulator.mailbox
  })

  fastify.get<{ Querystring: { to?: string } }>('/dev/mailbox', {
    schema: { querystring: { type: 'object', properties: { to: { type: 'string', maxLength: 254 } } } }
  }, async (request) => emulator.mailbox.list(request.query.to).map(({ to, code, sentAt }) => ({ to, code, sentAt })))

  fastify.log.info({ endpoint: emulator.endpoint, userPoolId: emulator.userPoolId, dataDir }, 'embedded Cognito emulator started')
}

export default fp(embeddedCognito, { name: 'emulator', dependencies: ['config'] })
