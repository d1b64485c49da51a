import type { AuthOutcome, PendingChallenge } from '../../plugins/app/cognito.ts'
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
export type Outcome = { kind: 'session', userId: string } | { kind: 'challenge', name: ChallengeName }

export interface SessionResult { __typename: 'Session', user: UserModel, expiresAt: Date, [kOutcome]: Outcome }
export interface ChallengeResult {
  __typename: 'Challenge'
  name: ChallengeName
  codeDelivery: CodeDelivery | null
  mfaOptions: MfaMethod[] | null
  totpSetup: TotpSetup | null
  availableMethods: SignInMethod[] | null
  publicKeyOptions: string | null
  [kOutcome]: Outcome
}

/** What a resolver's answer says it did, when it is a session or a challenge. */
export function outcomeOf (result: unknown): Outcome | undefined {
  return (result as { [kOutcome]?: Outcome } | null | undefined)?.[kOutcome]
}

export function sessionResult (ctx: GraphQLContext, session: Session): SessionResult {
  return { __typename: 'Session', user: userOf(ctx, session), expiresAt: session.expiresAt, [kOutcome]: { kind: 'session', userId: session.userId } }
}

function challengeResult (ctx: GraphQLContext, challenge: PendingChallenge, email: string): ChallengeResult {
  return {
    __typename: 'Challenge',
    name: challenge.name,
    codeDelivery: challenge.codeDelivery ?? null,
    mfaOptions: challenge.mfaOptions ?? null,
    totpSetup: challenge.totpSecret !== undefined ? totpSetup(ctx, email, challenge.totpSecret) : null,
    availableMethods: challenge.availableMethods ?? null,
    publicKeyOptions: challenge.publicKeyOptions ?? null,
    [kOutcome]: { kind: 'challenge', name: challenge.name }
  }
}

/**
 * What a sign-in step answers: a session (cookies written; `start` says how the sign-in was made)
 * or the next challenge (held in its cookie, bound to the user: `username` when the step
 * continues a challenge of that user).
 */
export async function signInResult (ctx: GraphQLContext, outcome: AuthOutcome, email: string, username?: string, start?: StartOptions): Promise<SessionResult | ChallengeResult> {
  if (outcome.tokens !== undefined) {
    const session = await ctx.sessions.start(ctx.request, ctx.reply, outcome.tokens, start)
    // Fields later in the same document see the user signed in.
    adoptSession(ctx, session)
    return sessionResult(ctx, session)
  }
  const owner = username ?? outcome.challenge.username ?? email
  ctx.sessions.holdChallenge(ctx.reply, outcome.challenge, { email, username: owner })
  return challengeResult(ctx, outcome.challenge, email)
}
