// The environment: one schema validates it at start, and deriveConfig turns it into the server's settings.
import { Type, type Static } from '@sinclair/typebox'
import envSchema from 'env-schema'
import { canonicalCase, describeEnvErrors } from './env-errors.ts'
import { profileAttributesOf } from './profile-attributes.ts'
import { StartRefused } from './start-refused.ts'
import { DEFAULT_LIMITS, defaultLimits, type LimitName, type LimitRules } from './rate-limit-rules.ts'
import { webhooksOf } from './webhook-config.ts'
import { ABUSE_ENV, abuseOf } from './abuse-config.ts'

const Bool = Type.Boolean()
/** Seconds, or a number with s/m/h/d (`30d`, `15m`); parseDuration reads it. */
const DURATION = '^(\\d+)([smhd]?)$'

/** The environment the server reads, each variable documented in docs/configuration.md and `.env.example`. */
export const EnvSchema = Type.Object({
  // Exactly these: every production safeguard hangs on NODE_ENV=production, so a typo must not pass.
  NODE_ENV: Type.Union([Type.Literal('development'), Type.Literal('test'), Type.Literal('production')], { default: 'development' }),
  LOG_LEVEL: Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)), { default: 'info' }),
  PORT: Type.Integer({ default: 3000, minimum: 0, maximum: 65535 }),
  HOST: Type.String({ default: '127.0.0.1' }),

  COGNITO_REGION: Type.Optional(Type.String({ pattern: '^[a-z]{2}(-[a-z]+)+-\\d$' })),
  COGNITO_USER_POOL_ID: Type.Optional(Type.String({ pattern: '^[\\w-]+_[0-9a-zA-Z]+$' })),
  COGNITO_CLIENT_ID: Type.Optional(Type.String({ minLength: 1 })),
  COGNITO_CLIENT_SECRET: Type.Optional(Type.String({ minLength: 1 })),
  COGNITO_ENDPOINT: Type.Optional(Type.String({ pattern: '^https?://' })),
  /** Where the pool's signing keys are; default AWS's, or `${COGNITO_ENDPOINT}/${pool}/.well-known/jwks.json` with an endpoint. */
  COGNITO_JWKS_URI: Type.Optional(Type.String({ pattern: '^https?://' })),
  /** The pool's managed-login (hosted UI) domain, as a URL: federated sign-in goes through it. */
  COGNITO_DOMAIN: Type.Optional(Type.String({ pattern: '^https?://[^/?#]+$' })),
  /** The identity providers offered for federated sign-in, comma-separated, as the pool names them. */
  OAUTH_PROVIDERS: Type.String({ default: '' }),
  /** The app client rotates refresh tokens: refresh with GetTokensFromRefreshToken and keep the new one. */
  REFRESH_TOKEN_ROTATION: Type.Boolean({ default: false }),
  /** Bound of one Cognito call, in milliseconds. */
  COGNITO_TIMEOUT_MS: Type.Integer({ default: 5000, minimum: 100 }),
  /** How a password is proven to Cognito: `auto` (the flow the app client allows), `password` (USER_PASSWORD_AUTH) or `srp` (USER_SRP_AUTH). */
  COGNITO_PASSWORD_FLOW: Type.Union([Type.Literal('auto'), Type.Literal('password'), Type.Literal('srp')], { default: 'auto' }),
  /** Attributes users may read and write (standard or `custom:`), comma-separated. */
  PROFILE_ATTRIBUTES: Type.String({ default: '' }),
  /** Attributes users may only read, comma-separated. */
  PROFILE_ATTRIBUTES_READONLY: Type.String({ default: '' }),

  /** Secrets that seal cookies, comma-separated, newest first (each at least 32 characters). */
  COOKIE_SECRET: Type.Optional(Type.String({ minLength: 32 })),
  /** Keys what stand-in challenges make up (a masked phone number); must never change (default: the client secret). */
  STAND_IN_SECRET: Type.Optional(Type.String({ minLength: 32 })),
  /** Lifetime of the session cookies: seconds, or a number with s/m/h/d. */
  REFRESH_TOKEN_TTL: Type.String({ default: '30d', pattern: DURATION }),
  COOKIE_SAMESITE: Type.Union([Type.Literal('Strict'), Type.Literal('Lax'), Type.Literal('None')], { default: 'Strict' }),
  COOKIE_SECURE: Type.Boolean({ default: true }),
  CORS_ORIGINS: Type.String({ default: '' }),
  /** The origin users reach the server at (OAuth callback, passkey relying party); default http://localhost:$PORT outside production. */
  PUBLIC_ORIGIN: Type.Optional(Type.String({ pattern: '^https?://[^/?#]+$' })),
  TRUST_PROXY: Type.Integer({ default: 0, minimum: 0 }),
  /** One Redis URL, or with REDIS_CLUSTER several nodes of a cluster, comma-separated. */
  REDIS_URL: Type.Optional(Type.String({ pattern: '^rediss?://[^,\\s]+(\\s*,\\s*rediss?://[^,\\s]+)*$' })),
  /** REDIS_URL names the nodes of a Redis Cluster (ElastiCache cluster mode, Valkey). */
  REDIS_CLUSTER: Type.Boolean({ default: false }),
  /** Where the app's events are POSTed as Standard Webhooks, comma-separated. */
  WEBHOOK_URLS: Type.String({ default: '' }),
  /** The webhook signing secrets (`whsec_<base64>`), comma-separated, newest first. */
  WEBHOOK_SECRET: Type.Optional(Type.String({ minLength: 1 })),
  ...ABUSE_ENV,
  GRAPHIQL: Type.Optional(Bool),
  /** GET /metrics, Prometheus' text format (on in development and test, off in production unless set). */
  METRICS: Type.Optional(Bool),
  /** An OTLP/HTTP collector (OpenTelemetry's standard variable): traces are exported there when set. */
  OTEL_EXPORTER_OTLP_ENDPOINT: Type.Optional(Type.String({ pattern: '^https?://' })),
  REVEAL_USER_EXISTENCE: Type.Boolean({ default: false }),
  /** Earliest answer of signUp, forgotPassword and resendConfirmationCode, in ms (default 1000; 0 under NODE_ENV=test). */
  EXISTENCE_TIMING_FLOOR_MS: Type.Optional(Type.Integer({ minimum: 0, maximum: 10000 })),
  /** The issuer an authenticator app shows next to the account (no colon: it separates issuer and account in the label). */
  TOTP_ISSUER: Type.String({ default: 'Cognito GraphQL Auth', minLength: 1, maxLength: 64, pattern: '^[^:]+$' }),
  /** The Cognito group whose members may use the admin operations. */
  ADMIN_GROUP: Type.String({ default: 'admin', minLength: 1, maxLength: 128, pattern: '^\\S+$' }),
  /** JSON overrides of the rate limits by name, e.g. {"signIn.address":{"max":20,"window":"1m"}}. */
  RATE_LIMITS: Type.Optional(Type.String()),
  /** End a session after this long without a request (duration; off when unset). */
  SESSION_IDLE_TIMEOUT: Type.Optional(Type.String({ pattern: DURATION })),
  /** How recent a sign-in must be for a sensitive change such as registering a passkey (duration). */
  REAUTHENTICATION_WINDOW: Type.String({ default: '10m', pattern: DURATION }),
  /** Passkeys added this long before a user's sessions were all ended (a compromise) are removed (duration; 0: none). */
  PASSKEY_REMOVAL_WINDOW: Type.String({ default: '7d', pattern: DURATION }),
  /** How far this server's clock and Cognito's may be apart, in seconds (global sign-out marks reach this far ahead). */
  CLOCK_SKEW_SECONDS: Type.Integer({ default: 5, minimum: 0, maximum: 300 }),
  /** Bound of all Cognito calls made for one request, in milliseconds. */
  COGNITO_REQUEST_BUDGET_MS: Type.Integer({ default: 10000, minimum: 100 }),
  /** Introspection (on wherever GraphiQL is). */
  INTROSPECTION: Type.Optional(Bool),
  /** Serve the schema as an Apollo Federation (v1) subgraph: `User` an entity keyed by `id`. */
  FEDERATION: Type.Boolean({ default: false }),
  /** Query limits. */
  GRAPHQL_MAX_DEPTH: Type.Integer({ default: 6, minimum: 1 }),
  GRAPHQL_MAX_ALIASES: Type.Integer({ default: 10, minimum: 0 }),
  GRAPHQL_MAX_TOKENS: Type.Integer({ default: 1000, minimum: 10 }),
  GRAPHQL_MAX_DOCUMENT_BYTES: Type.Integer({ default: 8192, minimum: 256 }),
  /** Fields one operation may visit once its fragments are expanded (GraphiQL's introspection query visits about 230). */
  GRAPHQL_MAX_FIELDS: Type.Integer({ default: 500, minimum: 1 }),
  /** `only`: run nothing but the operations of the manifest, sent by hash (trusted documents). */
  PERSISTED_OPERATIONS: Type.Union([Type.Literal('off'), Type.Literal('only')], { default: 'off' }),
  /** The registered operations, run by hash in either mode: a JSON object, SHA-256 hex of each document → the document. */
  PERSISTED_OPERATIONS_MANIFEST: Type.String({ default: 'schema/persisted-operations.json', minLength: 1 }),

  /** Embedded emulator only: where it keeps its state. */
  EMULATOR_DATA_DIR: Type.String({ default: '.cognito-local' }),
  /** Embedded emulator only: allow a non-loopback HOST (the container publishes on the host's loopback). */
  EMULATOR_EXPOSE: Type.Boolean({ default: false }),
  /** Embedded emulator only: lifetime of access and id tokens, in seconds (AWS's default is one hour). */
  EMULATOR_TOKEN_TTL: Type.Integer({ default: 3600, minimum: 1 }),
  /** Embedded and standalone emulator: a module whose exports run as the pool's Lambda triggers. */
  EMULATOR_TRIGGERS: Type.Optional(Type.String({ minLength: 1 }))
})

