// The emulator: what answering any challenge of RespondToAuthChallenge starts from.
import type { RespondToAuthChallengeRequest, RespondToAuthChallengeResponse } from '@aws-sdk/client-cognito-identity-provider'
import type { User, UserPoolService } from 'cognito-local/lib/services/userPoolService.js'
import type { ChallengeSession } from '../../rules/challenge-sessions.ts'
import type { Bridge } from '../../rules/bridge.ts'

/** What answering a challenge starts from: the pool, the user, and their session (spent by now; `session` is its id, to give it back). */
export interface Answering {
  pool: UserPoolService
  user: User
  held: ChallengeSession
  session: string
}

/** What answering a ghost session (issued for a username nobody has) starts from. */
export type GhostAnswering = Omit<Answering, 'user'> & { username: string }

/** How the bridge answers one ChallengeName of RespondToAuthChallenge (see ../RespondToAuthChallenge.ts). */
export interface Challenge {
  /**
   * Refuses an answer for its form, before the session is looked at: such an answer can be
   * corrected with the same session. Assumed (AWS does not document it): only an answer whose
   * secret was compared spends the session.
   */
  checkForm?: (req: RespondToAuthChallengeRequest, pool: UserPoolService) => void
  /** The outcome of an answer whose session was right: tokens, or the next challenge. */
  answer: (req: RespondToAuthChallengeRequest, bridge: Bridge, answering: Answering) => Promise<RespondToAuthChallengeResponse>
  /**
   * The answer to a ghost session (PreventUserExistenceErrors: an unknown username got a
   * challenge): as a real user's wrong answer would be answered. Without it, such a session is invalid.
   */
  answerGhost?: (req: RespondToAuthChallengeRequest, bridge: Bridge, answering: GhostAnswering) => Promise<RespondToAuthChallengeResponse>
}
