// Pools of any shape, made the way a team makes theirs: through Cognito's own API (CreateUserPool,
// SetUserPoolMfaConfig, CreateUserPoolClient), signed with the emulator's admin credentials, in an
// embedded emulator of the test's own, optionally with a triggers module the test writes into its
// temporary directory (EMULATOR_TRIGGERS). Then the users' ways in, through the AWS SDK.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Test } from 'tap'
import Fastify from 'fastify'
import {
  ConfirmSignUpCommand, CreateUserPoolClientCommand, CreateUserPoolCommand, InitiateAuthCommand, RespondToAuthChallengeCommand,
  SetUserPoolMfaConfigCommand, SignUpCommand,
  type CognitoIdentityProviderClient, type CreateUserPoolClientCommandInput, type ExplicitAuthFlowsType, type CreateUserPoolCommandInput,
  type InitiateAuthCommandOutput, type RespondToAuthChallengeCommandOutput, type SetUserPoolMfaConfigCommandInput
} from '@aws-sdk/client-cognito-identity-provider'
import type { Clock } from 'cognito-local/lib/services/clock.js'
import { cognitoClient } from '../../scripts/admin.ts'
import { startEmulator, type Emulator } from '../../src/dev/emulator.ts'
import type { MailboxMessage } from '../../src/dev/mailbox.ts'

export const PASSWORD = 'Correct1horse!'

/** An emulator for one test (file), with the triggers module `triggers` (its source), if any. */
export interface TestEmulator {
  emulator: Emulator
  /** The AWS SDK, signed with the emulator's admin credentials, one attempt per call. */
  cognito: CognitoIdentityProviderClient
  /** Where the test may write files: the module, the emulator's data. */
  dir: string
  /** The newest message the emulator sent to `to` (an email or a phone number). */
  lastMessage: (to: string) => MailboxMessage | undefined
}

/** Writes a triggers module into `dir`; its path, for startEmulator's `triggers` (EMULATOR_TRIGGERS). */
export async function writeTriggers (dir: string, source: string, name = 'triggers.mjs'): Promise<string> {
  const path = join(dir, name)
  await writeFile(path, source)
  return path
}

/** Starts an emulator of the test's own (torn down with it); `triggers` is a module's source, `clock` the emulator's time. */
export async function startTestEmulator (t: Test, { triggers, clock }: { triggers?: string, clock?: Clock } = {}): Promise<TestEmulator> {
  const dir = await mkdtemp(join(tmpdir(), 'emulator-pools-'))
  const logger = Fastify({ logger: { level: 'silent' } }).log
  // A new file name each time: Node caches modules by URL.
  const module = triggers === undefined ? undefined : await writeTriggers(dir, triggers, `triggers-${Date.now()}-${Math.random().toString(36).slice(2)}.mjs`)
  const emulator = await startEmulator({ dataDir: join(dir, 'data'), logger, triggers: module, clock })
  const cognito = cognitoClient({ region: emulator.region, endpoint: emulator.endpoint, credentials: { ...emulator.credentials } })
  t.teardown(async () => {
    cognito.destroy()
    await emulator.close()
    await rm(dir, { recursive: true, force: true })
  })
  return { emulator, cognito, dir, lastMessage: (to) => emulator.mailbox.list(to)[0] }
}

/** A pool and an app client of it, made through Cognito's API. */
export interface TestPool {
  poolId: string
  clientId: string
  cognito: CognitoIdentityProviderClient
  /** SignUp through the app client. */
  signUp: (username: string, attributes?: Record<string, string>, password?: string) => Promise<{ sub: string, confirmed: boolean }>
  /** ConfirmSignUp with the code the mailbox got at `to` (the username by default). */
  confirm: (username: string, to?: string) => Promise<void>
  /** USER_PASSWORD_AUTH. */
  signIn: (username: string, password?: string) => Promise<InitiateAuthCommandOutput>
  /** InitiateAuth with any flow. */
  initiate: (flow: string, parameters: Record<string, string>, clientMetadata?: Record<string, string>) => Promise<InitiateAuthCommandOutput>
  /** RespondToAuthChallenge with the previous answer's session. */
  respond: (previous: { Session?: string }, name: string, responses: Record<string, string>) => Promise<RespondToAuthChallengeCommandOutput>
}

export interface PoolShape {
  /** CreateUserPool's request, PoolName aside. */
  pool?: Omit<CreateUserPoolCommandInput, 'PoolName'>
  /** CreateUserPoolClient's request, UserPoolId and ClientName aside; default: password and custom auth, refresh, existence hidden. */
  client?: Omit<CreateUserPoolClientCommandInput, 'UserPoolId' | 'ClientName'>
  /** SetUserPoolMfaConfig's request, UserPoolId aside. */
  mfa?: Omit<SetUserPoolMfaConfigCommandInput, 'UserPoolId'>
}

const DEFAULT_CLIENT = {
  ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_CUSTOM_AUTH', 'ALLOW_USER_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] as ExplicitAuthFlowsType[],
  PreventUserExistenceErrors: 'ENABLED' as const,
  EnableTokenRevocation: true
}

/** Makes a pool of `shape` in `on`'s emulator, and an app client of it. */
export async function createPool ({ emulator, cognito }: TestEmulator, shape: PoolShape = {}): Promise<TestPool> {
  const { UserPool } = await cognito.send(new CreateUserPoolCommand({ PoolName: `pool-${Date.now()}`, ...shape.pool }))
  const poolId = UserPool?.Id ?? ''
  if (shape.mfa !== undefined) await cognito.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, ...shape.mfa }))
  const { UserPoolClient } = await cognito.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'app', ...DEFAULT_CLIENT, ...shape.client }))
  const clientId = UserPoolClient?.ClientId ?? ''
  const initiate = (flow: string, parameters: Record<string, string>, clientMetadata?: Record<string, string>) =>
    cognito.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: flow as never, AuthParameters: parameters, ClientMetadata: clientMetadata }))
  return {
    poolId,
    clientId,
    cognito,
    async signUp (username, attributes = {}, password = PASSWORD) {
      const out = await cognito.send(new SignUpCommand({
        ClientId: clientId, Username: username, Password: password, UserAttributes: Object.entries(attributes).map(([Name, Value]) => ({ Name, Value }))
      }))
      return { sub: out.UserSub ?? '', confirmed: out.UserConfirmed === true }
    },
    async confirm (username, to = username) {
      await cognito.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: username, ConfirmationCode: emulator.mailbox.list(to)[0]?.code }))
    },
    signIn: (username, password = PASSWORD) => initiate('USER_PASSWORD_AUTH', { USERNAME: username, PASSWORD: password }),
    initiate,
    respond: (previous, name, responses) =>
      cognito.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: name as never, Session: previous.Session, ChallengeResponses: responses }))
  }
}

/** The claims of a JWT, unverified (the emulator signed it; the tests read what it put in). */
export const claimsOf = (jwt: string | undefined): Record<string, any> => JSON.parse(Buffer.from((jwt ?? '').split('.')[1] ?? '', 'base64url').toString())
