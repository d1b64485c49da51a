// The embedded Cognito emulator for development: cognito-local, in-process, assembled the way
// its createDefaultServer (server/defaults.js) does it, but with our data directory, our
// signing key and issuer, a mailbox instead of the console, and our own operations (./bridge.ts,
// ./targets) where it is missing or differs from AWS (docs/emulator.md). Callers talk to it with
// the ordinary AWS SDK through `endpoint`; its HTTP layer is ours, not cognito-local's Express
// app (which answers any origin with CORS `*`), so that every request passes the guard
// (./emulator-guard.ts) first.
import { mkdir } from 'node:fs/promises'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import type { FastifyBaseLogger } from 'fastify'
import { CognitoError, UnsupportedError } from 'cognito-local/lib/errors.js'
import type { Config } from 'cognito-local/lib/server/config.js'
import { Router, type Router as TargetRouter } from 'cognito-local/lib/server/Router.js'
import { DateClock, type Clock } from 'cognito-local/lib/services/clock.js'
import { CognitoServiceFactoryImpl } from 'cognito-local/lib/services/cognitoService.js'
import type { Context } from 'cognito-local/lib/services/context.js'
import { StormDBDataStoreFactory } from 'cognito-local/lib/services/dataStore/stormDb.js'
import type { Services } from 'cognito-local/lib/services/index.js'
import { otp } from 'cognito-local/lib/services/otp.js'
import type { Triggers as CognitoLocalTriggers } from 'cognito-local/lib/services/triggers/triggers.js'
import { UserPoolServiceFactoryImpl } from 'cognito-local/lib/services/userPoolService.js'
import { bridgeRouter } from './bridge.ts'
import { WebAuthnOrigins } from './rules/passkeys.ts'
import { loadOrCreateAdminCredentials, type AdminCredentials } from './data-dir.ts'
import { checkSignature, PUBLIC_OPERATIONS, refuseForeign, type Refusal } from './emulator-guard.ts'
import { Mailbox, mailboxMessages } from './mailbox.ts'
import type { RefreshTokenRotation } from './rules/refresh-rotation.ts'
import { startManagedLogin, type ManagedLoginSite } from './oauth/managed-login.ts'
import { configureManagedLogin, provisionClient, provisionPool, setRefreshTokenRotation, type RedirectUrls } from './provision.ts'
import { keepingVerifiers } from './rules/password-verifiers.ts'
import { customMessages } from './rules/custom-messages.ts'
import { signInNamesFactory } from './rules/sign-in-names.ts'
import { preTokenGeneration } from './rules/token-customization.ts'
import { Triggers } from './rules/triggers.ts'
import { DevTokenGenerator, loadOrCreateSigningKey, type PublicJwk, type SigningKey } from './tokens.ts'

export interface EmulatorOptions {
  /** Persisted state lives here (created if missing). */
  dataDir: string
  /** Default 'eu-west-1'. */
  region?: string
  /** Default '127.0.0.1'. Whatever the address, requests must name a loopback Host. */
  host?: string
  /** Default 0 (random). */
  port?: number
  logger: FastifyBaseLogger
  /** Default: a new one. */
  mailbox?: Mailbox
  /** The app client's access AND id token validity; default 3600. */
  accessTokenTtlSeconds?: number
  /** Groups the pool must have (created when missing); default ['admin']. */
  groups?: string[]
  /** The emulator's time (tokens, codes, sessions); default the system's. */
  clock?: Clock
  /**
   * The time TOTP codes are checked at; default `clock`. A test moves it on to a new 30-second
   * step instead of waiting for one (the server still refuses a code used twice).
   */
  totpClock?: Clock
  /** How long an authorization code of the managed login lives; default 300 (AWS: five minutes). */
  authorizationCodeTtlSeconds?: number
  /** The app client's refresh-token rotation (as UpdateUserPoolClient takes it); default off. Set on every start. */
  refreshTokenRotation?: RefreshTokenRotation
  /** The origins passkey ceremonies may come from (the server's pages); default http://localhost:3000. */
  webAuthnOrigins?: string[]
  /** A module whose exports run as every pool's Lambda triggers (EMULATOR_TRIGGERS; ./rules/triggers.ts); default none. */
  triggers?: string
}

