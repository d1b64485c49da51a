// The embedded Cognito emulator for development: cognito-local, in-process, assembled the way
// its createDefaultServer (server/defaults.js) does it, but with our data directory, our
// signing key and issuer, a mailbox instead of the console, and bridges (./bridge.ts) where it
// differs from AWS. Callers talk to it with the ordinary AWS SDK through `endpoint`.
import { mkdir } from 'node:fs/promises'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import type { FastifyBaseLogger } from 'fastify'
import type { Config } from 'cognito-local/lib/server/config.js'
import { Router, type Router as TargetRouter } from 'cognito-local/lib/server/Router.js'
import { createServer } from 'cognito-local/lib/server/server.js'
import { DateClock } from 'cognito-local/lib/services/clock.js'
import { CognitoServiceFactoryImpl, type CognitoService } from 'cognito-local/lib/services/cognitoService.js'
import type { Context } from 'cognito-local/lib/services/context.js'
import { StormDBDataStoreFactory } from 'cognito-local/lib/services/dataStore/stormDb.js'
import type { Services } from 'cognito-local/lib/services/index.js'
import { MessageDeliveryService } from 'cognito-local/lib/services/messageDelivery/messageDelivery.js'
import type { MessageSender } from 'cognito-local/lib/services/messageDelivery/messageSender.js'
import type { Message, Messages } from 'cognito-local/lib/services/messages.js'
import { otp } from 'cognito-local/lib/services/otp.js'
import type { Triggers } from 'cognito-local/lib/services/triggers/triggers.js'
import { attributeValue, UserPoolServiceFactoryImpl, type UserPoolService } from 'cognito-local/lib/services/userPoolService.js'
import { bridgeRouter } from './bridge.ts'
import { Mailbox } from './mailbox.ts'
import { PASSWORD_POLICY } from '../password-policy.ts'
import { DevTokenGenerator, loadOrCreateSigningKey, type PublicJwk } from './tokens.ts'

export interface EmulatorOptions {
  /** Persisted state lives here (created if missing). */
  dataDir: string
  /** Default 'eu-west-1'. */
  region?: string
  /** Default '127.0.0.1'. */
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
}

export interface Emulator {
  /** e.g. http://127.0.0.1:41234 */
  endpoint: string
  region: string
  /** `${region}_LocalPool1` */
  userPoolId: string
  clientId: string
  /** `https://cognito-idp.${region}.amazonaws.com/${userPoolId}` */
  issuer: string
  /** The public JWKS of the emulator's own signing key (for aws-jwt-verify's cacheJwks). */
  jwks: { keys: PublicJwk[] }
  mailbox: Mailbox
  close(): Promise<void>
}

const CLIENT_NAME = 'local-app'

/** Delivers codes to the mailbox; logs who got one and why, never the code. */
class MailboxSender implements MessageSender {
  constructor (
    private readonly mailbox: Mailbox,
    private readonly log: FastifyBaseLogger,
    private readonly purpose: string
  ) {}

  async sendEmail (_ctx: Context, _user: unknown, destination: string, message: Message): Promise<void> {
    this.deliver('EMAIL', destination, message)
  }

  async sendSms (_ctx: Context, _user: unknown, destination: string, message: Message): Promise<void> {
    this.deliver('SMS', destination, message)
  }

  private deliver (medium: 'EMAIL' | 'SMS', to: string, message: Message): void {
    this.mailbox.push({ to, code: message.__code ?? '', sentAt: new Date().toISOString(), medium, purpose: this.purpose })
    this.log.info({ to, purpose: this.purpose, medium }, 'emulator sent a code; read it at GET /dev/mailbox')
  }
}

/** cognito-local's MessagesService minus the Lambda triggers; keeps the `source` as the purpose. */
const mailboxMessages = (mailbox: Mailbox, log: FastifyBaseLogger): Messages => ({
  async deliver (ctx, source, _clientId, _userPoolId, user, code, _clientMetadata, deliveryDetails) {
    const delivery = new MessageDeliveryService(new MailboxSender(mailbox, log, source))
    await delivery.deliver(ctx, user, deliveryDetails, { __code: code })
  }
})

