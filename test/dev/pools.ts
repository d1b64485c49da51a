// Pools of any shape, made the way a team makes theirs: through Cognito's own API (CreateUserPool,
// SetUserPoolMfaConfig, CreateUserPoolClient), signed with the emulator's admin credentials, in a
// test's emulator (./pool.ts). Then the users' ways in, through the AWS SDK, with an SRP client
// whose math is amazon-cognito-identity-js's (AWS's own browser library), not ours, for
// USER_SRP_AUTH and the device challenges.
import { createHmac } from 'node:crypto'
import { createRequire } from 'node:module'
import {
  AdminConfirmSignUpCommand, AdminUpdateUserAttributesCommand, ConfirmSignUpCommand, CreateUserPoolClientCommand, CreateUserPoolCommand,
  InitiateAuthCommand, RespondToAuthChallengeCommand, SetUserPoolMfaConfigCommand, SignUpCommand,
  type CognitoIdentityProviderClient, type CreateUserPoolClientCommandInput, type ExplicitAuthFlowsType, type CreateUserPoolCommandInput,
  type InitiateAuthCommandOutput, type RespondToAuthChallengeCommandOutput, type SetUserPoolMfaConfigCommandInput
} from '@aws-sdk/client-cognito-identity-provider'
import { PASSWORD_POLICY } from '../../src/password-policy.ts'
import { PASSWORD as POLICY_PASSWORD, type TestEmulator } from './pool.ts'

/** A password AWS's default policy takes (symbols required), for pools made without a policy. */
export const PASSWORD = 'Correct1horse!'

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
  /** CreateUserPoolClient's request, UserPoolId and ClientName aside. */
  client?: Omit<CreateUserPoolClientCommandInput, 'UserPoolId' | 'ClientName'>
  /** SetUserPoolMfaConfig's request, UserPoolId aside. */
  mfa?: Omit<SetUserPoolMfaConfigCommandInput, 'UserPoolId'>
}

/** createPool's app client when the shape names none: password and custom auth, refresh, existence hidden. */
const DEFAULT_CLIENT = {
  ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_CUSTOM_AUTH', 'ALLOW_USER_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] as ExplicitAuthFlowsType[],
  PreventUserExistenceErrors: 'ENABLED' as const,
  EnableTokenRevocation: true
}

let pools = 0

/** A pool of `shape` and an app client of it, made through the API: their ids and the client's secret, if it has one. */
async function makePool (cognito: CognitoIdentityProviderClient, shape: PoolShape): Promise<{ poolId: string, clientId: string, clientSecret?: string }> {
  const { UserPool } = await cognito.send(new CreateUserPoolCommand({ PoolName: `pool-${++pools}-${Date.now()}`, ...shape.pool }))
  const poolId = UserPool?.Id ?? ''
  if (shape.mfa !== undefined) await cognito.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, ...shape.mfa }))
  const { UserPoolClient } = await cognito.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'app', ...shape.client }))
  const clientSecret = UserPoolClient?.ClientSecret
  return { poolId, clientId: UserPoolClient?.ClientId ?? '', ...(clientSecret === undefined ? {} : { clientSecret }) }
}

/** RespondToAuthChallenge through `clientId` with the previous answer's session. */
const responder = (cognito: CognitoIdentityProviderClient, clientId: string) =>
  (previous: { Session?: string }, name: string, responses: Record<string, string>): Promise<RespondToAuthChallengeCommandOutput> =>
    cognito.send(new RespondToAuthChallengeCommand({ ClientId: clientId, ChallengeName: name as never, Session: previous.Session, ChallengeResponses: responses }))

/** Makes a pool of `shape` in the test's emulator, and an app client of it (DEFAULT_CLIENT unless the shape names one). */
export async function createPool ({ emulator, cognito }: TestEmulator, shape: PoolShape = {}): Promise<TestPool> {
  const { poolId, clientId } = await makePool(cognito, { ...shape, client: { ...DEFAULT_CLIENT, ...shape.client } })
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
    respond: responder(cognito, clientId)
  }
}