export interface Emulator {
  /** e.g. http://127.0.0.1:41234 */
  endpoint: string
  /** The managed-login domain on the same server, e.g. http://localhost:41234 (/oauth2/authorize, /oauth2/token, /logout…). */
  managedLoginDomain: string
  /** The identity providers the managed login federates to: ['DevIdP'] (none without oidc-provider). */
  managedLoginProviders: string[]
  /** Sets the app client's managed-login settings with exactly these callback and sign-out URLs (./provision.ts). */
  setRedirectUrls (urls: RedirectUrls): Promise<void>
  /** Sets the origins passkey registrations and assertions may come from: exactly these. */
  setWebAuthnOrigins (origins: string[]): void
  region: string
  /** `${region}_LocalPool1` */
  userPoolId: string
  clientId: string
  /** `https://cognito-idp.${region}.amazonaws.com/${userPoolId}` */
  issuer: string
  /** The public JWKS of the emulator's own signing key (for aws-jwt-verify's cacheJwks). */
  jwks: { keys: PublicJwk[] }
  /**
   * What admin operations (every one AWS serves to IAM principals only) must be signed with, as
   * the AWS SDK signs with `credentials`. Generated for the data directory, kept in
   * `<dataDir>/admin-credentials.json` (mode 0600).
   */
  credentials: AdminCredentials
  mailbox: Mailbox
  /** The Lambda triggers the emulator runs for its pools (the exports of `triggers`, EMULATOR_TRIGGERS). */
  triggers: string[]
  close(): Promise<void>
}

const AMZ_JSON = 'application/x-amz-json-1.1'
/** Cognito's requests are a few kilobytes; AWS refuses more than a megabyte too. */
const MAX_BODY_BYTES = 1024 * 1024

// cognito-local's own triggers would load aws-sdk v2 (slow) and call Lambda: they stay off. The
// bridge runs the module of EMULATOR_TRIGGERS itself, where AWS runs each trigger (./rules/triggers.ts).
const noTrigger = async (): Promise<never> => { throw new Error('Lambda triggers are not available in the embedded emulator') }
const NO_TRIGGERS: CognitoLocalTriggers = {
  enabled: () => false,
  customMessage: noTrigger,
  customEmailSender: noTrigger,
  postAuthentication: noTrigger,
  postConfirmation: noTrigger,
  preSignUp: noTrigger,
  preTokenGeneration: noTrigger,
  userMigration: noTrigger
}

