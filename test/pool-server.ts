// The server on the embedded emulator's pool with an app client made through Cognito's API (as a
// team's Amplify or console client is made), the pool's device tracking set through UpdateUserPool,
// and users signed up through that client: for the sign-in flow tests (SRP, remembered devices,
// custom challenges with a triggers module).
import {
  AdminConfirmSignUpCommand, CreateUserPoolClientCommand, DescribeUserPoolCommand, SignUpCommand, UpdateUserPoolCommand,
  type CreateUserPoolClientCommandInput, type DeviceConfigurationType
} from '@aws-sdk/client-cognito-identity-provider'
import type { Clock } from 'cognito-local/lib/services/clock.js'
import type { Test } from 'tap'
import { RELAXED_LIMITS } from './challenge-helpers.ts'
import { secretHashOf } from './dev/pools.ts'
import { build, Client, emulatorBehindProxy, emulatorClient, newEmail, PASSWORD } from './helper.ts'

export interface PoolServerOptions {
  /** The app client's ExplicitAuthFlows; AWS's default (SRP, custom, refresh) when absent. */
  flows?: CreateUserPoolClientCommandInput['ExplicitAuthFlows']
  /** The pool's DeviceConfiguration; no device tracking when absent. */
  devices?: DeviceConfigurationType
  env?: Record<string, string>
  logs?: string[]
  /** Refuse DescribeUserPoolClient, as Cognito refuses a server without admin credentials. */
  noAdmin?: boolean
  /** The emulator's triggers module (a path, EMULATOR_TRIGGERS), for the pool's Lambda triggers. */
  triggers?: string
  /** The app client's PreventUserExistenceErrors; AWS's API default (none: LEGACY) when absent. */
  hideExistence?: boolean
  /** The time the emulator checks TOTP codes at (EmulatorOptions.totpClock); the machine's when absent. */
  totpClock?: Clock
}

/** The server on the emulator's pool through a FaultProxy (which records every AuthFlow), with a new app client that has a secret. */
export async function poolServer (t: Test, options: PoolServerOptions = {}) {
  const { emulator, proxy } = await emulatorBehindProxy(t, { triggers: options.triggers, totpClock: options.totpClock })
  const cognito = emulatorClient(t, emulator)
  const UserPoolId = emulator.userPoolId
  if (options.devices !== undefined) {
    // UpdateUserPool resets what it is not given, as AWS does: the pool's settings go back with it.
    const { UserPool: p } = await cognito.send(new DescribeUserPoolCommand({ UserPoolId }))
    await cognito.send(new UpdateUserPoolCommand({
      UserPoolId,
      AutoVerifiedAttributes: p?.AutoVerifiedAttributes,
      Policies: p?.Policies,
      MfaConfiguration: p?.MfaConfiguration,
      AccountRecoverySetting: p?.AccountRecoverySetting,
      AdminCreateUserConfig: p?.AdminCreateUserConfig,
      EmailConfiguration: p?.EmailConfiguration,
      VerificationMessageTemplate: p?.VerificationMessageTemplate,
      DeviceConfiguration: options.devices
    }))
  }
  const existence = options.hideExistence === undefined ? {} : { PreventUserExistenceErrors: options.hideExistence ? 'ENABLED' as const : 'LEGACY' as const }
  const { UserPoolClient } = await cognito.send(new CreateUserPoolClientCommand({ UserPoolId, ClientName: 'team-app', ExplicitAuthFlows: options.flows, GenerateSecret: true, ...existence }))
  const clientId = UserPoolClient?.ClientId ?? ''
  const secret = UserPoolClient?.ClientSecret ?? ''
  if (options.noAdmin === true) proxy.set('DescribeUserPoolClient', { kind: 'exception', name: 'AccessDeniedException' })
  const app = await build(t, {
    logs: options.logs,
    env: { COGNITO_USER_POOL_ID: UserPoolId, COGNITO_CLIENT_ID: clientId, COGNITO_CLIENT_SECRET: secret, COGNITO_ENDPOINT: proxy.endpoint, ...RELAXED_LIMITS, ...options.env },
    jwks: emulator.jwks
  })
  await app.cognitoDiscovered
  return {
    app,
    proxy,
    cognito,
    emulator,
    /** A browser: a cookie jar of its own. */
    browser: () => new Client(app, emulator.mailbox),
    /** A confirmed user with PASSWORD, signed up through the app client; `label` starts the email. */
    async user (label = 'flows'): Promise<string> {
      const email = newEmail(label)
      await cognito.send(new SignUpCommand({ ClientId: clientId, Username: email, Password: PASSWORD, SecretHash: secretHashOf(secret, email, clientId) }))
      await cognito.send(new AdminConfirmSignUpCommand({ UserPoolId, Username: email }))
      return email
    }
  }
}
