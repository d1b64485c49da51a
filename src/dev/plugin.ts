// The embedded emulator as a Fastify plugin: cognito-local in-process, its pool filled into fastify.userPool, the dev routes.
import { randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { PoolConfig } from '../config.ts'
import userPool from '../plugins/app/user-pool.ts'
import { browserAddress } from '../server-options.ts'
import { acquireDataDirLock } from './data-dir-lock.ts'
import { EMULATOR_ADDRESS_FILE, type AdminCredentials, type EmulatorAddress } from './data-dir.ts'
import { startEmulator, type Emulator } from './emulator.ts'
import { isDevHost } from './emulator-guard.ts'
import { purposeOf, type Mailbox } from './mailbox.ts'
import { mailboxPage } from './pages.ts'
import { commonPasswordsIndex, isRangePrefix, rangeBody } from './pwned-passwords.ts'
import { standInAnswer } from './captcha-stand-in.ts'

/** What the rest of the server learns from the embedded emulator: a pool, its keys, dev secrets. */
export interface EmbeddedCognito {
  pool: PoolConfig
  /** The emulator's admin credentials: the SDK signs the admin calls with them (the emulator refuses others). */
  credentials: AdminCredentials
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

export interface EmbeddedCognitoOptions {
  /** Public keys to trust instead of the emulator's own (tests that hand over their own). */
  jwks?: { keys: unknown[] }
}

/**
 * Development only: starts cognito-local in-process (bridged to behave like Cognito, see
 * bridge.ts), provisions its pool under EMULATOR_DATA_DIR, hands the server its pool through the
 * neutral `userPool` decoration (the production plugins never learn where it came from), with
 * its managed login (the emulator's own origin, provider DevIdP) and the server's redirect URLs
 * registered with its app client, and serves GET /dev/mailbox to loopback Hosts only (see emulator-guard.ts).
 */
async function embeddedCognito (fastify: FastifyInstance, opts: EmbeddedCognitoOptions): Promise<void> {
  const { emulator: settings, production } = fastify.config
  if (production) throw new Error('the embedded emulator never runs in production')
  const dataDir = resolve(settings.dataDir)
  mkdirSync(dataDir, { recursive: true, mode: 0o700 })
  // Before anything is written there: a second server on the same directory stops here, naming the first.
  const lock = acquireDataDirLock(settings.dataDir, 'npm start')
  fastify.addHook('onListen', async () => {
    const address = fastify.server.address()
    if (address !== null && typeof address === 'object') lock.describe(browserAddress(fastify.config.host, address.port))
  })

  const emulator = await startEmulator({
    dataDir,
    logger: fastify.log.child({ plugin: 'emulator' }),
    accessTokenTtlSeconds: settings.tokenTtlSeconds,
    groups: [...new Set(['admin', fastify.config.adminGroup])],
    triggers: settings.triggers,
    // The app client rotates refresh tokens when the server is told it does (no grace period).
    refreshTokenRotation: { Feature: fastify.config.refreshTokenRotation ? 'ENABLED' : 'DISABLED' }
  })
  const addressFile = join(dataDir, EMULATOR_ADDRESS_FILE)
  const address: EmulatorAddress = { endpoint: emulator.endpoint, region: emulator.region, userPoolId: emulator.userPoolId, clientId: emulator.clientId }
  writeFileSync(addressFile, JSON.stringify(address, null, 2) + '\n', { mode: 0o600 })
  fastify.addHook('onClose', async () => {
    rmSync(addressFile, { force: true })
    await emulator.close()
    lock.release()
  })

  await registerOrigins(fastify, emulator)

  const embedded: EmbeddedCognito = {
    pool: { region: emulator.region, userPoolId: emulator.userPoolId, clientId: emulator.clientId, endpoint: emulator.endpoint },
    credentials: { ...emulator.credentials }, // a copy: the SDK marks the object it is given
    jwks: emulator.jwks,
    cookieSecret: cookieSecretFor(dataDir),
    mailbox: emulator.mailbox
  }
  fastify.decorate('emulator', embedded)
  await fastify.register(userPool, {
    jwks: opts.jwks,
    userPool: {
      pool: embedded.pool,
      credentials: { ...embedded.credentials },
      jwks: embedded.jwks,
      cookieSecrets: [embedded.cookieSecret],
      managedLogin: { domain: emulator.managedLoginDomain, providers: emulator.managedLoginProviders }
    }
  })

  // Every /dev route, in a scope of its own so that the Host rule stays off the rest of the app.
  await fastify.register(async function devRoutes (dev) {
    dev.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      // The raw Host, not request.host: with TRUST_PROXY that would come from X-Forwarded-Host, which a page can set.
      if (isDevHost(request.headers.host, settings.expose)) return
      request.log.warn({ host: request.headers.host }, '/dev/* answers loopback Hosts only (DNS rebinding)')
      reply.callNotFound()
      return reply
    })
    // A page for a browser (it asks for HTML), JSON for scripts (curl and fetch accept anything).
    dev.get<{ Querystring: { to?: string } }>('/mailbox', {
      schema: { querystring: { type: 'object', properties: { to: { type: 'string', maxLength: 254 } } } }
    }, async (request, reply) => {
      const messages = emulator.mailbox.list(request.query.to)
      if (wantsHtml(request.headers.accept)) return await reply.type('text/html; charset=utf-8').send(mailboxPage(messages, request.query.to))
      return messages.map(({ to, code, sentAt, medium, source }) => ({ to, code, sentAt, medium, purpose: purposeOf(source) }))
    })
    // The breached-password range API (PWNED_PASSWORDS' default here), over the most common passwords.
    dev.get<{ Params: { prefix: string } }>('/pwned-passwords/range/:prefix', async (request, reply) => {
      if (!isRangePrefix(request.params.prefix)) return await reply.code(400).type('text/plain').send('The hash prefix must be five hexadecimal characters.')
      return await reply.type('text/plain').send(rangeBody(commonPasswordsIndex(), request.params.prefix, request.headers['add-padding'] === 'true'))
    })
    // Siteverify for the CAPTCHA providers' test keys (CAPTCHA_VERIFY_URL's default here): the widget loop runs offline.
    dev.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 8192 }, (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)))
    })
    dev.post<{ Body: Record<string, string> }>('/captcha/siteverify', async (request) => standInAnswer(request.body ?? {}))
  }, { prefix: '/dev' })

  fastify.log.info({ endpoint: emulator.endpoint, userPoolId: emulator.userPoolId, dataDir, triggers: emulator.triggers }, 'embedded Cognito emulator started')
}