export async function startEmulator (opts: EmulatorOptions): Promise<Emulator> {
  const region = opts.region ?? 'eu-west-1'
  const host = opts.host ?? '127.0.0.1'
  const ttl = opts.accessTokenTtlSeconds ?? 3600
  const mailbox = opts.mailbox ?? new Mailbox()
  const userPoolId = `${region}_LocalPool1`
  const issuerDomain = `https://cognito-idp.${region}.amazonaws.com`

  // cognito-local takes every *.json in its directory for a pool: keep our key one level up.
  const dbDir = join(opts.dataDir, 'db')
  await mkdir(dbDir, { recursive: true, mode: 0o700 })
  const key = await loadOrCreateSigningKey(join(opts.dataDir, 'signing-key.json'))
  const credentials = await loadOrCreateAdminCredentials(opts.dataDir)
  const triggers = await Triggers.load(opts.triggers)

  // At debug level cognito-local logs whole users (passwords included) and stores; at info, request
  // bodies; at warn, a stack for every client error (wrong password...). Keep only real failures.
  const level = ['fatal', 'silent'].includes(opts.logger.level) ? opts.logger.level : 'error'
  const quietLogger = opts.logger.child({ module: 'cognito-local' }, { level })
  const ctx: Context = { logger: quietLogger as unknown as Context['logger'] }

  const clock = opts.clock ?? new DateClock()
  const { services, tokens } = await cognitoLocalServices(ctx, { clock, dbDir, issuerDomain, key, host, port: opts.port ?? 0, mailbox, log: opts.logger, triggers })
  const router = Router(services)
  const pool = await provisionPool(ctx, services.cognito, router, userPoolId, region)
  const clientId = await provisionClient(ctx, services.cognito, router, userPoolId, ttl)
  await setRefreshTokenRotation(ctx, services.cognito, clientId, opts.refreshTokenRotation ?? { Feature: 'DISABLED' })
  for (const group of opts.groups ?? ['admin']) {
    if (await pool.getGroupByGroupName(ctx, group) === null) await router('CreateGroup')(ctx, { UserPoolId: userPoolId, GroupName: group })
  }

  const origins = new WebAuthnOrigins()
  if (opts.webAuthnOrigins !== undefined) origins.set(opts.webAuthnOrigins)
  const site: Site = {
    ctx,
    log: quietLogger,
    operations: bridgeRouter(router, { services, tokens, origins, triggers, totpClock: opts.totpClock ?? clock }),
    credentials,
    jwks: { keys: [key.jwk] },
    userPoolId,
    issuer: `${issuerDomain}/${userPoolId}`,
    endpoint: ''
  }
  const server = http.createServer((req, res) => {
    answer(site, req, res).catch((err: unknown) => {
      quietLogger.error({ err }, 'the emulator failed to answer')
      if (res.headersSent) res.destroy()
      else sendError(req, res, { status: 500, type: 'InternalErrorException', message: 'Internal error.' })
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, host, () => { server.off('error', reject); resolve() })
  })
  const { port } = server.address() as AddressInfo
  site.endpoint = `http://${host.includes(':') ? `[${host}]` : host}:${port}`
  site.managedLogin = await startManagedLogin({
    bridge: { ctx, services, tokens, triggers },
    operations: site.operations,
    clock,
    port,
    endpoint: site.endpoint,
    log: opts.logger,
    codeTtlSeconds: opts.authorizationCodeTtlSeconds
  }).catch((err: unknown) => { server.close(); throw err })

  let closing: Promise<void> | undefined
  return {
    endpoint: site.endpoint,
    managedLoginDomain: site.managedLogin.domain,
    managedLoginProviders: site.managedLogin.providers,
    setRedirectUrls: (urls) => configureManagedLogin(ctx, router, userPoolId, clientId, urls),
    setWebAuthnOrigins: (allowed) => { origins.set(allowed) },
    region,
    userPoolId,
    clientId,
    issuer: site.issuer,
    jwks: site.jwks,
    credentials,
    mailbox,
    triggers: triggers.names(),
    close () {
      closing ??= new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close(err => err === undefined ? resolve() : reject(err))
      })
      return closing
    }
  }
}

interface ServiceOptions { clock: Clock, dbDir: string, issuerDomain: string, key: SigningKey, host: string, port: number, mailbox: Mailbox, log: FastifyBaseLogger, triggers: Triggers }

/**
 * cognito-local's services as its createDefaultServer makes them, with our store directory, pools
 * that honour their sign-in names, our token generator and mailbox, and the triggers module where
 * tokens are minted and messages composed (cognito-local's own Lambda triggers stay off).
 */
async function cognitoLocalServices (ctx: Context, { clock, dbDir, issuerDomain, key, host, port, mailbox, log, triggers }: ServiceOptions): Promise<{ services: Services, tokens: DevTokenGenerator }> {
  const stores = new StormDBDataStoreFactory(dbDir)
  // No defaults of our own: a pool made through CreateUserPool has the sign-in names it asks for (./provision.ts names the emulator's own).
  const poolDefaults = {}
  // Every pool honours its sign-in names and keeps an SRP verifier for each password it saves, whatever path saves it.
  const cognito = await new CognitoServiceFactoryImpl(dbDir, stores, signInNamesFactory(keepingVerifiers(new UserPoolServiceFactoryImpl(clock, stores)))).create(ctx, poolDefaults)
  const tokens = new DevTokenGenerator(key, issuerDomain, clock, preTokenGeneration(triggers, cognito))
  const messages = mailboxMessages(mailbox, log, customMessages(triggers, cognito))
  const config: Config = {
    LambdaClient: {},
    TriggerFunctions: {},
    UserPoolDefaults: poolDefaults,
    TokenConfig: { IssuerDomain: issuerDomain },
    ServerConfig: { hostname: host, port, development: false, https: false }
  }
  return { services: { clock, cognito, config, messages, otp, tokenGenerator: tokens, triggers: NO_TRIGGERS }, tokens }
}

