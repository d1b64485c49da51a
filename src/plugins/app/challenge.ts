// The held challenge: a sign-in step as the server keeps it between two requests, in its sealed cookie.
import type { ChallengeToAnswer } from './cognito/types.ts'

/**
 * A sign-in challenge as the server holds it between two requests, in its sealed cookie: what
 * the adapter answers it with (ChallengeToAnswer: which step, Cognito's session, whose it is),
 * and how long the cookie holds it.
 */
export interface HeldChallenge extends ChallengeToAnswer {
  /** When the cookie stops holding it, epoch seconds (Cognito keeps a challenge session three minutes). */
  exp: number
  /** The passwordless method the challenge signs in with, when it is a first factor (for the audit). */
  method?: string
}
