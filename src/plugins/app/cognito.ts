import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { accountOperations } from './cognito/account.ts'
import { adminOperations } from './cognito/admin.ts'
import { authOperations } from './cognito/auth.ts'
import { createCognitoClient, type CognitoAdapterOptions } from './cognito/client.ts'
import { refreshOperations } from './cognito/refresh.ts'
import { userOperations } from './cognito/user.ts'

export { withDeadline, type CognitoAdapterOptions } from './cognito/client.ts'
export { maskEmail } from './cognito/account.ts'
export { MAX_PAGE, type AdminAccount, type AccountPage } from './cognito/admin.ts'
export { RefreshTokenReused } from './cognito/refresh.ts'
export { CHALLENGES, type AuthOutcome, type ChallengeAnswer, type ChallengeName, type CodeDelivery, type MfaMethod, type PendingChallenge, type Tokens, type UserDetails } from './cognito/types.ts'

/**
 * The one place that talks to Cognito. It speaks the API's vocabulary: inputs are emails and
 * codes, failures are AppErrors, and user existence stays hidden unless configured otherwise.
 * Its parts: the client (timeouts, budget, retries, the existence rules of every call), sign-in
 * (cognito/auth.ts), the account's life before sign-in (cognito/account.ts) and the signed-in
 * user and the administrator's calls (cognito/user.ts).
 */
export function createCognitoAdapter (options: CognitoAdapterOptions) {
  const client = createCognitoClient(options)
  return {
    ...accountOperations(client, options.existenceTimingFloorMs),
    ...authOperations(client),
    ...refreshOperations(client),
    ...userOperations(client),
    ...adminOperations(client),
    unsupportedOperations: client.unsupportedOperations,
    close: client.close
  }
}

export type CognitoAdapter = ReturnType<typeof createCognitoAdapter>

declare module 'fastify' {
  interface FastifyInstance {
    cognito: CognitoAdapter
  }
}

async function cognito (fastify: FastifyInstance): Promise<void> {
  const { pool, credentials } = fastify.userPool
  const adapter = createCognitoAdapter({
    pool,
    timeoutMs: fastify.config.cognitoTimeoutMs,
    revealUserExistence: fastify.config.revealUserExistence,
    logger: fastify.log.child({ plugin: 'cognito' }),
    // A copy: the SDK marks the object it is given.
    credentials: credentials === undefined ? undefined : { ...credentials },
    existenceTimingFloorMs: fastify.config.existenceTimingFloorMs,
    observeCall: fastify.metrics?.observeCognitoCall
  })
  fastify.decorate('cognito', adapter)
  fastify.addHook('onClose', async () => adapter.close())
}

export default fp(cognito, { name: 'cognito', dependencies: ['config', 'metrics', 'user-pool'] })
