// An embedded emulator for one test file (optionally with a triggers module the test writes into
// its temporary directory, EMULATOR_TRIGGERS), driven through the AWS SDK as the server drives it,
// and the users the tests need in its own pool: confirmed, with their email verified, signed in.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Test } from 'tap'
import Fastify from 'fastify'
import {
  AdminUpdateUserAttributesCommand, CognitoIdentityProviderClient, ConfirmSignUpCommand, InitiateAuthCommand, RespondToAuthChallengeCommand,
  SignUpCommand, type InitiateAuthCommandOutput, type RespondToAuthChallengeCommandOutput
} from '@aws-sdk/client-cognito-identity-provider'
import type { Clock } from 'cognito-local/lib/services/clock.js'
import { cognitoClient } from '../../scripts/admin.ts'
import { startEmulator, type Emulator } from '../../src/dev/emulator.ts'
import type { MailboxMessage } from '../../src/dev/mailbox.ts'

export const PASSWORD = 'Correct1horse'

/** A clock the test moves on (the emulator's challenge sessions and tokens read it). */
export class TestClock implements Clock {
  offsetMs = 0
  get (): Date { return new Date(Date.now() + this.offsetMs) }
}

/** An emulator for one test (file), with the triggers module `triggers` (its source), if any. */
export interface TestEmulator {
  emulator: Emulator
  /** The AWS SDK, signed with the emulator's admin credentials, one attempt per call. */
  cognito: CognitoIdentityProviderClient
  /** Where the test may write files: the module, the emulator's data. */
  dir: string
  /** The emulator's data directory (where scripts find the admin credentials: EMULATOR_DATA_DIR). */
  dataDir: string
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
  const dir = await mkdtemp(join(tmpdir(), 'emulator-test-'))
  const logger = Fastify({ logger: { level: 'silent' } }).log
  // A new file name each time: Node caches modules by URL.
  const module = triggers === undefined ? undefined : await writeTriggers(dir, triggers, `triggers-${Date.now()}-${Math.random().toString(36).slice(2)}.mjs`)
  const dataDir = join(dir, 'data')
  const emulator = await startEmulator({ dataDir, logger, triggers: module, clock })
  const cognito = cognitoClient({ region: emulator.region, endpoint: emulator.endpoint, credentials: { ...emulator.credentials } })
  t.teardown(async () => {
    cognito.destroy()
    await emulator.close()
    await rm(dir, { recursive: true, force: true })
  })
  return { emulator, cognito, dir, dataDir, lastMessage: (to) => emulator.mailbox.list(to)[0] }
}

export interface Pool {
  emulator: Emulator
  /** Its data directory (where scripts find the admin credentials: EMULATOR_DATA_DIR). */
  dataDir: string
  cognito: CognitoIdentityProviderClient
  clock: TestClock
  /** A confirmed user (email verified) and their access token. */
  confirmedUser: (prefix?: string) => Promise<{ email: string, access: string, sub: string }>
  /** USER_AUTH, with AuthParameters (USERNAME given). */
  userAuth: (username: string, parameters?: Record<string, string>) => Promise<InitiateAuthCommandOutput>
  /** RespondToAuthChallenge for `username` with the previous answer's session. */
  respond: (previous: { Session?: string }, name: string, username: string, responses?: Record<string, string>) => Promise<RespondToAuthChallengeCommandOutput>
  /** Gives a user a verified phone number. */
  addPhone: (email: string, phone: string) => Promise<void>
}

export async function startPool (t: Test): Promise<Pool> {
  const clock = new TestClock()
  const { emulator, cognito, dataDir } = await startTestEmulator(t, { clock })
  const ClientId = emulator.clientId
  let users = 0
  return {
    emulator,
    dataDir,
    cognito,
    clock,
    async confirmedUser (prefix = 'user') {
      const email = `${prefix}${++users}-${Date.now()}@example.com`
      const { UserSub = '' } = await cognito.send(new SignUpCommand({ ClientId, Username: email, Password: PASSWORD }))
      await cognito.send(new ConfirmSignUpCommand({ ClientId, Username: email, ConfirmationCode: emulator.mailbox.list(email)[0]?.code }))
      const out = await cognito.send(new InitiateAuthCommand({ ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: email, PASSWORD } }))
      return { email, access: out.AuthenticationResult?.AccessToken ?? '', sub: UserSub }
    },
    userAuth: (username, parameters = {}) =>
      cognito.send(new InitiateAuthCommand({ ClientId, AuthFlow: 'USER_AUTH', AuthParameters: { USERNAME: username, ...parameters } })),
    respond: (previous, name, username, responses = {}) =>
      cognito.send(new RespondToAuthChallengeCommand({ ClientId, ChallengeName: name as never, Session: previous.Session, ChallengeResponses: { USERNAME: username, ...responses } })),
    async addPhone (email, phone) {
      await cognito.send(new AdminUpdateUserAttributesCommand({
        UserPoolId: emulator.userPoolId, Username: email, UserAttributes: [{ Name: 'phone_number', Value: phone }, { Name: 'phone_number_verified', Value: 'true' }]
      }))
    }
  }
}