// Real triggers would load aws-sdk v2 (slow) and call Lambda; none are configured here.
const noTrigger = async (): Promise<never> => { throw new Error('Lambda triggers are not available in the embedded emulator') }
const NO_TRIGGERS: Triggers = {
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

  // At debug level cognito-local logs whole users (passwords included) and stores; at info, request
  // bodies; at warn, a stack for every client error (wrong password...). Keep only real failures.
  const level = ['fatal', 'silent'].includes(opts.logger.level) ? opts.logger.level : 'error'
  const quietLogger = opts.logger.child({ module: 'cognito-local' }, { level })
  const ctx: Context = { logger: quietLogger as unknown as Context['logger'] }

  const clock = new DateClock()
  const stores = new StormDBDataStoreFactory(dbDir)
  const poolDefaults = { UsernameAttributes: ['email'] }
  const cognito = await new CognitoServiceFactoryImpl(dbDir, stores, new UserPoolServiceFactoryImpl(clock, stores)).create(ctx, poolDefaults)
  const tokens = new DevTokenGenerator(key, issuerDomain, clock)
  const config: Config = {
    LambdaClient: {},
    TriggerFunctions: {},
    UserPoolDefaults: poolDefaults,
    TokenConfig: { IssuerDomain: issuerDomain },
    ServerConfig: { hostname: host, port: opts.port ?? 0, development: false, https: false }
  }
  const services: Services = {
    clock,
    cognito,
    config,
    messages: mailboxMessages(mailbox, opts.logger),
    otp,
    tokenGenerator: tokens,
    triggers: NO_TRIGGERS
  }
  const router = Router(services)

  const pool = await provisionPool(ctx, cognito, router, userPoolId, region)
  const clientId = await provisionClient(ctx, cognito, router, userPoolId, ttl)
  for (const group of opts.groups ?? ['admin']) {
    if (await pool.getGroupByGroupName(ctx, group) === null) await router('CreateGroup')(ctx, { UserPoolId: userPoolId, GroupName: group })
  }
  matchEmailsIgnoringCase(pool)

  // No services argument: the OAuth2 routes it would attach sign with the package's shipped key.
  const { application } = createServer(bridgeRouter(router, { services, tokens }), quietLogger as unknown as Parameters<typeof createServer>[1], config.ServerConfig)
  const jwks = { keys: [key.jwk] }
  let endpoint = ''
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0] ?? ''
    // Answer discovery ourselves: cognito-local's routes publish the package's key and localhost:9229.
    if (req.method === 'GET' && /^\/[^/]+\/\.well-known\/jwks\.json$/.test(path)) return sendJson(res, jwks)
    if (req.method === 'GET' && /^\/[^/]+\/\.well-known\/openid-configuration$/.test(path)) {
      return sendJson(res, {
        issuer: `${issuerDomain}/${userPoolId}`,
        jwks_uri: `${endpoint}/${userPoolId}/.well-known/jwks.json`,
        id_token_signing_alg_values_supported: ['RS256']
      })
    }
    application(req, res)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, host, () => { server.off('error', reject); resolve() })
  })
  const { port } = server.address() as AddressInfo
  endpoint = `http://${host.includes(':') ? `[${host}]` : host}:${port}`

  let closing: Promise<void> | undefined
  return {
    endpoint,
    region,
    userPoolId,
    clientId,
    issuer: `${issuerDomain}/${userPoolId}`,
    jwks,
    mailbox,
    close () {
      closing ??= new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close(err => err === undefined ? resolve() : reject(err))
      })
      return closing
    }
  }
}

function sendJson (res: http.ServerResponse, body: unknown): void {
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body))
}

/** The pool, created on first start with a fixed, AWS-shaped id (CreateUserPool would pick a random one). */
async function provisionPool (ctx: Context, cognito: CognitoService, router: TargetRouter, id: string, region: string): Promise<UserPoolService> {
  if (!(await cognito.listUserPools(ctx)).some(p => p.Id === id)) {
    const now = new Date()
    await cognito.createUserPool(ctx, {
      Id: id,
      Name: 'LocalPool1',
      Arn: `arn:aws:cognito-idp:${region}:000000000000:userpool/${id}`,
      CreationDate: now,
      LastModifiedDate: now,
      UsernameAttributes: ['email'],
      UsernameConfiguration: { CaseSensitive: false },
      AutoVerifiedAttributes: ['email'],
      UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] },
      Policies: {
        PasswordPolicy: PASSWORD_POLICY
      }
    })
    await router('SetUserPoolMfaConfig')(ctx, { UserPoolId: id, MfaConfiguration: 'OPTIONAL', SoftwareTokenMfaConfiguration: { Enabled: true } })
    await router('CreateGroup')(ctx, { UserPoolId: id, GroupName: 'admin', Description: 'Administrators' })
  }
  return cognito.getUserPool(ctx, id)
}

/** The app client's id; its token lifetimes follow `ttl` even when the pool already exists. */
async function provisionClient (ctx: Context, cognito: CognitoService, router: TargetRouter, poolId: string, ttl: number): Promise<string> {
  const settings = {
    UserPoolId: poolId,
    ClientName: CLIENT_NAME,
    ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    EnableTokenRevocation: true,
    PreventUserExistenceErrors: 'ENABLED',
    AccessTokenValidity: ttl,
    IdTokenValidity: ttl,
    RefreshTokenValidity: 30,
    TokenValidityUnits: { AccessToken: 'seconds', IdToken: 'seconds', RefreshToken: 'days' }
  }
  const existing = (await cognito.listAppClients(ctx, poolId)).find(c => c.ClientName === CLIENT_NAME)
  if (existing === undefined) {
    const { UserPoolClient } = await router('CreateUserPoolClient')(ctx, { ...settings, GenerateSecret: false })
    return UserPoolClient.ClientId
  }
  if (existing.AccessTokenValidity !== ttl || existing.IdTokenValidity !== ttl) {
    await router('UpdateUserPoolClient')(ctx, { ...settings, ClientId: existing.ClientId })
  }
  return existing.ClientId
}

/** cognito-local matches the email alias case-sensitively; AWS (CaseSensitive: false) does not. */
function matchEmailsIgnoringCase (pool: UserPoolService): void {
  const exact = pool.getUserByUsername.bind(pool)
  pool.getUserByUsername = async (ctx, username) => {
    const user = await exact(ctx, username)
    if (user !== null || typeof username !== 'string' || !username.includes('@')) return user
    const wanted = username.toLowerCase()
    return (await pool.listUsers(ctx)).find(u => attributeValue('email', u.Attributes)?.toLowerCase() === wanted) ?? null
  }
}
