// moto (an independent implementation of Cognito, not ours) for the moto suite: one moto_server per test file on a free loopback port, pools made through the SDK, the server built on them from environment variables only.
import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import {
  AdminAddUserToGroupCommand,
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  type CreateUserPoolClientCommandInput
} from '@aws-sdk/client-cognito-identity-provider'
import type { FastifyInstance } from 'fastify'
import { createGuardrails, generateSync } from 'otplib'
import type { Test } from 'tap'
import { build, Client, CONFIRM_SIGN_UP, newEmail, PASSWORD, SIGN_IN, SIGN_UP, withAwsCredentials } from '../helper.ts'

type Tap = Pick<Test, 'teardown' | 'testdir'>

/** moto takes any credentials; the server finds these through the SDK's standard chain, as a deployment does. */
const CREDENTIALS = { accessKeyId: 'moto-access-key', secretAccessKey: 'moto-secret-key' }
// moto serves the calls that carry no signature (those made with a user's access token, such as
// GlobalSignOut) from its default region only: the suite's pools live there (docs/moto.md).
const REGION = 'us-east-1'
const COOKIE_SECRET = 'a-moto-suite-cookie-secret-of-32-characters-or-more'

/** What the tests need of the moto they run against. */
export interface Moto {
  endpoint: string
  region: string
  /** An admin SDK client on moto, for making pools and for looking behind the server's back. */
  sdk: CognitoIdentityProviderClient
}

/** The pool and app client a server is configured with. */
export interface MotoPool {
  userPoolId: string
  clientId: string
  clientSecret?: string
}

/** Waits until moto says where it listens (it prints the port it was given, here the one the OS chose). */
async function listening (child: ChildProcess): Promise<string> {
  let output = ''
  return await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`moto_server did not start within 30 s:\n${output}`)), 30_000)
    const read = (chunk: Buffer): void => {
      output += String(chunk)
      const url = /Running on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1]
      if (url !== undefined) {
        clearTimeout(timer)
        resolve(url)
      }
    }
    child.stdout?.on('data', read)
    child.stderr?.on('data', read)
    child.once('error', (err) => { clearTimeout(timer); reject(err) })
    child.once('exit', (code) => {
      clearTimeout(timer)
      // Loud, never a skip: CI has moto (.ci/run checks for it), so a missing moto is a broken machine.
      reject(new Error(`moto_server exited (${code}) before listening: is moto installed? (python3 -m pip install 'moto[server]==5.2.1')\n${output}`))
    })
  })
}

/**
 * Starts `python3 -m moto.server` on a free loopback port for the whole test file (stopped by its
 * pid when the file's tests end), with TOTP codes checked as AWS checks them. Its credentials are
 * the process's meanwhile: the server's SDK finds them through its standard chain.
 */
export async function startMoto (t: Tap): Promise<Moto> {
  withAwsCredentials(t, CREDENTIALS)
  const child = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, MOTO_COGNITO_IDP_USER_POOL_ENABLE_TOTP: 'true' }
  })
  t.teardown(async () => {
    if (child.exitCode !== null || child.pid === undefined) return
    const exited = once(child, 'exit')
    process.kill(child.pid, 'SIGTERM')
    const timer = setTimeout(() => { if (child.exitCode === null && child.pid !== undefined) process.kill(child.pid, 'SIGKILL') }, 5000)
    await exited
    clearTimeout(timer)
  })
  return inRegion(t, { endpoint: await listening(child) }, REGION)
}

/** The same moto seen from another region (pools are made, and the server signs its calls, there). */
export function inRegion (t: Tap, moto: Pick<Moto, 'endpoint'>, region: string): Moto {
  const sdk = new CognitoIdentityProviderClient({ region, endpoint: moto.endpoint, credentials: { ...CREDENTIALS }, maxAttempts: 1 })
  t.teardown(() => sdk.destroy())
  return { endpoint: moto.endpoint, region, sdk }
}

/**
 * A user pool made through Cognito's API as a team would have it for this server: email as the
 * username, codes by email, TOTP available, an `admin` group, and an app client with the password
 * and refresh flows that reads the profile (`client` overrides its settings, e.g. `GenerateSecret`).
 */