/** Whether an Accept header prefers HTML to JSON (a browser's navigation does; `*\/*` does not). */
export function wantsHtml (accept: string | undefined): boolean {
  const html = accept?.indexOf('text/html') ?? -1
  const json = accept?.indexOf('application/json') ?? -1
  return html !== -1 && (json === -1 || html < json)
}

/** The app's callback and sign-out URLs on `origin`, as the server sends them (/auth/oauth/callback; the site and the SPA). */
const redirectUrlsOf = (origin: string) => ({ callbackUrls: [`${origin}/auth/oauth/callback`], logoutUrls: [`${origin}/`, `${origin}/spa/`] })

/**
 * Tells the emulator where the server is reached, derived from PUBLIC_ORIGIN (default
 * http://localhost:$PORT): its app client's redirect URLs, and the origins passkey ceremonies may
 * come from: that origin, the same host on the port the server listens on (its own pages, the
 * example SPA), and CORS_ORIGINS (the pages that call the API); no other. With PORT=0 the port is
 * known only once the server listens: the real port's redirect URLs are added then, so that
 * matching stays exact.
 */
async function registerOrigins (fastify: FastifyInstance, emulator: Emulator): Promise<void> {
  const origin = fastify.config.publicOrigin
  const pages = fastify.config.corsOrigins
  if (origin === undefined) return
  const configured = redirectUrlsOf(origin)
  await emulator.setRedirectUrls(configured)
  emulator.setWebAuthnOrigins([origin, ...pages])
  const url = new URL(origin)
  fastify.addHook('onListen', async () => {
    const address = fastify.server.address()
    if (address === null || typeof address === 'string') return
    const reached = `${url.protocol}//${url.hostname}:${address.port}`
    emulator.setWebAuthnOrigins([origin, reached, ...pages])
    if (url.port !== '0') return
    const listening = redirectUrlsOf(reached)
    await emulator.setRedirectUrls({
      callbackUrls: [...configured.callbackUrls, ...listening.callbackUrls],
      logoutUrls: [...configured.logoutUrls, ...listening.logoutUrls]
    })
  })
}

export default fp(embeddedCognito, { name: 'emulator', dependencies: ['config'] })
