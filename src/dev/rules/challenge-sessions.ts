// cognito-local hands out a random Session with each challenge and never looks at it again. AWS
// ties a session to its user and challenge, lets it answer once, and lets it expire.
import { randomBytes } from 'node:crypto'
import { InvalidParameterError, NotAuthorizedError } from 'cognito-local/lib/errors.js'
import type { Clock } from 'cognito-local/lib/services/clock.js'
import type { User, UserPoolService } from 'cognito-local/lib/services/userPoolService.js'
import type { SrpServerState } from './srp.ts'
import type { CustomRound } from './custom-challenges.ts'

/** AWS's AuthSessionValidity default: a challenge session lives three minutes. */
export const CHALLENGE_SESSION_MS = 3 * 60_000

/** Wrong one-time codes a session takes before it is spent (assumed: AWS does not document the number). */
export const CODE_ATTEMPTS = 3

/** What a challenge session carries besides its user and challenge, by challenge. */
export interface ChallengeSecrets {
  /** MFA_SETUP: the first code of the new authenticator was verified. */
  verified?: boolean
  /** EMAIL_OTP, SMS_OTP: the code that was sent. */
  code?: string
  /** WEB_AUTHN (and SELECT_CHALLENGE offering it): the challenge the assertion must sign. */
  webAuthnChallenge?: string
  /** SELECT_CHALLENGE: the factors offered (AvailableChallenges). */
  available?: string[]
  /** Issued for a username no user has (PreventUserExistenceErrors): every answer fails as a wrong one would. */
  ghost?: boolean
  /** PASSWORD_VERIFIER, DEVICE_PASSWORD_VERIFIER: the server's side of the SRP exchange. */
  srp?: SrpServerState
  /** The device key this sign-in came with (DEVICE_KEY), carried to its later challenges. */
  deviceKey?: string
  /** CUSTOM_CHALLENGE: the rounds so far and what the create trigger made for this one (./custom-challenges.ts). */
  custom?: CustomRound
}

/** A challenge session the bridge issued: for one user of one pool, one challenge, one answer. */
export interface ChallengeSession extends ChallengeSecrets {
  poolId: string
  username: string
  challenge: string
  expires: number
  /** Wrong codes given so far. */
  attempts: number
}

/** The challenge sessions of one emulator, in memory (a restart ends them, as a deploy would not on AWS). */
export class ChallengeSessions {
  readonly #held = new Map<string, ChallengeSession>()

  private readonly clock: Clock
  constructor (clock: Clock) {
    this.clock = clock
  }

  /** A new opaque session (as long as AWS's) for `challenge` of `username`; expired ones are dropped. */
  issue (pool: UserPoolService, username: string, challenge: string, secrets: ChallengeSecrets = {}): string {
    const now = this.clock.get().getTime()
    for (const [id, held] of this.#held) if (held.expires <= now) this.#held.delete(id)
    const id = randomBytes(96).toString('base64')
    this.#held.set(id, { ...secrets, poolId: pool.options.Id, username, challenge, expires: now + CHALLENGE_SESSION_MS, attempts: 0 })
    return id
  }

  /**
   * Spends a challenge session: whatever the answer turns out to be, the session is used. It must
   * have been issued for `challenge` and, when `user` is given, for that user (null: nobody's,
   * which only a ghost session is).
   */
  spend (session: unknown, challenge: string, user?: User | null): ChallengeSession {
    if (typeof session !== 'string' || session === '') throw new InvalidParameterError('Missing required parameter Session')
    const held = this.#held.get(session)
    this.#held.delete(session)
    if (held === undefined) throw new NotAuthorizedError('Invalid session for the user, session can only be used once.')
    if (held.expires <= this.clock.get().getTime()) throw new NotAuthorizedError('Invalid session for the user, session is expired.')
    if (held.challenge !== challenge) throw new NotAuthorizedError('Invalid session for the user.')
    if (user !== undefined && (user === null ? held.ghost !== true : held.username !== user.Username)) throw new NotAuthorizedError('Invalid session for the user.')
    return held
  }

  /** A live session's contents, without spending it; undefined when there is none. */
  peek (session: unknown): ChallengeSession | undefined {
    const held = typeof session === 'string' ? this.#held.get(session) : undefined
    return held !== undefined && held.expires > this.clock.get().getTime() ? held : undefined
  }

  /** Adds to what a live session carries (a step that learns something after the session was issued). */
  amend (session: string, secrets: ChallengeSecrets): void {
    const held = this.#held.get(session)
    if (held !== undefined) this.#held.set(session, { ...held, ...secrets })
  }

  /**
   * Puts a spent session back after an answer that may be corrected: a wrong one-time code, up to
   * CODE_ATTEMPTS of them (the last one spends it for good), or an answer refused for its form.
   */
  giveBack (session: string, held: ChallengeSession, wrongCode: boolean): void {
    const attempts = held.attempts + (wrongCode ? 1 : 0)
    if (attempts < CODE_ATTEMPTS) this.#held.set(session, { ...held, attempts })
  }
}
