import type { FastifyInstance } from 'fastify'
import { ConfigError } from './config.ts'
import config, { type ConfigPluginOptions } from './plugins/app/config.ts'
import audit, { type AuditPluginOptions } from './plugins/app/audit.ts'
import cognito from './plugins/app/cognito.ts'
import profileAttributes from './plugins/app/profile-attributes.ts'
import events, { type EventsPluginOptions } from './plugins/app/events.ts'
import graphql, { type GraphQLPluginOptions } from './graphql/plugin.ts'
import health from './plugins/app/health.ts'
import metrics from './plugins/app/metrics.ts'
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

/**
 * The whole server as one plugin, in dependency order:
 * config → user pool (configured, or the embedded emulator's in development) → helmet, cors,
 * cookies → redis → audit → security events → metrics → app events (webhooks, onEvent) → rate limits → breached passwords, captcha → cognito → profile attributes (checked against the pool) → revocation → session →
 * current user (request.user, requireUser, GET /session) → federated sign-in (/auth/oauth/*) →
 * (dev hints, development only) → graphql, health → (example SPA and index, development only).
 */
export default async function app (fastify: FastifyInstance, opts: AppOptions): Promise<void> {
  // First: every route registered below gets the body limit and the log serializer.
  const ownRoutesRegistered = requestHygiene(fastify)
  await fastify.register(config, { env: opts.env })
  // Imported only when used: production never loads the emulator (nor its memory).
  // The pool: the configured one, or the embedded emulator's, which fills the same decoration.
  if (fastify.config.pool === undefined) await fastify.register(await embeddedEmulator(), { jwks: opts.jwks })
  else await fastify.register(userPool, { jwks: opts.jwks })
  await fastify.register(helmet)
  if (fastify.config.corsOrigins.length > 0) await fastify.register(cors)
  await fastify.register(cookies)
  await fastify.register(redis)
  await fastify.register(audit, { onAuditEvent: opts.onAuditEvent })
  await fastify.register(securityEvents)
  await fastify.register(metrics)
  await fastify.register(events, { onEvent: opts.onEvent, delivery: opts.eventDelivery })
  await fastify.register(rateLimits)
  await fastify.register(breachedPasswords)
  await fastify.register(captcha)
  await fastify.register(cognito)
  await fastify.register(profileAttributes)
  await fastify.register(revocation, { store: opts.revocationStore })
  await fastify.register(session)
  await fastify.register(currentUser)
  await fastify.register(oauth)
  if (!fastify.config.production) await fastify.register(import('./plugins/app/dev-hints.ts'))
  await fastify.register(graphql, { schema: opts.schema, resolvers: opts.resolvers })
  await fastify.register(health)
  // The standalone server's development pages (an app that installs authServer has its own).
  if (!fastify.config.production && opts.exampleSpa !== false) {
    await fastify.register(import('./dev/spa.ts'))
    await fastify.register(import('./dev/index-page.ts'))
  }
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
