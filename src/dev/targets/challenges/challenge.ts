import type { RespondToAuthChallengeRequest, RespondToAuthChallengeResponse } from '@aws-sdk/client-cognito-identity-provider'
import type { User, UserPoolService } from 'cognito-local/lib/services/userPoolService.js'
import type { HeldChallenge } from '../../rules/challenge-sessions.ts'
import type { Bridge } from '../target.ts'

/** What answering a challenge starts from: the pool, the user, and their session (spent by now). */
export interface Answering {
  pool: UserPoolService
  user: User
  held: HeldChallenge
}

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
}