/** The claims of a JWT, unverified (the emulator signed it; the tests read what it put in). */
export const claimsOf = (jwt: string | undefined): Record<string, any> => JSON.parse(Buffer.from((jwt ?? '').split('.')[1] ?? '', 'base64url').toString())

/** The parts of amazon-cognito-identity-js's AuthenticationHelper the tests use (its typings leave it out). */
interface AuthenticationHelper {
  getLargeAValue (cb: (err: unknown, A: { toString (radix: number): string }) => void): void
  getPasswordAuthenticationKey (id: string, secret: string, B: unknown, salt: unknown, cb: (err: unknown, key: Buffer) => void): void
  generateHashDevice (groupKey: string, deviceKey: string, cb: (err: unknown) => void): void
  getSaltDevices (): string
  getVerifierDevices (): string
  getRandomPassword (): string
}
const require = createRequire(import.meta.url)
const cognitoJs = require('amazon-cognito-identity-js') as { AuthenticationHelper: new (prefix: string) => AuthenticationHelper, DateHelper: new () => { getNowString (): string } }
const { default: BigInteger } = require('amazon-cognito-identity-js/lib/BigInteger.js') as { default: new (hex: string, radix: number) => unknown }

/** The SECRET_HASH of `name` for a client with `secret` (AWS's formula, written out here as its documentation gives it). */
export const secretHashOf = (secret: string, name: string, clientId: string): string => createHmac('sha256', secret).update(name + clientId).digest('base64')

/**
 * One SRP exchange as the library runs it: `A` to send, then the claim (PASSWORD_CLAIM_SIGNATURE,
 * PASSWORD_CLAIM_SECRET_BLOCK, TIMESTAMP) for the server's SRP_B, SALT and SECRET_BLOCK. `prefix`
 * is the pool's name for a user, the device group key for a device.
 */
export function srpExchange (prefix: string): { A: string, claim: (id: string, secret: string, params: Record<string, string> | undefined, timestamp?: string) => Record<string, string> } {
  const helper = new cognitoJs.AuthenticationHelper(prefix)
  let A = ''
  helper.getLargeAValue((_err, value) => { A = value.toString(16) })
  return {
    A,
    claim (id, secret, params = {}, timestamp = new cognitoJs.DateHelper().getNowString()) {
      let key: Buffer = Buffer.alloc(0)
      helper.getPasswordAuthenticationKey(id, secret, new BigInteger(String(params.SRP_B), 16), new BigInteger(String(params.SALT), 16), (_err, k) => { key = k })
      const message = Buffer.concat([Buffer.from(prefix), Buffer.from(id), Buffer.from(String(params.SECRET_BLOCK), 'base64'), Buffer.from(timestamp)])
      return { PASSWORD_CLAIM_SIGNATURE: createHmac('sha256', key).update(message).digest('base64'), PASSWORD_CLAIM_SECRET_BLOCK: String(params.SECRET_BLOCK), TIMESTAMP: timestamp }
    }
  }
}

/** A device's secrets as the library makes them for ConfirmDevice: the verifier config to send and the random password to keep. */
export function newDeviceSecret (groupKey: string, deviceKey: string): { config: { PasswordVerifier: string, Salt: string }, password: string } {
  const helper = new cognitoJs.AuthenticationHelper(groupKey)
  helper.generateHashDevice(groupKey, deviceKey, () => {})
  return {
    config: { PasswordVerifier: Buffer.from(helper.getVerifierDevices(), 'hex').toString('base64'), Salt: Buffer.from(helper.getSaltDevices(), 'hex').toString('base64') },
    password: helper.getRandomPassword()
  }
}

