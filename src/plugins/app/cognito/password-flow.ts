// How a password and a remembered device are proven to Cognito: USER_PASSWORD_AUTH or SRP, as COGNITO_PASSWORD_FLOW and the app client say, then device SRP.
import {
  InitiateAuthCommand, RespondToAuthChallengeCommand, type DeviceConfigurationType, type InitiateAuthCommandOutput
} from '@aws-sdk/client-cognito-identity-provider'
import { AppError } from '../../../errors.ts'
import { srpClient } from '../../../srp.ts'
import { exceptionName } from './errors.ts'
import { fail, type CognitoClient } from './client.ts'
import { withDeviceKey, type Watch } from './device-key.ts'
import type { DevicePolicy } from './device-policy.ts'

/** COGNITO_PASSWORD_FLOW. */
export type PasswordFlowSetting = 'auto' | 'password' | 'srp'
type Flow = 'password' | 'srp'

/** A device Cognito tracks for a browser: its key, its group key and the secret its verifier was made of (kept only in the browser's sealed cookie). */
export interface RememberedDevice { key: string, groupKey: string, secret: string }

/** Cognito's refusal of a flow the app client does not allow (InvalidParameterException). */
const PASSWORD_FLOW_REFUSED = /USER_PASSWORD_AUTH flow not enabled/i

/** Exceptions of a password check that would tell an unknown or unconfirmed user from a wrong password. */
const HIDDEN = ['UserNotConfirmedException', 'UserNotFoundException']

/**
 * The password flows an app client's ExplicitAuthFlows allow, as AWS reads them: none given is
 * AWS's default (SRP, custom, refresh); the legacy names allow SRP unless CUSTOM_AUTH_FLOW_ONLY.
 */
export function allowedPasswordFlows (explicit: string[] | undefined): Flow[] {
  if (explicit === undefined || explicit.length === 0) return ['srp']
  const legacy = !explicit.some((f) => f.startsWith('ALLOW_'))
  const flows: Flow[] = []
  if (explicit.includes('ALLOW_USER_PASSWORD_AUTH') || (legacy && explicit.includes('USER_PASSWORD_AUTH'))) flows.push('password')
  if (explicit.includes('ALLOW_USER_SRP_AUTH') || (legacy && !explicit.includes('CUSTOM_AUTH_FLOW_ONLY'))) flows.push('srp')
  return flows
}

/** The app client's password flows and the pool's device tracking (DescribeUserPoolClient, DescribeUserPool); undefined without admin credentials. */
async function describe (cognito: CognitoClient): Promise<{ allowed: Flow[], devices: DeviceConfigurationType | undefined } | undefined> {
  const { logger } = cognito
  try {
    const described = await cognito.describeClient()
    const allowed = allowedPasswordFlows(described.UserPoolClient?.ExplicitAuthFlows)
    if (allowed.length === 0) logger.error('the app client allows neither USER_PASSWORD_AUTH nor USER_SRP_AUTH: password sign-in is refused until it allows one (docs/sign-in-flows.md)')
    const { UserPool } = await cognito.describePool()
    return { allowed, devices: UserPool?.DeviceConfiguration }
  } catch (err) {
    logger.info({ exception: exceptionName(err) }, 'could not read the app client (DescribeUserPoolClient): the password flow is learned at the first sign-in')
    return undefined
  }
}

