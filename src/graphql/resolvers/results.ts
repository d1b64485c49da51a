// The answers of a sign-in step (a Session or a Challenge) and the outcome they carry for the wrapper.
import type { AppError } from '../../errors.ts'
import { deviceName } from '../../device-name.ts'
import type { AuthOutcome, PendingChallenge, RememberedDevice } from '../../plugins/app/cognito.ts'
import type { Session, StartOptions } from '../../plugins/app/session.ts'
import type { GraphQLContext, UserModel } from '../context.ts'
import { adoptSession, userOf } from '../context.ts'
import type { ChallengeName, CodeDelivery, MfaMethod, SignInMethod, TotpSetup } from '../generated.ts'
import { totpSetup } from '../totp.ts'

const kOutcome = Symbol('outcome')

/**
 * What a session or sign-in step did, for the field's wrapper (device trust, audit): a session
 * started for a user, or one more challenge asked. Kept under a symbol, which no response shows;
 * `__typename` stays for GraphQL, which resolves the union by it.
 */
export type Outcome = { kind: 'session', userId: string, device?: RememberedDevice } | { kind: 'challenge', name: ChallengeName }

export interface SessionResult { __typename: 'Session', user: UserModel, expiresAt: Date, [kOutcome]: Outcome }
export interface ChallengeResult {
  __typename: 'Challenge'
  name: ChallengeName
  codeDelivery: CodeDelivery | null
  mfaOptions: MfaMethod[] | null
  totpSetup: TotpSetup | null
  availableMethods: SignInMethod[] | null
  publicKeyOptions: string | null
  parameters: string | null
  rememberDeviceOffered: boolean
  [kOutcome]: Outcome
}

/** What a resolver's answer says it did, when it is a session or a challenge. */
export function outcomeOf (result: unknown): Outcome | undefined {
  return (result as { [kOutcome]?: Outcome } | null | undefined)?.[kOutcome]
}

/** `device`: the device Cognito confirmed for this browser with the sign-in, for the wrapper to keep in its device cookie. */
export function sessionResult (ctx: GraphQLContext, session: Session, device?: RememberedDevice): SessionResult {
  return { __typename: 'Session', user: userOf(ctx, session), expiresAt: session.expiresAt, [kOutcome]: { kind: 'session', userId: session.userId, ...(device === undefined ? {} : { device }) } }
}

/**
 * Confirms the device Cognito handed out with a sign-in's tokens (a pool that tracks devices),
 * named after the browser; `remember`: the user asked to remember it (a pool that remembers on the
 * user's word). A device that cannot be confirmed leaves the sign-in as it is: the next one is
 * asked for the second factor, as a new browser is.
 */
async function confirmDevice (ctx: GraphQLContext, outcome: AuthOutcome, session: Session, start: SignInStart | undefined): Promise<RememberedDevice | undefined> {
  const remember = start?.rememberDevice === true
  if (outcome.tokens === undefined) return undefined
  try {
    if (outcome.newDevice === undefined) {
      // The device that proved itself, remembered now that the user asks (a pool that remembers on the user's word).
      if (remember && start?.device !== undefined && await ctx.cognito.rememberDevice(outcome.tokens.accessToken, start.device.key)) {
        ctx.request.server.audit.record(ctx.request, { event: 'device-remembered', outcome: 'success', operation: 'rememberDevice', userId: session.userId, email: session.email?.toLowerCase() })
      }
      return undefined
    }
    const { device, remembered } = await ctx.cognito.confirmDevice(outcome.tokens.accessToken, outcome.newDevice, deviceName(ctx.request.headers['user-agent']), remember)
    if (remembered) ctx.request.server.audit.record(ctx.request, { event: 'device-remembered', outcome: 'success', operation: 'confirmDevice', userId: session.userId, email: session.email?.toLowerCase() })
    return device
  } catch (err) {
    ctx.request.log.warn({ code: (err as AppError).code }, 'could not confirm the device of a sign-in')
    return undefined
  }
}

/** The steps that prove a second factor after a password: those a remembered browser skips, so those "remember this browser" goes with. */
const SECOND_FACTOR_STEPS: ReadonlySet<ChallengeName> = new Set(['SOFTWARE_TOKEN_MFA', 'SMS_MFA', 'EMAIL_OTP', 'MFA_SETUP'])

/**
 * Whether the step offers "remember this browser": a second factor (not a passwordless first
 * factor, which names its method) in a pool that remembers devices on the user's word. The same
 * for every account, so it tells nothing about one.
 */
const offersRememberDevice = (ctx: GraphQLContext, challenge: PendingChallenge): boolean =>
  challenge.method === undefined && SECOND_FACTOR_STEPS.has(challenge.name) && ctx.cognito.asksToRememberDevices()

function challengeResult (ctx: GraphQLContext, challenge: PendingChallenge, email: string): ChallengeResult {
  return {
    __typename: 'Challenge',
    name: challenge.name,
    codeDelivery: challenge.codeDelivery ?? null,
    mfaOptions: challenge.mfaOptions ?? null,
    totpSetup: challenge.totpSecret !== undefined ? totpSetup(ctx, email, challenge.totpSecret) : null,
    availableMethods: challenge.availableMethods ?? null,
    publicKeyOptions: challenge.publicKeyOptions ?? null,
    parameters: challenge.parameters ?? null,
    rememberDeviceOffered: offersRememberDevice(ctx, challenge),
    [kOutcome]: { kind: 'challenge', name: challenge.name }
  }
}

/**
 * What a sign-in step answers: a session (cookies written; `start` says how the sign-in was made)
 * or the next challenge (held in its cookie, bound to the user: `username` when the step
 * continues a challenge of that user).
 */
/** How a sign-in was made (for the session), and what to do with the browser's device: the one it proved, and whether the user asked to remember it. */
export type SignInStart = StartOptions & { rememberDevice?: boolean, device?: RememberedDevice }

export async function signInResult (ctx: GraphQLContext, outcome: AuthOutcome, email: string, username?: string, start?: SignInStart): Promise<SessionResult | ChallengeResult> {
  if (outcome.tokens !== undefined) {
    const session = await ctx.sessions.start(ctx.request, ctx.reply, outcome.tokens, start)
    // Fields later in the same document see the user signed in.
    adoptSession(ctx, session)
    return sessionResult(ctx, session, await confirmDevice(ctx, outcome, session, start))
  }
  const owner = username ?? outcome.challenge.username ?? email
  ctx.sessions.holdChallenge(ctx.reply, outcome.challenge, { email, username: owner })
  return challengeResult(ctx, outcome.challenge, email)
}
