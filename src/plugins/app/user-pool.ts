// fastify.userPool: the configured pool, its keys, credentials and cookie secrets.
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import type { PoolConfig } from '../../config.ts'

/** The user pool the server fronts, and what it takes to use it, whoever provides it. */
export interface UserPool {
  pool: PoolConfig
  /** AWS credentials for the admin calls; the SDK's standard chain when absent. */
  credentials?: { accessKeyId: string, secretAccessKey: string }
  /** Public keys to trust without fetching them (aws-jwt-verify fetches keys over https only). */
  jwks?: { keys: unknown[] }
  /** Newest first: cookies are sealed with the first and opened with any. Undefined when none is set. */
  cookieSecrets?: string[]
  /** The pool's managed login (hosted UI) and the identity providers offered through it; undefined: no federated sign-in. */
  managedLogin?: ManagedLogin
}

/** Where federated sign-in goes: the managed-login domain (`/oauth2/authorize`, `/oauth2/token`, `/logout`) and its providers. */
export interface ManagedLogin {
  /** A URL without a path, e.g. `https://myapp.auth.eu-west-1.amazoncognito.com`. */
  domain: string
  /** The identity providers offered, as the pool names them (`Google`, `DevIdP` …). */
  providers: string[]
}

declare module 'fastify' {
  interface FastifyInstance {
    userPool: UserPool
  }
}

export interface UserPoolPluginOptions {
  /** The pool to use when none is configured (COGNITO_USER_POOL_ID): a development stand-in provides it. */
  userPool?: UserPool
  /** Public keys to trust without fetching them (a pool reached through COGNITO_ENDPOINT that serves no https JWKS). */
  jwks?: { keys: unknown[] }
}

/**
 * The user pool: the configured one, or else the one given at registration. COOKIE_SECRET, when
 * set, wins over any cookie secret given with the pool.
 */
async function userPool (fastify: FastifyInstance, opts: UserPoolPluginOptions): Promise<void> {
  const { pool, cookie, oauth } = fastify.config
  const managedLogin = oauth.domain === undefined ? undefined : { domain: oauth.domain, providers: oauth.providers }
  const given: UserPool | undefined = pool !== undefined ? { pool, managedLogin } : opts.userPool
  if (given === undefined) throw new Error('no user pool: configure one (COGNITO_USER_POOL_ID, COGNITO_CLIENT_ID)')
  fastify.decorate('userPool', {
    ...given,
    jwks: opts.jwks ?? given.jwks,
    cookieSecrets: cookie.secrets ?? given.cookieSecrets
  })
}

export default fp(userPool, { name: 'user-pool', dependencies: ['config'] })