export async function createPool (moto: Moto, client: Partial<CreateUserPoolClientCommandInput> = {}): Promise<MotoPool> {
  const { UserPool } = await moto.sdk.send(new CreateUserPoolCommand({
    PoolName: 'moto-suite',
    UsernameAttributes: ['email'],
    AutoVerifiedAttributes: ['email'],
    MfaConfiguration: 'OPTIONAL',
    Schema: [{ Name: 'name', AttributeDataType: 'String', Mutable: true }]
  }))
  const userPoolId = UserPool?.Id as string
  await moto.sdk.send(new CreateGroupCommand({ UserPoolId: userPoolId, GroupName: 'admin' }))
  const { UserPoolClient } = await moto.sdk.send(new CreateUserPoolClientCommand({
    UserPoolId: userPoolId,
    ClientName: 'moto-suite',
    ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    // AWS lets a client without ReadAttributes read every attribute; moto then puts none in its id
    // tokens (docs/moto.md). Naming them is valid on AWS as well.
    ReadAttributes: ['email', 'email_verified', 'name'],
    ...client
  }))
  return { userPoolId, clientId: UserPoolClient?.ClientId as string, clientSecret: UserPoolClient?.ClientSecret }
}

/**
 * The server in production mode on a moto pool, configured by environment variables only (no
 * keys or clients handed in: the signing keys come from moto's JWKS URI, the admin credentials
 * from the SDK's chain). `env` adds variables.
 */
export async function buildOnMoto (t: Tap, moto: Moto, pool: MotoPool, env: Record<string, string> = {}): Promise<FastifyInstance> {
  return await build(t, {
    env: {
      NODE_ENV: 'production',
      COOKIE_SECRET,
      COGNITO_ENDPOINT: moto.endpoint,
      COGNITO_REGION: moto.region,
      COGNITO_USER_POOL_ID: pool.userPoolId,
      COGNITO_CLIENT_ID: pool.clientId,
      ...(pool.clientSecret === undefined ? {} : { COGNITO_CLIENT_SECRET: pool.clientSecret }),
      // The suite's checks are about Cognito: no breached-password look-ups over the internet, and
      // no one-second existence floor on each of its sign-ups.
      PWNED_PASSWORDS: 'off',
      EXISTENCE_TIMING_FLOOR_MS: '0',
      ...env
    }
  })
}

/** What moto's ConfirmSignUp takes: it checks no code (docs/moto.md), so any well-formed one confirms. */
export const ANY_CODE = '000000'

/** Signs up and confirms through the API (no mailbox: moto sends nothing); the client stays signed out. */
export async function register (client: Client, email = newEmail(), password = PASSWORD): Promise<string> {
  const signUp = await client.gql(SIGN_UP, { input: { email, password } })
  if (signUp.errors !== undefined) throw new Error(`sign-up failed: ${JSON.stringify(signUp.errors)}`)
  const confirm = await client.gql(CONFIRM_SIGN_UP, { email, code: ANY_CODE })
  if (confirm.data?.confirmSignUp !== true) throw new Error(`confirmation failed: ${JSON.stringify(confirm.errors)}`)
  return email
}

/** Registers a user and signs the client in; returns the email. */
export async function signedIn (client: Client, email = newEmail(), password = PASSWORD): Promise<string> {
  await register(client, email, password)
  const res = await client.gql(SIGN_IN, { email, password })
  if (res.data?.signIn?.__typename !== 'Session') throw new Error(`sign-in failed: ${JSON.stringify(res.errors)}`)
  return email
}

/** A member of the pool's `admin` group (made so through the SDK), signed in: their tokens carry the group. */
export async function signedInAdmin (app: FastifyInstance, moto: Moto, pool: MotoPool): Promise<Client> {
  const client = new Client(app)
  const email = await register(client, newEmail('operator'))
  await moto.sdk.send(new AdminAddUserToGroupCommand({ UserPoolId: pool.userPoolId, Username: email, GroupName: 'admin' }))
  await client.gql(SIGN_IN, { email, password: PASSWORD })
  return client
}

/**
 * The code an authenticator app shows for a secret at `epoch` (seconds). moto hands every user the
 * same 12-character secret, 60 bits whose last character has bits left over: authenticator apps
 * drop those (as Python's base32 does), where otplib's strict decoder refuses the secret and its
 * guardrails the length. AWS's secrets are 32 characters and pass both.
 */
export function authenticatorCode (secret: string, epoch = Math.floor(Date.now() / 1000)): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
  const bits = [...secret.toUpperCase().replace(/=+$/, '')].map((c) => alphabet.indexOf(c).toString(2).padStart(5, '0')).join('')
  const bytes = Uint8Array.from(bits.match(/.{8}/g) ?? [], (byte) => parseInt(byte, 2))
  return generateSync({ secret: bytes, epoch, guardrails: createGuardrails({ MIN_SECRET_BYTES: bytes.length }) })
}