export type Env = Static<typeof EnvSchema>

/** A Cognito user pool and app client to talk to. */
export interface PoolConfig {
  region: string
  userPoolId: string
  clientId: string
  clientSecret?: string
  endpoint?: string
  /** Where the signing keys are; undefined for AWS's own (derived from the pool id). */
  jwksUri?: string
}

/** Thrown for configuration that cannot work; the message names the variables. */
export class ConfigError extends StartRefused {
  override name = 'ConfigError'
}

const POOL_VARIABLES = ['COGNITO_USER_POOL_ID', 'COGNITO_CLIENT_ID'] as const
const DURATION_RE = new RegExp(DURATION)
const DURATION_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 }

/** Parses `30d`, `12h`, `90` (seconds) into seconds. */
export function parseDuration (text: string): number {
  const match = DURATION_RE.exec(text)
  if (match === null) throw new ConfigError(`not a duration: ${text}`)
  return Number(match[1]) * (DURATION_UNITS[match[2] || 's'] ?? 1)
}

function isLoopback (host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.')
}

/** RATE_LIMITS, read into rules (what an override leaves out comes from `defaults`); a ConfigError names what is wrong. */
export function parseLimitOverrides (json: string | undefined, defaults: LimitRules = DEFAULT_LIMITS): Partial<LimitRules> {
  if (json === undefined || json.trim() === '') return {}
  let raw: unknown
  try {
    raw = JSON.parse(json)
  } catch {
    throw new ConfigError('RATE_LIMITS is not JSON: write {"signIn.address":{"max":20,"window":"1m"}}')
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ConfigError('RATE_LIMITS must be a JSON object of limits by name')
  const result: Partial<LimitRules> = {}
  for (const [name, override] of Object.entries(raw as Record<string, { max?: unknown, window?: unknown }>)) {
    if (!(name in DEFAULT_LIMITS)) throw new ConfigError(`RATE_LIMITS: unknown limit ${name}; known: ${Object.keys(DEFAULT_LIMITS).join(', ')}`)
    const base = defaults[name as LimitName]
    const max = override.max ?? base.max
    if (!Number.isInteger(max) || (max as number) < 0) throw new ConfigError(`RATE_LIMITS: ${name}.max must be a whole number`)
    let window = base.window
    if (override.window !== undefined) {
      try {
        window = parseDuration(String(override.window))
      } catch {
        throw new ConfigError(`RATE_LIMITS: ${name}.window must be a duration such as 60, 15m or 1h`)
      }
    }
    result[name as LimitName] = { ...base, max: max as number, window }
  }
  return result
}

/** The environment as the schema reads it (defaults applied, types coerced), or a ConfigError naming the variable. */
function readEnv (source: Record<string, string | undefined>): Env {
  const data = canonicalCase(EnvSchema.properties, source)
  try {
    return envSchema<Env>({ schema: EnvSchema, data, env: false, dotenv: false })
  } catch (err) {
    const errors = (err as { errors?: Parameters<typeof describeEnvErrors>[2] }).errors
    if (errors === undefined) throw new ConfigError(`invalid configuration: ${(err as Error).message}`)
    throw new ConfigError(`invalid configuration: ${describeEnvErrors(EnvSchema.properties, data, errors).join('; ')}`)
  }
}

/** The configured pool; undefined when the embedded emulator is to provide one. A problem when it is half given, or missing in production. */
function poolOf (env: Env, production: boolean, problems: string[]): PoolConfig | undefined {
  const given = POOL_VARIABLES.filter((name) => env[name] !== undefined)
  if (given.length === POOL_VARIABLES.length) {
    const userPoolId = env.COGNITO_USER_POOL_ID as string
    return {
      region: env.COGNITO_REGION ?? userPoolId.split('_')[0] as string,
      userPoolId,
      clientId: env.COGNITO_CLIENT_ID as string,
      clientSecret: env.COGNITO_CLIENT_SECRET,
      endpoint: env.COGNITO_ENDPOINT,
      jwksUri: env.COGNITO_JWKS_URI ?? (env.COGNITO_ENDPOINT === undefined ? undefined : `${env.COGNITO_ENDPOINT.replace(/\/$/, '')}/${userPoolId}/.well-known/jwks.json`)
    }
  }
  if (given.length > 0 || production) {
    const missing = POOL_VARIABLES.filter((name) => env[name] === undefined)
    problems.push(`${missing.join(', ')} must be set${production ? ' in production (the embedded emulator is for development only)' : ' with ' + given.join(', ')}`)
  }
  return undefined
}

/** Every bucket's rule: NODE_ENV's defaults with RATE_LIMITS on top (undefined, and a problem, when RATE_LIMITS is wrong). */
function rateLimitsOf (env: Env, problems: string[]): LimitRules | undefined {
  const defaults = defaultLimits(env.NODE_ENV)
  try {
    return { ...defaults, ...parseLimitOverrides(env.RATE_LIMITS, defaults) }
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err
    problems.push(err.message)
    return undefined
  }
}

/**
 * The configuration, derived from the validated environment; the variables that cannot work
 * together (or, for RATE_LIMITS, cannot be read) are named in one ConfigError. The type of
 * what it returns is `Config`.
 */
function deriveConfig (env: Env) {
  const production = env.NODE_ENV === 'production'
  const problems: string[] = []

  const pool = poolOf(env, production, problems)
  const cookieSecrets = env.COOKIE_SECRET?.split(',').map((s) => s.trim())
  if (cookieSecrets?.some((s) => s.length < 32) === true) problems.push('COOKIE_SECRET: every comma-separated secret must have at least 32 characters')
  if (production && env.COOKIE_SECRET === undefined) problems.push('COOKIE_SECRET must be set in production (at least 32 characters, the same on every instance)')
  if (production && !env.COOKIE_SECURE) problems.push('COOKIE_SECURE=false is refused in production')
  if (env.COOKIE_SAMESITE === 'None' && !env.COOKIE_SECURE) problems.push('COOKIE_SAMESITE=None needs COOKIE_SECURE=true')
  if (pool === undefined && !production && !isLoopback(env.HOST) && !env.EMULATOR_EXPOSE) {
    problems.push(`HOST=${env.HOST} is not a loopback address: the embedded emulator mints tokens for anyone who reaches it; set EMULATOR_EXPOSE=true to accept that, or configure a user pool`)
  }
  if (env.COGNITO_JWKS_URI?.startsWith('http:') === true && env.COGNITO_ENDPOINT === undefined) problems.push('COGNITO_JWKS_URI may use http only with COGNITO_ENDPOINT (a Cognito-compatible endpoint); AWS serves its keys over https')
  const providers = env.OAUTH_PROVIDERS.split(',').map((p) => p.trim()).filter(Boolean)
  if (providers.length > 0 && env.COGNITO_DOMAIN === undefined && pool !== undefined) problems.push('OAUTH_PROVIDERS needs COGNITO_DOMAIN (the managed-login domain federated sign-in goes through)')
  if (production && providers.length > 0 && env.PUBLIC_ORIGIN === undefined) problems.push('OAUTH_PROVIDERS needs PUBLIC_ORIGIN in production (the OAuth callback URL is derived from it, never from the Host header)')
  if (env.REDIS_CLUSTER && env.REDIS_URL === undefined) problems.push('REDIS_CLUSTER=true needs REDIS_URL (the cluster\'s nodes, comma-separated)')
  if (!env.REDIS_CLUSTER && env.REDIS_URL?.includes(',') === true) problems.push('REDIS_URL lists several nodes: set REDIS_CLUSTER=true for a Redis Cluster, or give one URL')
  const profileAttributes = profileAttributesOf(env.PROFILE_ATTRIBUTES, env.PROFILE_ATTRIBUTES_READONLY, problems)
  const rateLimits = rateLimitsOf(env, problems)
  const webhooks = webhooksOf(env, production, problems)
  const abuse = abuseOf(env, pool === undefined && !production, problems)
  if (problems.length > 0 || rateLimits === undefined) throw new ConfigError(`invalid configuration: ${problems.join('; ')}`)

  return {
    /** The environment as validated (defaults applied). */
    env,
    production,
    logLevel: env.LOG_LEVEL,
    port: env.PORT,
    host: env.HOST,
    /** The configured pool, or undefined when the embedded emulator provides one. */
    pool,
    cognitoTimeoutMs: env.COGNITO_TIMEOUT_MS,
    /** How passwords are proven to Cognito: `auto` (from the app client's flows), USER_PASSWORD_AUTH or SRP. */
    passwordFlow: env.COGNITO_PASSWORD_FLOW,
    cookie: {
      /** Newest first: seal with the first, open with any. Undefined outside production until the development secret is provisioned. */
      secrets: cookieSecrets,
      secure: env.COOKIE_SECURE,
      sameSite: env.COOKIE_SAMESITE.toLowerCase() as Lowercase<Env['COOKIE_SAMESITE']>,
      maxAgeSeconds: parseDuration(env.REFRESH_TOKEN_TTL)
    },
    /** The origin users reach the server at: the OAuth callback URL and the passkey relying party derive from it. */
    publicOrigin: env.PUBLIC_ORIGIN ?? (production ? undefined : `http://localhost:${env.PORT}`),
    /** Federated sign-in through a configured pool's managed login (the embedded emulator brings its own). */
    oauth: { domain: env.COGNITO_DOMAIN, providers },
    /** Refreshes use GetTokensFromRefreshToken and keep the rotated refresh token. */
    refreshTokenRotation: env.REFRESH_TOKEN_ROTATION,
    /** The attributes (standard or `custom:`) users may read and write, and those they may only read. */
    profileAttributes,
    /**
     * Keys the made-up details of stand-in challenges, which must stay the same for as long as
     * accounts live (a real masked phone number does): STAND_IN_SECRET, else the app client's
     * secret; undefined: the first COOKIE_SECRET, which rotation changes (a warning says so).
     */
    standInSecret: env.STAND_IN_SECRET ?? env.COGNITO_CLIENT_SECRET,
    /** Seconds since sign-in within which a sensitive change (registering a passkey) needs no new sign-in. */
    reauthenticationWindowSeconds: parseDuration(env.REAUTHENTICATION_WINDOW),
    /** Passkeys created this long before the mark of a sign-out everywhere, password change or reset, or administrator's act go at the user's next session. */
    passkeyRemovalWindowSeconds: parseDuration(env.PASSKEY_REMOVAL_WINDOW),
    corsOrigins: env.CORS_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean),
    trustProxy: env.TRUST_PROXY,
    redisUrl: env.REDIS_URL,
    /** REDIS_URL names the nodes of a Redis Cluster. */
    redisCluster: env.REDIS_CLUSTER,
    /** Where the app's events are POSTed as Standard Webhooks, and the secrets that sign them (newest first). */
    webhooks,
    /** Breached-password checks and the CAPTCHA (src/abuse-config.ts). */
    abuse,
    graphiql: env.GRAPHIQL ?? !production,
    /** Whether /graphql is a federation subgraph (`_service`, `_entities`, `User @key(fields: "id")`). */
    federation: env.FEDERATION,
    /** Whether GET /metrics serves Prometheus' text format. */
    metrics: env.METRICS ?? !production,
    /** The OTLP/HTTP collector traces go to; no tracing (nothing of OpenTelemetry loaded) when undefined. */
    otlpEndpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT,
    graphql: {
      introspection: env.INTROSPECTION ?? env.GRAPHIQL ?? !production,
      /** "Did you mean …" hints in validation errors: they map the schema for an attacker. */
      suggestions: !production,
      maxDepth: env.GRAPHQL_MAX_DEPTH,
      maxAliases: env.GRAPHQL_MAX_ALIASES,
      maxTokens: env.GRAPHQL_MAX_TOKENS,
      maxDocumentBytes: env.GRAPHQL_MAX_DOCUMENT_BYTES,
      /** Fields one operation may visit, every fragment spread expanded in place. */
      maxFields: env.GRAPHQL_MAX_FIELDS,
      /** `only`: the operations of the manifest (a file path), sent by hash, and nothing else. */
      persistedOperations: { mode: env.PERSISTED_OPERATIONS, manifest: env.PERSISTED_OPERATIONS_MANIFEST }
    },
    /** Every rate-limit bucket's rule: the defaults of NODE_ENV (development multiplies some), RATE_LIMITS on top. */
    rateLimits,
    /** Seconds without a request after which a session ends; undefined for none. */
    idleTimeoutSeconds: env.SESSION_IDLE_TIMEOUT === undefined ? undefined : parseDuration(env.SESSION_IDLE_TIMEOUT),
    requestBudgetMs: env.COGNITO_REQUEST_BUDGET_MS,
    clockSkewSeconds: env.CLOCK_SKEW_SECONDS,
    revealUserExistence: env.REVEAL_USER_EXISTENCE,
    // Covers two or three Cognito calls at their usual in-region latency; off under test only,
    // where the suite signs up hundreds of users (tests of the floor set it).
    /** While existence is hidden, the answers whose work differs by account leave no earlier than this, in ms. */
    existenceTimingFloorMs: env.EXISTENCE_TIMING_FLOOR_MS ?? (env.NODE_ENV === 'test' ? 0 : 1000),
    /** Issuer of the `otpauth://` URIs of TOTP setups. */
    totpIssuer: env.TOTP_ISSUER,
    /** Members of this Cognito group may use the admin operations. */
    adminGroup: env.ADMIN_GROUP,
    /** The embedded emulator: its state, exposure, token lifetime and the module its pools run as Lambda triggers. */
    emulator: { dataDir: env.EMULATOR_DATA_DIR, expose: env.EMULATOR_EXPOSE, tokenTtlSeconds: env.EMULATOR_TOKEN_TTL, triggers: env.EMULATOR_TRIGGERS }
  }
}

/** The validated configuration; derived from the environment once, at start (see deriveConfig). */
export type Config = ReturnType<typeof deriveConfig>

/** Validates the environment and derives the configuration, or throws a ConfigError naming what is wrong. */
export function loadConfig (source: Record<string, string | undefined> = process.env): Config {
  return deriveConfig(readEnv(source))
}
