// Where the user-lifecycle triggers run and how AWS reads their answers: pre sign-up (auto-confirm,
// auto-verify), post confirmation, pre authentication (before any credential is looked at, also for
// an unknown username when the app client hides existence) and post authentication (after tokens:
// a throw takes them back).
import type { AttributeType, InitiateAuthRequest } from '@aws-sdk/client-cognito-identity-provider'
import type { User, UserPoolService } from 'cognito-local/lib/services/userPoolService.js'
import type { Bridge } from './bridge.ts'
import { revokeSessions } from './access-token.ts'
import type { AuthAnswer } from './authentication-result.ts'
import { invalidLambdaResponse } from './errors.ts'
import { eventAttributes } from './triggers.ts'

type Triggered = Pick<Bridge, 'ctx' | 'services' | 'triggers'>

/** What pre sign-up decided: AWS ignores all three for AdminCreateUser. */
export interface SignUpDecision { autoConfirmUser: boolean, autoVerifyEmail: boolean, autoVerifyPhone: boolean }

const record = (value: unknown): Record<string, string> | undefined =>
  typeof value === 'object' && value !== null ? value as Record<string, string> : undefined

/**
 * Runs pre sign-up for a user about to be made (PreSignUp_SignUp, _AdminCreateUser,
 * _ExternalProvider) and reads its answer as AWS does: auto-verifying an email or phone number
 * the user does not give is refused (InvalidLambdaResponseException, assumed).
 */
export async function preSignUp (
  { triggers }: Triggered, pool: UserPoolService,
  invocation: { source: 'SignUp' | 'AdminCreateUser' | 'ExternalProvider', username: string, attributes: AttributeType[], clientId?: string, validationData?: unknown, clientMetadata?: unknown }
): Promise<SignUpDecision> {
  const response = await triggers.run('preSignUp', {
    pool,
    triggerSource: `PreSignUp_${invocation.source}`,
    userName: invocation.username,
    clientId: invocation.clientId,
    request: {
      userAttributes: Object.fromEntries(invocation.attributes.map((a) => [a.Name, a.Value ?? ''])),
      validationData: Array.isArray(invocation.validationData) ? Object.fromEntries((invocation.validationData as AttributeType[]).map((a) => [a.Name, a.Value])) : null,
      ...(record(invocation.clientMetadata) === undefined ? {} : { clientMetadata: record(invocation.clientMetadata) })
    },
    response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false }
  })
  if (response === undefined || invocation.source === 'AdminCreateUser') return { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false }
  const decision = { autoConfirmUser: response.autoConfirmUser === true, autoVerifyEmail: response.autoVerifyEmail === true, autoVerifyPhone: response.autoVerifyPhone === true }
  const has = (name: string): boolean => invocation.attributes.some((a) => a.Name === name && typeof a.Value === 'string' && a.Value !== '')
  if (decision.autoVerifyEmail && !has('email')) throw invalidLambdaResponse('PreSignUp: autoVerifyEmail needs the email attribute.')
  if (decision.autoVerifyPhone && !has('phone_number')) throw invalidLambdaResponse('PreSignUp: autoVerifyPhone needs the phone_number attribute.')
  return decision
}

/** Runs post confirmation for `user` (a throw is the operation's failure; the user stays confirmed, as on AWS). */
export async function postConfirmation (
  { triggers }: Triggered, pool: UserPoolService, user: User,
  source: 'ConfirmSignUp' | 'ConfirmForgotPassword', clientId?: string | null, clientMetadata?: unknown
): Promise<void> {
  await triggers.run('postConfirmation', {
    pool,
    triggerSource: `PostConfirmation_${source}`,
    userName: user.Username,
    clientId,
    request: { userAttributes: eventAttributes(user), ...(record(clientMetadata) === undefined ? {} : { clientMetadata: record(clientMetadata) }) }
  })
}

/** The AuthFlows that sign a user in (pre and post authentication run); refreshes do not. */
const SIGN_IN_FLOWS = ['USER_PASSWORD_AUTH', 'USER_SRP_AUTH', 'CUSTOM_AUTH', 'USER_AUTH', 'ADMIN_USER_PASSWORD_AUTH', 'ADMIN_NO_SRP_AUTH']
export const isSignInFlow = (flow: unknown): boolean => SIGN_IN_FLOWS.includes(String(flow))

/**
 * Runs pre authentication before a sign-in flow looks at any credential, with InitiateAuth's
 * ClientMetadata as validationData. For a username nobody has, only when the app client hides
 * existence (PreventUserExistenceErrors ENABLED), with userNotFound: true.
 */
export async function preAuthentication (bridge: Triggered, pool: UserPoolService, req: InitiateAuthRequest): Promise<void> {
  if (!bridge.triggers.has('preAuthentication') || !isSignInFlow(req.AuthFlow)) return
  const username = req.AuthParameters?.USERNAME
  if (typeof username !== 'string' || username === '') return
  const user = await pool.getUserByUsername(bridge.ctx, username)
  const client = await bridge.services.cognito.getAppClient(bridge.ctx, String(req.ClientId))
  const hidesExistence = client?.PreventUserExistenceErrors === 'ENABLED'
  if (user === null && !hidesExistence) return
  await bridge.triggers.run('preAuthentication', {
    pool,
    triggerSource: 'PreAuthentication_Authentication',
    userName: user?.Username ?? username,
    clientId: req.ClientId,
    request: {
      userAttributes: eventAttributes(user),
      validationData: record(req.ClientMetadata) ?? null,
      ...(hidesExistence ? { userNotFound: user === null } : {})
    }
  })
}

/**
 * Runs post authentication once an answer carries tokens (not for refreshes), with the
 * ClientMetadata of RespondToAuthChallenge (AWS passes none from InitiateAuth). A throw takes the
 * tokens back: their session is revoked and the operation fails.
 */
export async function postAuthentication (bridge: Pick<Bridge, 'ctx' | 'services' | 'triggers' | 'tokens'>, pool: UserPoolService, answer: AuthAnswer, clientMetadata?: unknown): Promise<AuthAnswer> {
  const result = answer?.AuthenticationResult
  if (!bridge.triggers.has('postAuthentication') || typeof result?.AccessToken !== 'string') return answer
  const claims = bridge.tokens.read(result.AccessToken, 'access')
  const user = typeof claims === 'object' ? await pool.getUserByUsername(bridge.ctx, String(claims.username)) : null
  if (user === null || typeof claims !== 'object') return answer
  try {
    await bridge.triggers.run('postAuthentication', {
      pool,
      triggerSource: 'PostAuthentication_Authentication',
      userName: user.Username,
      clientId: claims.client_id,
      request: {
        userAttributes: eventAttributes(user),
        newDeviceUsed: result.NewDeviceMetadata !== undefined,
        ...(record(clientMetadata) === undefined ? {} : { clientMetadata: record(clientMetadata) })
      }
    })
  } catch (err) {
    if (typeof result.RefreshToken === 'string') await revokeSessions(bridge, pool, await pool.getUserByUsername(bridge.ctx, user.Username) ?? user, [result.RefreshToken])
    throw err
  }
  return answer
}