/** What the emulator's HTTP layer answers with. */
interface Site {
  /** cognito-local's context (its quiet logger) for every operation. */
  ctx: Context
  log: FastifyBaseLogger
  /** cognito-local's operations, bridged (./bridge.ts). */
  operations: TargetRouter
  credentials: AdminCredentials
  jwks: { keys: PublicJwk[] }
  userPoolId: string
  issuer: string
  /** Known once the server listens. */
  endpoint: string
  /** The managed login and its DevIdP (./oauth), started once the port is known. */
  managedLogin?: ManagedLoginSite
}

/** One HTTP request: the managed login (browsers come there, with its own guard), else the guard, then discovery or an operation as AWS's JSON protocol carries it. */
async function answer (site: Site, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const path = (req.url ?? '').split('?')[0] ?? ''
  if (await site.managedLogin?.answer(req, res, path) === true) return
  const foreign = refuseForeign(req.headers)
  if (foreign !== undefined) return sendError(req, res, foreign)
  // Answer discovery ourselves: cognito-local's routes publish the package's key and localhost:9229.
  if (req.method === 'GET' && /^\/[^/]+\/\.well-known\/jwks\.json$/.test(path)) return sendJson(res, 200, site.jwks)
  if (req.method === 'GET' && /^\/[^/]+\/\.well-known\/openid-configuration$/.test(path)) {
    return sendJson(res, 200, {
      issuer: site.issuer,
      jwks_uri: `${site.endpoint}/${site.userPoolId}/.well-known/jwks.json`,
      id_token_signing_alg_values_supported: ['RS256']
    })
  }
  if (req.method !== 'POST' || path !== '/') return sendError(req, res, { status: 404, type: 'NotFoundException', message: 'Not found: the emulator answers POST / with an X-Amz-Target.' })
  const target = req.headers['x-amz-target']
  const operation = typeof target === 'string' ? /^[A-Za-z0-9]+\.([A-Za-z0-9]+)$/.exec(target)?.[1] : undefined
  if (operation === undefined) return sendError(req, res, { status: 400, type: 'UnknownOperationException', message: 'Missing or invalid X-Amz-Target header.' })
  const body = await readBody(req)
  if (body === undefined) return sendError(req, res, { status: 413, type: 'SerializationException', message: `The request body is over ${MAX_BODY_BYTES} bytes.` })
  if (!PUBLIC_OPERATIONS.has(operation)) {
    const unsigned = checkSignature({ method: 'POST', url: req.url ?? '/', headers: req.headers, body }, site.credentials)
    if (unsigned !== undefined) return sendError(req, res, unsigned)
  }
  let input: unknown
  try {
    input = body.length === 0 ? {} : JSON.parse(body.toString('utf8'))
  } catch {
    return sendError(req, res, { status: 400, type: 'SerializationException', message: 'The request body is not JSON.' })
  }
  let output: unknown
  try {
    output = await site.operations(operation)(site.ctx, input)
  } catch (err) {
    // As cognito-local's own HTTP layer answers (the SDK names the first one `Unsupported`).
    if (err instanceof UnsupportedError) {
      site.log.error(`Cognito Local unsupported feature: ${err.message}`)
      return sendJson(res, 500, { __type: 'CognitoLocal#Unsupported', message: `Cognito Local unsupported feature: ${err.message}` })
    }
    if (err instanceof CognitoError) return sendError(req, res, { status: 400, type: err.code, message: err.message })
    throw err
  }
  res.writeHead(200, { 'content-type': AMZ_JSON }).end(JSON.stringify(output, epochSeconds))
}

function sendJson (res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
}

/** An AWS-style error answer; what is left of the request is read and dropped. */
function sendError (req: http.IncomingMessage, res: http.ServerResponse, { status, type, message }: Refusal): void {
  req.resume()
  res.writeHead(status, { 'content-type': AMZ_JSON, 'x-amzn-errortype': type }).end(JSON.stringify({ __type: type, message }))
}

/** The whole body, or undefined past MAX_BODY_BYTES (the rest is still read, so that the answer can be sent). */
async function readBody (req: http.IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size <= MAX_BODY_BYTES) chunks.push(chunk)
  }
  return size <= MAX_BODY_BYTES ? Buffer.concat(chunks) : undefined
}

/** AWS's JSON protocol sends timestamps as epoch seconds (a replacer sees Dates already as strings: `this[key]` is the Date). */
function epochSeconds (this: Record<string, unknown>, key: string, value: unknown): unknown {
  const original = this[key]
  return original instanceof Date ? Math.floor(original.getTime() / 1000) : value
}
