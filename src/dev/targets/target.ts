// The shape of an emulated operation, as cognito-local's src/targets/*.ts have theirs: AWS's
// request in, AWS's response out, AWS's named errors thrown as cognito-local's CognitoError (its
// HTTP layer, and ours in ../emulator.ts, answer those with HTTP 400 and the error's `__type`).
import type { Context } from 'cognito-local/lib/services/context.js'
import type { Clock } from 'cognito-local/lib/services/clock.js'
import type { Services } from 'cognito-local/lib/services/index.js'
import type { ChallengeSessions } from '../rules/challenge-sessions.ts'
import type { PasskeyRegistrations } from '../rules/passkey-registrations.ts'
import type { WebAuthnOrigins } from '../rules/passkeys.ts'
import type { Triggers } from '../rules/triggers.ts'
import type { DevTokenGenerator } from '../tokens.ts'

/** What an emulated operation works with, for one request: cognito-local's services and ours. */
export interface Bridge {
  /** cognito-local's context for this request (its logger); its store calls take it. */
  ctx: Context
  // cognito-local's targets answer `Promise<any>` (its Route type): their answers are AWS's
  // response shapes, which each of our handlers names in its own signature.
  /** cognito-local's own handler of this operation; it answers Unsupported where there is none. */
  next: (req: object) => Promise<any>
  /** cognito-local's own handler of another operation, past the bridge. */
  cognitoLocal: (operation: string, req: object) => Promise<any>
  /** cognito-local's services: its store (`cognito`), `clock`, codes (`otp`), `messages`, `tokenGenerator`. */
  services: Services
  /** Our token generator (the same as `services.tokenGenerator`), which also reads what it minted. */
  tokens: DevTokenGenerator
  /** The pool's Lambda triggers (EMULATOR_TRIGGERS; none without it). */
  triggers: Triggers
  /** The challenge sessions the bridge has handed out. */
  sessions: ChallengeSessions
  /** The passkey registrations started and not yet completed. */
  registrations: PasskeyRegistrations
  /** The origins passkey ceremonies may come from. */
  origins: WebAuthnOrigins
  /** The time TOTP codes are checked at (../rules/totp.ts). */
  totpClock: Clock
}

/** An emulated operation: AWS's request shape in, its response shape out; AWS's named errors thrown. */
export type Target<Req, Res> = (req: Req, bridge: Bridge) => Promise<Res>
