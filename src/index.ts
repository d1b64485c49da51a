// The package's entry: authServer, the plugin an app installs, and its public types.
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import type { IResolvers } from 'mercurius'
import app from './app.ts'
import { ConfigError } from './config.ts'
import type { AppEvent } from './plugins/app/app-events.ts'
import type { AuditEvent } from './plugins/app/audit.ts'
// Types ctx (MercuriusContext) in the app's resolvers: `ctx.user` and the rest of our context.
import './graphql/build-context.ts'

export { AuthError, type ErrorCode } from './errors.ts'
export { ConfigError } from './config.ts'
// The server's log options, for the app's Fastify: no query string, header, cookie or body in a log line.
export { loggerOptions, RequestLog } from './logger.ts'
export type { AccessTokenClaims, CurrentUser } from './plugins/app/current-user.ts'
export type { AuditEvent } from './plugins/app/audit.ts'
export { APP_EVENT_TYPES, type AppEvent, type AppEventData, type AppEventType } from './plugins/app/app-events.ts'
export type { GraphQLContext as AuthContext } from './graphql/context.ts'

/** The options of authServer, checked once at registration. */
export interface AuthServerOptions {
  /** The environment, read as the server reads its own (`process.env`): the pool, cookies, limits … */
  env: Record<string, string | undefined>
  /** The app's SDL, merged with ours: its own types, `extend type Query`/`Mutation`/`User`, `@auth` and `@auth(requires: ADMIN)`. */
  schema?: string
  /** The resolvers of the app's fields; `ctx.user` is the caller (`CurrentUser`) or null. */
  resolvers?: IResolvers
  /** Receives every audit event (sign-ins, sign-outs, password changes …). */
  onAuditEvent?: (event: AuditEvent) => void
  /**
   * Receives every app event (`user.created`, `user.deleted` …; docs/events.md) after its act
   * succeeded, off the request: at least once, in order per user. A throw (or a promise that does
   * not settle within 15 s) is logged and retried as a failed webhook is.
   */
  onEvent?: (event: AppEvent) => unknown
}

const OPTIONS = new Set(['env', 'schema', 'resolvers', 'onAuditEvent', 'onEvent'])
// What Fastify itself passes on to a plugin beside its own options.
const FASTIFY_OPTIONS = new Set(['prefix', 'logLevel', 'logSerializers'])

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** The options as given, or a ConfigError that names the bad one. */
function checkedOptions (opts: unknown): AuthServerOptions {
  const fail = (why: string) => new ConfigError(`authServer: ${why}`)
  if (!isPlainObject(opts)) throw fail('options must be an object ({ env: process.env, … })')
  const unknown = Object.keys(opts).find((key) => !OPTIONS.has(key) && !FASTIFY_OPTIONS.has(key))
  if (unknown !== undefined) throw fail(`unknown option "${unknown}" (known: ${[...OPTIONS].join(', ')})`)
  if (opts.env === undefined) throw fail('option "env" is required: the environment to read the configuration from (env: process.env)')
  if (!isPlainObject(opts.env)) throw fail('option "env" must be an object of environment variables (env: process.env)')
  const badVariable = Object.entries(opts.env).find(([, value]) => value !== undefined && typeof value !== 'string')
  if (badVariable !== undefined) throw fail(`option "env": ${badVariable[0]} must be a string`)
  if (opts.schema !== undefined && typeof opts.schema !== 'string') throw fail('option "schema" must be an SDL string')
  if (opts.resolvers !== undefined) {
    if (!isPlainObject(opts.resolvers)) throw fail('option "resolvers" must be an object of resolvers by type ({ Query: { … } })')
    if (opts.schema === undefined && Object.keys(opts.resolvers).length > 0) throw fail('option "resolvers" needs option "schema" to declare the fields it resolves')
  }
  for (const name of ['onAuditEvent', 'onEvent']) {
    if (opts[name] !== undefined && typeof opts[name] !== 'function') throw fail(`option "${name}" must be a function`)
  }
  return opts as unknown as AuthServerOptions
}

const kInstalled = Symbol('cognito-graphql-auth')

/**
 * The auth server as a plugin of the app's own Fastify instance: /graphql (our schema with the
 * app's merged in), /session, /health, /ready, and in development the embedded emulator and
 * /dev/mailbox. It decorates the app itself: `fastify.requireUser` (a preHandler), `fastify.currentUser`
 * and `request.user` serve the app's routes, with transparent refresh and every revocation honoured.
 */
async function authServerPlugin (fastify: FastifyInstance, opts: AuthServerOptions): Promise<void> {
  const { env, schema, resolvers, onAuditEvent, onEvent } = checkedOptions(opts)
  if (fastify.hasDecorator(kInstalled)) throw new ConfigError('authServer is registered twice: register it once, at the root of the app')
  fastify.decorate(kInstalled, true)
  await app(fastify, { env, schema, resolvers, onAuditEvent, onEvent, exampleSpa: false })
}

/** The auth server as a Fastify plugin (`app.register(authServer, { env: process.env, schema, resolvers })`). */
export const authServer = fp(authServerPlugin, { name: 'cognito-graphql-auth', fastify: '5.x' })
