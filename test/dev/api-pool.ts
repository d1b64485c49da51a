// Pools and app clients made through Cognito's own API (CreateUserPool, SetUserPoolMfaConfig,
// CreateUserPoolClient, signed with the emulator's admin credentials), as a team's pool is made;
// their users; and an SRP client whose math is amazon-cognito-identity-js's (AWS's own browser
// library), not ours, for USER_SRP_AUTH and the device challenges through the AWS SDK.
import { createHmac } from 'node:crypto'
import { createRequire } from 'node:module'
import {
  AdminConfirmSignUpCommand, CreateUserPoolClientCommand, CreateUserPoolCommand, InitiateAuthCommand, RespondToAuthChallengeCommand,
  SetUserPoolMfaConfigCommand, SignUpCommand, type CognitoIdentityProviderClient, type CreateUserPoolClientCommandInput,
  type CreateUserPoolCommandInput, type RespondToAuthChallengeCommandOutput
} from '@aws-sdk/client-cognito-identity-provider'
import { PASSWORD_POLICY } from '../../src/password-policy.ts'
import { PASSWORD } from './pool.ts'

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
  /** A confirmed user (email as the username) with PASSWORD. */
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

let pools = 0

/**
 * Makes a pool and an app client through the API: email as the username, email auto-verified and
 * the password policy `npm run provision` sets (so PASSWORD passes it), unless `options` say otherwise.
 */
export async function createApiPool (cognito: CognitoIdentityProviderClient, options: ApiPoolOptions = {}): Promise<ApiPool> {
  const { UserPool } = await cognito.send(new CreateUserPoolCommand({ PoolName: `api-pool-${++pools}`, UsernameAttributes: ['email'], AutoVerifiedAttributes: ['email'], Policies: { PasswordPolicy: PASSWORD_POLICY }, ...options.pool }))
  const userPoolId = UserPool?.Id ?? ''
  if (options.mfa !== undefined) await cognito.send(new SetUserPoolMfaConfigCommand({ UserPoolId: userPoolId, MfaConfiguration: options.mfa, SoftwareTokenMfaConfiguration: { Enabled: true } }))
  const { UserPoolClient } = await cognito.send(new CreateUserPoolClientCommand({ UserPoolId: userPoolId, ClientName: 'app', ...options.client }))
  const clientId = UserPoolClient?.ClientId ?? ''
  const clientSecret = UserPoolClient?.ClientSecret
  const hash = (name: string): Record<string, string> => clientSecret === undefined ? {} : { SECRET_HASH: secretHashOf(clientSecret, name, clientId) }
  let users = 0
  const respond: ApiPool['respond'] = (previous, name, username, responses = {}) => cognito.send(new RespondToAuthChallengeCommand({
    ClientId: clientId, ChallengeName: name as never, Session: previous.Session, ChallengeResponses: { USERNAME: username, ...hash(username), ...responses }
  }))
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
      await cognito.send(new SignUpCommand({ ClientId: clientId, Username: email, Password: PASSWORD, SecretHash: hash(email).SECRET_HASH }))
      await cognito.send(new AdminConfirmSignUpCommand({ UserPoolId: userPoolId, Username: email }))
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