/** Password and device proofs: the flow picked once (or learned), the SRP exchanges answered on the user's behalf. */
export function passwordFlows (cognito: CognitoClient, setting: PasswordFlowSetting, devices: DevicePolicy) {
  const { call, clientId, logger, pool } = cognito
  // SRP hashes the pool by its name: the part of its id after the region.
  const poolName = pool.userPoolId.slice(pool.userPoolId.indexOf('_') + 1)
  /** The flow in use: `auto` starts unknown (USER_PASSWORD_AUTH is tried, and a refusal remembered). */
  let flow: Flow | undefined = setting === 'auto' ? undefined : setting
  /** The client allows neither password flow (read at start). */
  let neither = false

  /** Each step of a proof: never retried (a retry would count as a second wrong password); `watch` sees Cognito's own failures. */
  const step = async (command: object, watch?: Watch): Promise<InitiateAuthCommandOutput> =>
    await call<InitiateAuthCommandOutput>(command, { retry: false, hidden: HIDDEN, fallback: fail('INVALID_CREDENTIALS'), seen: watch })
  const respond = async (name: string, session: string | undefined, responses: Record<string, string>, watch?: Watch): Promise<InitiateAuthCommandOutput> =>
    await step(new RespondToAuthChallengeCommand({
      ClientId: clientId, ChallengeName: name as never, Session: session, ChallengeResponses: { ...responses, ...cognito.withSecretHash(responses.USERNAME ?? '') }
    }), watch)

  /** Answers PASSWORD_VERIFIER with the claim for `password` (USERNAME: Cognito's username, USER_ID_FOR_SRP). */
  async function proveSrp (srp: ReturnType<typeof srpClient>, asked: InitiateAuthCommandOutput, password: string, extra: Record<string, string>, watch?: Watch): Promise<InitiateAuthCommandOutput> {
    if (asked.ChallengeName !== 'PASSWORD_VERIFIER') return asked
    const p = asked.ChallengeParameters ?? {}
    const id = p.USER_ID_FOR_SRP ?? p.USERNAME ?? ''
    const claim = srp.claim({ prefix: poolName, id }, password, p)
    if (claim === undefined) throw new AppError('SERVICE_UNAVAILABLE')
    return await respond('PASSWORD_VERIFIER', asked.Session, { USERNAME: id, ...claim, ...extra }, watch)
  }

  async function srpAuth (username: string, password: string, extra: Record<string, string>, watch?: Watch): Promise<InitiateAuthCommandOutput> {
    const srp = srpClient()
    const asked = await step(new InitiateAuthCommand({
      ClientId: clientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: username, SRP_A: srp.A, ...extra, ...cognito.withSecretHash(username) }
    }), watch)
    return await proveSrp(srp, asked, password, extra, watch)
  }

  /** USER_PASSWORD_AUTH; in `auto` before the flow is known, a refusal of the flow is remembered and SRP used. */
  async function plainAuth (username: string, password: string, extra: Record<string, string>, watch?: Watch): Promise<InitiateAuthCommandOutput> {
    let refused = false
    try {
      return await step(new InitiateAuthCommand({
        ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: password, ...extra, ...cognito.withSecretHash(username) }
      }), (err) => {
        refused = exceptionName(err) === 'InvalidParameterException' && PASSWORD_FLOW_REFUSED.test((err as Error).message)
        watch?.(err)
      })
    } catch (err) {
      if (!refused || setting !== 'auto' || flow !== undefined) throw err
      flow = 'srp'
      logger.info('the app client refused USER_PASSWORD_AUTH: passwords are proven with SRP (USER_SRP_AUTH) from now on')
      return await srpAuth(username, password, extra, watch)
    }
  }

  /** One password sign-in as the flow says. */
  const once = async (username: string, password: string, extra: Record<string, string>, watch?: Watch): Promise<InitiateAuthCommandOutput> =>
    flow === 'srp' ? await srpAuth(username, password, extra, watch) : await plainAuth(username, password, extra, watch)

  return {
    /** Reads the app client's flows (for `auto`) and the pool's device tracking, once at start; admin credentials are needed, and their absence is no failure. */
    async discover (): Promise<void> {
      const found = await describe(cognito)
      if (found === undefined) return
      neither = found.allowed.length === 0
      if (setting === 'auto' && !neither) flow = found.allowed[0]
      devices.read(found.devices)
    },

    /** What start-up learned: the flow in use (undefined: not known yet) and whether the client allows neither. */
    passwordFlow: () => ({ flow, neither }),

    /**
     * A password sign-in (or check), never retried; an unknown or unconfirmed user is a wrong
     * password. With `deviceKey`, a key Cognito no longer knows (ResourceNotFoundException after
     * the password) is dropped and the sign-in made again without it, as AWS's clients do.
     */
    async passwordAuth (username: string, password: string, deviceKey?: string): Promise<InitiateAuthCommandOutput> {
      return await withDeviceKey(deviceKey, async (extra, watch) => await once(username, password, extra, watch))
    },

    /** SELECT_CHALLENGE's answer for a password: PASSWORD with it, or PASSWORD_SRP and then the proof. */
    async selectPassword (session: string, username: string, password: string): Promise<InitiateAuthCommandOutput> {
      if (flow !== 'srp') return await respond('SELECT_CHALLENGE', session, { USERNAME: username, ANSWER: 'PASSWORD', PASSWORD: password })
      const srp = srpClient()
      const asked = await respond('SELECT_CHALLENGE', session, { USERNAME: username, ANSWER: 'PASSWORD_SRP', SRP_A: srp.A })
      return await proveSrp(srp, asked, password, {})
    },

    /** Answers DEVICE_SRP_AUTH for `device` (and the DEVICE_PASSWORD_VERIFIER it asks); any other step is returned as it is. */
    async proveDevice (asked: InitiateAuthCommandOutput, device: RememberedDevice | undefined): Promise<InitiateAuthCommandOutput> {
      if (asked.ChallengeName !== 'DEVICE_SRP_AUTH') return asked
      // Cognito asks only for the device the sign-in named; without its secret the sign-in cannot go on.
      if (device === undefined) throw new AppError('CHALLENGE_EXPIRED')
      const username = asked.ChallengeParameters?.USERNAME ?? ''
      const srp = srpClient()
      const verifier = await respond('DEVICE_SRP_AUTH', asked.Session, { USERNAME: username, DEVICE_KEY: device.key, SRP_A: srp.A })
      const claim = srp.claim({ prefix: device.groupKey, id: device.key }, device.secret, verifier.ChallengeParameters ?? {})
      if (claim === undefined) throw new AppError('SERVICE_UNAVAILABLE')
      return await respond('DEVICE_PASSWORD_VERIFIER', verifier.Session, { USERNAME: username, DEVICE_KEY: device.key, ...claim })
    }
  }
}
