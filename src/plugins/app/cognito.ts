// fastify.cognito: the adapter composed from plugins/app/cognito/*, the only code that talks to Cognito.
import { setTimeout as sleep } from 'node:timers/promises'
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { accountOperations } from './cognito/account.ts'
import { adminOperations } from './cognito/admin.ts'
import { attributeOperations } from './cognito/attributes.ts'
import { authOperations } from './cognito/auth.ts'
import { createCognitoClient, type CognitoAdapterOptions } from './cognito/client.ts'
import { customChallengeOperations } from './cognito/custom-challenge.ts'
import { createDecoys } from './cognito/decoys.ts'
import { devicePolicy } from './cognito/device-policy.ts'
import { deviceOperations } from './cognito/devices.ts'
import { passkeyOperations } from './cognito/passkeys.ts'
import { passwordFlows } from './cognito/password-flow.ts'
import { passwordlessOperations } from './cognito/passwordless.ts'
import { refreshOperations } from './cognito/refresh.ts'
import { signInNameOperations } from './cognito/sign-in-names.ts'
import { userOperations } from './cognito/user.ts'

export { withDeadline, type CognitoAdapterOptions } from './cognito/client.ts'
export { deliveryTo, maskEmail } from './cognito/sign-in-names.ts'
export type { SignInNames } from './cognito/sign-in-names.ts'
export type { AdminAccount, AccountPage } from './cognito/admin.ts'
export { MAX_PAGE } from './cognito/user.ts'
export { RefreshTokenReused } from './cognito/refresh.ts'
export type { AttributeChange } from './cognito/attributes.ts'
export { CHALLENGES, SIGN_IN_METHODS, type AuthOutcome, type ChallengeAnswer, type ChallengeName, type CodeDelivery, type MfaMethod, type Passkey, type PendingChallenge, type SignInMethod, type Tokens, type UserDetails } from './cognito/types.ts'
export type { PasswordlessMethod } from './cognito/passwordless.ts'
export type { RememberedDevice } from './cognito/password-flow.ts'
export type { UserDevice } from './cognito/devices.ts'

/**
 * The one place that talks to Cognito. It speaks the API's vocabulary: inputs are emails and
 * codes, failures are AppErrors, and user existence stays hidden unless configured otherwise.
 * Its parts: the client (timeouts, budget, retries, the existence rules of every call), sign-in
 * (cognito/auth.ts), the account's life before sign-in (cognito/account.ts) and the signed-in
 * user and the administrator's calls (cognito/user.ts).
 */
export function createCognitoAdapter (options: CognitoAdapterOptions) {
  const client = createCognitoClient(options)
  const devices = devicePolicy()
  const flows = passwordFlows(client, options.passwordFlow ?? 'auto', devices)
  const auth = authOperations(client, flows, devices)
  const passkeys = passkeyOperations(client)
  const decoys = createDecoys({ relyingPartyId: options.relyingPartyId, secret: options.decoySecret, passkeySettings: passkeys.passkeySettings, logger: options.logger })
  const passwordless = passwordlessOperations(client, decoys, auth.respondToChallenge, options.existenceTimingFloorMs)
  const custom = customChallengeOperations(client, auth.respondToChallenge, options.existenceTimingFloorMs)
  const names = signInNameOperations(client)
  return {
    ...accountOperations(client, names, options.existenceTimingFloorMs),
    ...auth,
    /**
     * Answers a held challenge: custom ones (their stand-ins too) through cognito/custom-challenge.ts,
     * passwordless ones (and their decoys) through cognito/passwordless.ts, the rest through cognito/auth.ts.
     */
    respondToChallenge: async (...args: Parameters<typeof auth.respondToChallenge>) => {
      if (args[0].name === 'CUSTOM_CHALLENGE') return await custom.respondCustom(...args)
      return passwordless.handles(args[0]) ? await passwordless.respond(...args) : await auth.respondToChallenge(...args)
    },
    signInWithout: passwordless.signInWithout,
    signInCustom: custom.signInCustom,
    ...passkeys,
    ...refreshOperations(client),
    ...userOperations(client),
    ...attributeOperations(client),
    ...adminOperations(client),
    ...deviceOperations(client, devices),
    /** Reads, once at start, the app client's flows, the pool's device tracking and its sign-in names (admin credentials). */
    discover: async (): Promise<void> => { await Promise.all([flows.discover(), names.discoverSignInNames()]) },
    signInNames: names.signInNames,
    findAccount: names.findAccount,
    passwordFlow: flows.passwordFlow,
    mayTrackDevices: devices.mayTrack,
    /** Whether a second factor's step offers "remember this browser" (a pool that remembers devices on the user's word). */
    asksToRememberDevices: devices.asksToRemember,
    unsupportedOperations: client.unsupportedOperations,
    close: client.close
  }
}

export type CognitoAdapter = ReturnType<typeof createCognitoAdapter>

declare module 'fastify' {
  interface FastifyInstance {
    cognito: CognitoAdapter
    /** Settles once the app client's flows, the pool's device tracking and its sign-in names have been read (or could not be). */
    cognitoDiscovered: Promise<void>
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
    relyingPartyId: fastify.config.publicOrigin === undefined ? undefined : new URL(fastify.config.publicOrigin).hostname,
    // A stand-in's made-up details must not change with COOKIE_SECRET's rotation (config.ts, standInSecret).
    decoySecret: fastify.config.standInSecret ?? fastify.userPool.cookieSecrets?.[0],
    observeCall: fastify.metrics?.observeCognitoCall,
    passwordFlow: fastify.config.passwordFlow
  })
  if (fastify.config.production && fastify.config.standInSecret === undefined) {
    fastify.log.warn('neither STAND_IN_SECRET nor COGNITO_CLIENT_SECRET is set: stand-in challenges key their made-up details with COOKIE_SECRET, and rotating it makes them tell from real ones')
  }
  fastify.decorate('cognito', adapter)
  // Awaited at start for at most the call timeout: reading the app client may wait on a credential
  // chain that has nothing to give; sign-ins before it ends learn the flow themselves.
  const discovered = adapter.discover()
  fastify.decorate('cognitoDiscovered', discovered)
  fastify.addHook('onReady', async () => { await Promise.race([discovered, sleep(fastify.config.cognitoTimeoutMs, undefined, { ref: false })]) })
  fastify.addHook('onClose', async () => {
    await discovered
    adapter.close()
  })
}

export default fp(cognito, { name: 'cognito', dependencies: ['config', 'metrics', 'user-pool'] })
