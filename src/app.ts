// The app as one plugin: every plugin of the server, registered in the order APP_PLUGINS says.
import type { FastifyInstance, FastifyPluginAsync } from 'fastify'
import { ConfigError } from './config.ts'
import config, { type ConfigPluginOptions } from './plugins/app/config.ts'
import audit, { type AuditPluginOptions } from './plugins/app/audit.ts'
import cognito from './plugins/app/cognito.ts'
import profileAttributes from './plugins/app/profile-attributes.ts'
import events, { type EventsPluginOptions } from './plugins/app/events.ts'
import graphql, { type GraphQLPluginOptions } from './graphql/plugin.ts'
import health from './routes/health.ts'
import metrics from './plugins/app/metrics.ts'
import metricsRoute from './routes/metrics.ts'
import revocation, { type RevocationStore } from './plugins/app/revocation.ts'
import securityEvents from './plugins/app/security-events.ts'
import session from './plugins/app/session.ts'
import currentUser from './plugins/app/current-user.ts'
import oauth from './plugins/app/oauth.ts'
import userPool from './plugins/app/user-pool.ts'
import rateLimits from './plugins/app/rate-limits.ts'
import breachedPasswords from './plugins/app/abuse/breached-passwords.ts'
import captcha from './plugins/app/abuse/captcha.ts'
import redis from './plugins/app/redis.ts'
import { requestHygiene } from './plugins/app/request-hygiene.ts'
import cookies from './plugins/external/cookie.ts'
import cors from './plugins/external/cors.ts'
import helmet from './plugins/external/helmet.ts'

export interface AppOptions extends ConfigPluginOptions, AuditPluginOptions, GraphQLPluginOptions {
  /** Receives every app event (user.created …), after its act succeeded; retried as a webhook is. */
  onEvent?: EventsPluginOptions['onEvent']
  /** Shorter delivery pacing for tests (internal: not an option of authServer). */
  eventDelivery?: EventsPluginOptions['delivery']
  /** A revocation store to share between instances (memory otherwise). */
  revocationStore?: RevocationStore
  /** Signing keys to trust without fetching them (a pool reached through COGNITO_ENDPOINT that serves no https JWKS). */
  jwks?: { keys: unknown[] }
  /** Serve the example SPA at /spa/ and the index at / in development (default true; an app that installs authServer has its own pages). */
  exampleSpa?: boolean
}

/** One plugin of the app: the file docs/architecture.md names it by, and how it is registered (or not, where it does not apply). */
interface AppPlugin {
  file: string
  register: (fastify: FastifyInstance, opts: AppOptions) => Promise<void>
}

/** Registers `plugin` with `options`, awaited so that the next one sees its decorations. */
const plain = <O extends object>(plugin: FastifyPluginAsync<O>, options: (opts: AppOptions) => O = () => ({}) as O) =>
  async (fastify: FastifyInstance, opts: AppOptions): Promise<void> => { await fastify.register(plugin, options(opts)) }
/** The standalone server's development pages (an app that installs authServer has its own). */
const examplePages = (fastify: FastifyInstance, opts: AppOptions) => !fastify.config.production && opts.exampleSpa !== false

/**
 * The whole server, in dependency order, said once: app() registers these in this order, and
 * docs/architecture.md's plugin graph lists the same files (test/architecture.test.ts holds it).
 * Production never loads the emulator (nor its memory): it is imported only when used.
 */
export const APP_PLUGINS: readonly AppPlugin[] = [
  { file: 'plugins/app/config.ts', register: plain(config, (opts) => ({ env: opts.env })) },
  {
    // The pool: the configured one, or the embedded emulator's, which fills the same decoration.
    file: 'plugins/app/user-pool.ts',
    register: async (fastify, opts) => {
      if (fastify.config.pool === undefined) await fastify.register(await embeddedEmulator(), { jwks: opts.jwks })
      else await fastify.register(userPool, { jwks: opts.jwks })
    }
  },
  { file: 'plugins/external/helmet.ts', register: plain(helmet) },
  { file: 'plugins/external/cors.ts', register: async (fastify) => { if (fastify.config.corsOrigins.length > 0) await fastify.register(cors) } },
  { file: 'plugins/external/cookie.ts', register: plain(cookies) },
  { file: 'plugins/app/redis.ts', register: plain(redis) },
  { file: 'plugins/app/audit.ts', register: plain(audit, (opts) => ({ onAuditEvent: opts.onAuditEvent })) },
  { file: 'plugins/app/security-events.ts', register: plain(securityEvents) },
  { file: 'plugins/app/metrics.ts', register: plain(metrics) },
  { file: 'plugins/app/events.ts', register: plain(events, (opts) => ({ onEvent: opts.onEvent, delivery: opts.eventDelivery })) },
  { file: 'plugins/app/rate-limits.ts', register: plain(rateLimits) },
  { file: 'plugins/app/abuse/breached-passwords.ts', register: plain(breachedPasswords) },
  { file: 'plugins/app/abuse/captcha.ts', register: plain(captcha) },
  { file: 'plugins/app/cognito.ts', register: plain(cognito) },
  { file: 'plugins/app/profile-attributes.ts', register: plain(profileAttributes) },
  { file: 'plugins/app/revocation.ts', register: plain(revocation, (opts) => ({ store: opts.revocationStore })) },
  { file: 'plugins/app/session.ts', register: plain(session) },
  { file: 'plugins/app/current-user.ts', register: plain(currentUser) },
  { file: 'plugins/app/oauth.ts', register: plain(oauth) },
  { file: 'plugins/app/dev-hints.ts', register: async (fastify) => { if (!fastify.config.production) await fastify.register(import('./plugins/app/dev-hints.ts')) } },
  { file: 'graphql/plugin.ts', register: plain(graphql, (opts) => ({ schema: opts.schema, resolvers: opts.resolvers })) },
  { file: 'routes/health.ts', register: plain(health) },
  { file: 'routes/metrics.ts', register: plain(metricsRoute) },
  { file: 'dev/spa.ts', register: async (fastify, opts) => { if (examplePages(fastify, opts)) await fastify.register(import('./dev/spa.ts')) } },
  { file: 'dev/index-page.ts', register: async (fastify, opts) => { if (examplePages(fastify, opts)) await fastify.register(import('./dev/index-page.ts')) } }
]

/** The whole server as one plugin: APP_PLUGINS in their order, inside the request hygiene's hooks. */
export default async function app (fastify: FastifyInstance, opts: AppOptions): Promise<void> {
  // First: every route registered below gets the body limit and the log serializer.
  const ownRoutesRegistered = requestHygiene(fastify)
  for (const plugin of APP_PLUGINS) await plugin.register(fastify, opts)
  ownRoutesRegistered()
}

/** The embedded emulator's plugin; a development dependency, so an install without them cannot run one. */
async function embeddedEmulator () {
  try {
    return (await import('./dev/plugin.ts')).default
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw err
    throw new ConfigError('no user pool is configured (COGNITO_USER_POOL_ID, COGNITO_CLIENT_ID) and the embedded emulator is not installed: it needs cognito-local and @simplewebauthn/server (and oidc-provider for federated sign-in), development dependencies (npm install without --omit=dev here; `npm install --save-dev cognito-local @simplewebauthn/server oidc-provider` in an app that installs this package)')
  }
}
