/**
 * A sign-in challenge as the server holds it between two requests, in its sealed cookie: which
 * step, Cognito's challenge session, and whose it is. Types only, so that the Cognito adapter and
 * the session modules can both name it.
 */
export interface HeldChallenge {
  /** The challenge's name, as the API names it (NEW_PASSWORD_REQUIRED, SOFTWARE_TOKEN_MFA …). */
  name: string
  /** Cognito's opaque challenge session: answered once. */
  session: string
  /** The email the sign-in was started with (the account its codes are counted against). */
  email: string
  /** Cognito's username of the user the challenge was issued for. */
  username: string
  /** When the cookie stops holding it, epoch seconds (Cognito keeps a challenge session three minutes). */
  exp: number
  /** The passwordless method the challenge signs in with, when it is a first factor (for the audit). */
  method?: string
  /** A stand-in for an account Cognito did not start a sign-in for: its `session` is random, and every answer fails (see PendingChallenge). */
  decoy?: true
}
