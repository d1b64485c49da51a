// Custom authentication (CUSTOM_AUTH) as AWS drives it with the pool's three challenge triggers:
// define auth challenge reads the rounds so far and says fail, issue tokens, or the next challenge;
// create auth challenge makes it (public parameters for the app, private ones for the check);
// verify auth challenge response judges each answer. For a username nobody has, while the app
// client hides existence, the triggers run with userNotFound and no answer ever signs anyone in.
import { InvalidParameterError, UnsupportedError } from 'cognito-local/lib/errors.js'
import type { User, UserPoolService } from 'cognito-local/lib/services/userPoolService.js'
import type { Bridge } from './bridge.ts'
import { signedIn, type AuthAnswer } from './authentication-result.ts'
import { incorrectCredentials, invalidLambdaResponse } from './errors.ts'
import { eventAttributes, type TriggerName } from './triggers.ts'

/** One round of the sequence, as the triggers see it (AWS's ChallengeResult). */
export interface ChallengeResult { challengeName: string, challengeResult: boolean, challengeMetadata: string | null }

/** What a CUSTOM_CHALLENGE session holds: the rounds before it, and what create auth challenge made for it. */
export interface CustomRound {
  results: ChallengeResult[]
  privateParameters: Record<string, string>
  metadata: string | null
  /** Whether the app client hides existence (the triggers then get userNotFound). */
  hidesExistence: boolean
}

/** Where the sequence stands: whose it is (null: nobody's), the name the app gave, and the rounds so far. */
export interface CustomSequence {
  user: User | null
  username: string
  clientId: unknown
  results: ChallengeResult[]
  hidesExistence: boolean
  clientMetadata?: unknown
}

type Custom = Pick<Bridge, 'ctx' | 'services' | 'sessions' | 'tokens' | 'triggers'>

/** AWS's answer when the pool lacks a trigger the sequence needs. */
export function requireTrigger ({ triggers }: Pick<Bridge, 'triggers'>, name: TriggerName): void {
  if (!triggers.has(name)) throw new InvalidParameterError('Custom auth lambda trigger is not configured for the user pool.')
}

/** The request parts every challenge trigger gets. */
function common (sequence: CustomSequence): Record<string, unknown> {
  const metadata = typeof sequence.clientMetadata === 'object' && sequence.clientMetadata !== null ? { clientMetadata: sequence.clientMetadata } : {}
  return { userAttributes: eventAttributes(sequence.user), ...metadata, ...(sequence.hidesExistence ? { userNotFound: sequence.user === null } : {}) }
}

const strings = (value: unknown, what: string): Record<string, string> => {
  if (value === undefined || value === null) return {}
  if (typeof value !== 'object' || Object.values(value).some((v) => typeof v !== 'string')) throw invalidLambdaResponse(`CreateAuthChallenge: ${what} must map names to strings.`)
  return { ...value as Record<string, string> }
}

/**
 * The next step of the sequence: define auth challenge decides; failAuthentication is
 * NotAuthorizedException 'Incorrect username or password.', issueTokens signs the user in (never
 * nobody), a CUSTOM_CHALLENGE is made by create auth challenge and handed out with its public
 * parameters and USERNAME (the name the app gave), under a new session.
 * Assumed: failAuthentication comes before issueTokens, which comes before challengeName.
 */
export async function nextStep (bridge: Custom, pool: UserPoolService, sequence: CustomSequence): Promise<AuthAnswer> {
  requireTrigger(bridge, 'defineAuthChallenge')
  const userName = sequence.user?.Username ?? sequence.username
  const decided = await bridge.triggers.run('defineAuthChallenge', {
    pool,
    triggerSource: 'DefineAuthChallenge_Authentication',
    userName,
    clientId: sequence.clientId,
    request: { ...common(sequence), session: sequence.results },
    response: { challengeName: null, issueTokens: false, failAuthentication: false }
  }) ?? {}
  if (decided.failAuthentication === true) throw incorrectCredentials()
  if (decided.issueTokens === true) {
    if (sequence.user === null) throw incorrectCredentials()
    return await signedIn(bridge, pool, sequence.user, sequence.clientId)
  }
  if (decided.challengeName === 'PASSWORD_VERIFIER' || decided.challengeName === 'SRP_A') throw new UnsupportedError('CUSTOM_AUTH with a password (SRP_A) step')
  if (decided.challengeName !== 'CUSTOM_CHALLENGE') throw invalidLambdaResponse('DefineAuthChallenge: the answer names no next step (failAuthentication, issueTokens or challengeName CUSTOM_CHALLENGE).')
  requireTrigger(bridge, 'createAuthChallenge')
  const made = await bridge.triggers.run('createAuthChallenge', {
    pool,
    triggerSource: 'CreateAuthChallenge_Authentication',
    userName,
    clientId: sequence.clientId,
    request: { ...common(sequence), challengeName: 'CUSTOM_CHALLENGE', session: sequence.results },
    response: { publicChallengeParameters: {}, privateChallengeParameters: {}, challengeMetadata: null }
  }) ?? {}
  const round: CustomRound = {
    results: sequence.results,
    privateParameters: strings(made.privateChallengeParameters, 'privateChallengeParameters'),
    metadata: typeof made.challengeMetadata === 'string' ? made.challengeMetadata : null,
    hidesExistence: sequence.hidesExistence
  }
  return {
    ChallengeName: 'CUSTOM_CHALLENGE',
    ChallengeParameters: { ...strings(made.publicChallengeParameters, 'publicChallengeParameters'), USERNAME: sequence.username },
    Session: bridge.sessions.issue(pool, userName, 'CUSTOM_CHALLENGE', { custom: round, ...(sequence.user === null ? { ghost: true } : {}) })
  }
}

/** Verify auth challenge response's verdict on an ANSWER to the round of `held`, added to the rounds so far. */
export async function judged (bridge: Custom, pool: UserPoolService, sequence: Omit<CustomSequence, 'results'>, round: CustomRound, answer: string): Promise<ChallengeResult[]> {
  requireTrigger(bridge, 'verifyAuthChallengeResponse')
  const verdict = await bridge.triggers.run('verifyAuthChallengeResponse', {
    pool,
    triggerSource: 'VerifyAuthChallengeResponse_Authentication',
    userName: sequence.user?.Username ?? sequence.username,
    clientId: sequence.clientId,
    request: { ...common({ ...sequence, results: round.results }), privateChallengeParameters: round.privateParameters, challengeAnswer: answer },
    response: { answerCorrect: false }
  }) ?? {}
  return [...round.results, { challengeName: 'CUSTOM_CHALLENGE', challengeResult: verdict.answerCorrect === true, challengeMetadata: round.metadata }]
}
