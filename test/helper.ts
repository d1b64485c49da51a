import Fastify, { type FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { pino } from 'pino'
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider'
import type { Test } from 'tap'
import app, { type AppOptions } from '../src/app.ts'
import { loadConfig } from '../src/config.ts'
import { loggerOptions } from '../src/logger.ts'
import { serverOptions } from '../src/server-options.ts'
import { startEmulator, type Emulator, type EmulatorOptions } from '../src/dev/emulator.ts'
import type { RefreshTokenRotation } from '../src/dev/rules/refresh-rotation.ts'
import { Client, type GraphQLResponse } from './cookie-client.ts'
import type { PoolAdmin } from '../scripts/admin.ts'
import { FaultProxy } from './fault-proxy.ts'

type Tap = Pick<Test, 'testdir' | 'teardown'>

export interface BuildOptions extends Omit<AppOptions, 'env'> {
  env?: Record<string, string>
  /** Collects every log line (JSON) the app writes, for assertions about what is logged. */
  logs?: string[]
}

/**
 * Builds the app exactly as the server does, on the embedded emulator with a temporary data
 * directory (unless `env` configures a pool), and closes it when the test ends.
 */
export async function build (t: Tap, options: BuildOptions = {}): Promise<FastifyInstance> {
  const { env = {}, logs, ...appOptions } = options
  const stream = new Writable({
    write (chunk, _encoding, done) {
      logs?.push(String(chunk))
      done()
    }
  })
  const fullEnv = { NODE_ENV: 'test', EMULATOR_DATA_DIR: t.testdir(), ...env }
  // The embedded emulator (cognito-local, the managed login, DevIdP) may take more than Fastify's
  // default 10 s to start on a machine busy with parallel test files and browsers.
  const fastify = Fastify({ ...serverOptions(loadConfig(fullEnv), { ...(loggerOptions(logs === undefined ? 'silent' : 'debug') as object), stream }), pluginTimeout: 60_000 })
  await fastify.register(fp(app), { ...appOptions, env: fullEnv })
  t.teardown(() => fastify.close())
  await fastify.ready()
  return fastify
}

// The cookie-jar client lives in ./cookie-client.ts; these names stay importable from here.
export { Client, type GraphQLResponse }

export const PASSWORD = 'Correct-Horse-9'

export const SIGN_UP = 'mutation ($input: SignUpInput!) { signUp(input: $input) { userConfirmed codeDelivery { medium destination } } }'
export const CONFIRM_SIGN_UP = 'mutation ($email: String!, $code: String!) { confirmSignUp(input: { email: $email, code: $code }) }'
/** signIn with the user the tokens describe (challenge-helpers.ts's SIGN_IN_STEP_DOC answers the whole step, MFA included). */
export const SIGN_IN = `mutation ($email: String!, $password: String!) {
  signIn(input: { email: $email, password: $password }) {
    __typename
    ... on Session { expiresAt user { id email emailVerified name groups } }
    ... on Challenge { name }
  }
}`
/** me from the tokens alone (challenge-helpers.ts's ME_WITH_MFA asks Cognito for the MFA settings too). */
export const ME = '{ me { id email emailVerified name groups } }'
export const SIGN_OUT = 'mutation ($everywhere: Boolean) { signOut(input: { everywhere: $everywhere }) }'
export const REFRESH = 'mutation { refreshSession { expiresAt user { id email } } }'
/** The ways of ending sessions, as the session tests drive them. */
export const CHANGE_PASSWORD = 'mutation ($c: String!, $n: String!) { changePassword(input: { currentPassword: $c, newPassword: $n }) { __typename } }'
export const FORGOT = 'mutation ($email: String!) { forgotPassword(input: { email: $email }) { destination } }'
export const CONFIRM_FORGOT = 'mutation ($email: String!, $code: String!, $p: String!) { confirmForgotPassword(input: { email: $email, code: $code, newPassword: $p }) }'
export const DELETE_ACCOUNT = 'mutation ($p: String!) { deleteAccount(input: { currentPassword: $p }) }'
export const ADMIN_DELETE = 'mutation ($email: String!) { adminDeleteUser(input: { email: $email }) }'

let counter = 0
/** A fresh, unique address for one test. */
export function newEmail (label = 'user'): string {
  counter += 1
  return `${label}.${process.pid}.${Date.now()}.${counter}@example.com`
}

/** Signs up and confirms a user through the API; the client ends up signed out. */
export async function registerUser (client: Client, email = newEmail(), password = PASSWORD, name?: string): Promise<string> {
  const signUp = await client.gql(SIGN_UP, { input: { email, password, name } })
  if (signUp.errors !== undefined) throw new Error(`sign-up failed: ${JSON.stringify(signUp.errors)}`)
  const confirm = await client.gql(CONFIRM_SIGN_UP, { email, code: await client.code(email) })
  if (confirm.data?.confirmSignUp !== true) throw new Error(`confirmation failed: ${JSON.stringify(confirm.errors)}`)
  return email
}

/** Registers a user and signs the client in; returns the email. */
export async function signedIn (client: Client, email = newEmail(), password = PASSWORD, name?: string): Promise<string> {
  await registerUser(client, email, password, name)
  const res = await client.gql(SIGN_IN, { email, password })
  if (res.data?.signIn?.__typename !== 'Session') throw new Error(`sign-in failed: ${JSON.stringify(res.errors)}`)
  return email
}

/** What an emulator of a test's own takes: EmulatorOptions but its data directory (a fresh one) and its logger (silent unless given). */
export type TestEmulatorOptions = Omit<EmulatorOptions, 'dataDir' | 'logger'> & { logger?: EmulatorOptions['logger'] }

/**
 * An embedded emulator in a fresh temporary data directory, stopped and its directory removed
 * when the test ends: the one way the tests start an emulator of their own.
 */
export async function emulatorInTempDir (t: Pick<Test, 'teardown'>, options: TestEmulatorOptions = {}): Promise<{ emulator: Emulator, dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cognito-'))
  const emulator = await startEmulator({ ...options, dataDir, logger: options.logger ?? pino({ level: 'silent' }) })
    .catch((err: unknown) => { rmSync(dataDir, { recursive: true, force: true }); throw err })
  t.teardown(async () => {
    await emulator.close()
    rmSync(dataDir, { recursive: true, force: true })
  })
  return { emulator, dataDir }
}

/**
 * An embedded emulator of its own (in a fresh data directory), stopped when the test ends; its
 * admin credentials are the process's AWS credentials meanwhile: on a configured pool the SDK
 * finds them through its standard chain (the admin calls need them), where a deployment's chain
 * has real ones.
 */
export async function standaloneEmulator (t: Tap, options: TestEmulatorOptions = {}) {
  const { emulator } = await emulatorInTempDir(t, options)
  withAwsCredentials(t, emulator.credentials)
  return emulator
}

/** standaloneEmulator behind a FaultProxy, both stopped when the test ends. */
export async function emulatorBehindProxy (t: Tap, options: TestEmulatorOptions = {}) {
  const emulator = await standaloneEmulator(t, options)
  const proxy = new FaultProxy(emulator.endpoint)
  await proxy.start()
  t.teardown(async () => { await proxy.close() })
  return { emulator, proxy }
}

/**
 * The embedded emulator behind a FaultProxy, and the app configured as for a real pool that is
 * reached through COGNITO_ENDPOINT: for tests that need Cognito to be slow, down or throttling.
 */
export async function buildBehindProxy (t: Tap, options: BuildOptions & { tokenTtlSeconds?: number, refreshTokenRotation?: RefreshTokenRotation } = {}) {
  const { emulator, proxy } = await emulatorBehindProxy(t, { accessTokenTtlSeconds: options.tokenTtlSeconds ?? 3600, refreshTokenRotation: options.refreshTokenRotation })
  const { tokenTtlSeconds: _ttl, refreshTokenRotation: _rotation, ...buildOptions } = options
  const app = await build(t, {
    ...buildOptions,
    env: { COGNITO_USER_POOL_ID: emulator.userPoolId, COGNITO_CLIENT_ID: emulator.clientId, COGNITO_ENDPOINT: proxy.endpoint, COGNITO_TIMEOUT_MS: '1000', ...options.env },
    jwks: emulator.jwks
  })
  return { app, emulator, proxy, client: () => new Client(app, emulator.mailbox) }
}

/** Sets AWS credentials in the environment for one test, as a deployment's credential chain would. */
export function withAwsCredentials (t: Tap, credentials: { accessKeyId: string, secretAccessKey: string }): void {
  const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY }
  process.env.AWS_ACCESS_KEY_ID = credentials.accessKeyId
  process.env.AWS_SECRET_ACCESS_KEY = credentials.secretAccessKey
  t.teardown(() => {
    if (saved.id === undefined) delete process.env.AWS_ACCESS_KEY_ID
    else process.env.AWS_ACCESS_KEY_ID = saved.id
    if (saved.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY
    else process.env.AWS_SECRET_ACCESS_KEY = saved.secret
  })
}

/**
 * An AWS SDK client on an emulator, configured as the server configures its own (signed with the
 * emulator's admin credentials); destroyed when the test ends.
 */
export function emulatorClient (t: Pick<Test, 'teardown'>, emulator: { endpoint?: string, region: string, credentials: { accessKeyId: string, secretAccessKey: string } }): CognitoIdentityProviderClient {
  const client = new CognitoIdentityProviderClient({
    endpoint: emulator.endpoint,
    region: emulator.region,
    credentials: { ...emulator.credentials }, // a copy: the SDK marks the object it is given
    maxAttempts: 1
  })
  t.teardown(() => client.destroy())
  return client
}

/** An emulator as the admin helpers reach it: its endpoint, region, pool and admin credentials. */
interface EmulatorPool { endpoint?: string, region: string, userPoolId: string, credentials: { accessKeyId: string, secretAccessKey: string } }

/**
 * The admin side of an emulator, or of an app's embedded one: an AWS SDK client signed with its
 * admin credentials (one attempt per call, destroyed when the test ends) and the pool's id, the
 * shape the operator script's functions take.
 */
export function adminOf (t: Tap | Pick<Test, 'teardown'>, of: FastifyInstance | EmulatorPool): PoolAdmin {
  const pool = 'inject' in of ? embeddedPool(of) : of
  return { cognito: emulatorClient(t, pool), userPoolId: pool.userPoolId }
}

function embeddedPool (app: FastifyInstance): EmulatorPool {
  const emulator = app.emulator
  if (emulator === undefined) throw new Error('the app does not run the embedded emulator')
  return { ...emulator.pool, credentials: emulator.credentials }
}

/** Runs a command in the repository to its end (killed if the test `t` ends first): its exit code and output. */
export async function runCommand (command: string, args: string[], env: Record<string, string | undefined> = process.env, t?: Pick<Test, 'teardown'>): Promise<{ code: number, stdout: string, stderr: string }> {
  const child = spawn(command, args, { cwd: join(import.meta.dirname, '..'), env, stdio: ['ignore', 'pipe', 'pipe'] })
  t?.teardown(() => { if (child.exitCode === null) child.kill('SIGKILL') })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk) => { stdout += String(chunk) })
  child.stderr.on('data', (chunk) => { stderr += String(chunk) })
  const [code] = await once(child, 'exit') as [number]
  return { code, stdout, stderr }
}

/** Runs one of the repository's scripts as `npm run` does, with only `env` (and PATH, HOME). */
export function runScript (t: Pick<Test, 'teardown'>, script: string, args: string[], env: Record<string, string>): Promise<{ code: number, stdout: string, stderr: string }> {
  return runCommand(process.execPath, ['--import', 'tsx', script, ...args], { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, t)
}