/** A pool made through the API, its app client, and what the tests do with them. */
export interface ApiPool {
  userPoolId: string
  /** The pool's name as SRP hashes it (after the region in its id). */
  poolName: string
  clientId: string
  clientSecret?: string
  /** A confirmed user (email as the username, verified) with pool.ts's PASSWORD (the provisioned policy's). */
  user: (prefix?: string) => Promise<string>
  /** SECRET_HASH of `name` when the client has a secret (the right one), else nothing. */
  hash: (name: string) => Record<string, string>
  /** USER_SRP_AUTH through PASSWORD_VERIFIER with the library's math; `extra` goes into both requests (DEVICE_KEY …). */
  srpSignIn: (username: string, password: string, extra?: Record<string, string>) => Promise<RespondToAuthChallengeCommandOutput>
  /** USER_PASSWORD_AUTH (cheaper than SRP where the flow is not the point); `extra` goes into AuthParameters. */
  passwordSignIn: (username: string, password: string, extra?: Record<string, string>) => Promise<RespondToAuthChallengeCommandOutput>
  /** A challenge answered with the previous answer's session; USERNAME (and its SECRET_HASH) added. */
  respond: (previous: { Session?: string }, name: string, username: string, responses?: Record<string, string>) => Promise<RespondToAuthChallengeCommandOutput>
}

export interface ApiPoolOptions {
  pool?: Partial<CreateUserPoolCommandInput>
  client?: Partial<CreateUserPoolClientCommandInput>
  /** TOTP as an MFA method, OPTIONAL or ON. */
  mfa?: 'OPTIONAL' | 'ON'
}

/**
 * Makes a pool and an app client through the API: email as the username, email auto-verified and
 * the password policy `npm run provision` sets (so pool.ts's PASSWORD passes it), unless `options` say otherwise.
 */
export async function createApiPool (cognito: CognitoIdentityProviderClient, options: ApiPoolOptions = {}): Promise<ApiPool> {
  const { poolId: userPoolId, clientId, clientSecret } = await makePool(cognito, {
    pool: { UsernameAttributes: ['email'], AutoVerifiedAttributes: ['email'], Policies: { PasswordPolicy: PASSWORD_POLICY }, ...options.pool },
    client: { ...options.client },
    ...(options.mfa === undefined ? {} : { mfa: { MfaConfiguration: options.mfa, SoftwareTokenMfaConfiguration: { Enabled: true } } })
  })
  const hash = (name: string): Record<string, string> => clientSecret === undefined ? {} : { SECRET_HASH: secretHashOf(clientSecret, name, clientId) }
  let users = 0
  const answer = responder(cognito, clientId)
  const respond: ApiPool['respond'] = (previous, name, username, responses = {}) => answer(previous, name, { USERNAME: username, ...hash(username), ...responses })
  const poolName = userPoolId.slice(userPoolId.indexOf('_') + 1)
  return {
    userPoolId,
    poolName,
    clientId,
    ...(clientSecret === undefined ? {} : { clientSecret }),
    hash,
    respond,
    async user (prefix = 'user') {
      const email = `${prefix}${++users}-${Date.now()}@example.com`
      await cognito.send(new SignUpCommand({ ClientId: clientId, Username: email, Password: POLICY_PASSWORD, SecretHash: hash(email).SECRET_HASH }))
      // AdminConfirmSignUp verifies no email (as on AWS); ForgotPassword needs a verified one.
      await cognito.send(new AdminConfirmSignUpCommand({ UserPoolId: userPoolId, Username: email }))
      await cognito.send(new AdminUpdateUserAttributesCommand({ UserPoolId: userPoolId, Username: email, UserAttributes: [{ Name: 'email_verified', Value: 'true' }] }))
      return email
    },
    passwordSignIn: (username, password, extra = {}) => cognito.send(new InitiateAuthCommand({
      ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: password, ...hash(username), ...extra }
    })),
    async srpSignIn (username, password, extra = {}) {
      const srp = srpExchange(poolName)
      const started = await cognito.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: username, SRP_A: srp.A, ...hash(username), ...extra } }))
      const id = String(started.ChallengeParameters?.USER_ID_FOR_SRP)
      return await respond(started, 'PASSWORD_VERIFIER', id, { ...srp.claim(id, password, started.ChallengeParameters), ...extra })
    }
  }
}
