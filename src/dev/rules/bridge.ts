// The Bridge: what an emulated operation, and every rule it applies, works with for one request (../bridge.ts builds it).
import type { Context } from 'cognito-local/lib/services/context.js'
import type { Clock } from 'cognito-local/lib/services/clock.js'
import type { Services } from 'cognito-local/lib/services/index.js'
import type { ChallengeSessions } from './challenge-sessions.ts'
import type { PasskeyRegistrations } from './passkey-registrations.ts'
import type { WebAuthnOrigins } from './passkeys.ts'
import type { Triggers } from './triggers.ts'
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
  /** The time TOTP codes are checked at (./totp.ts). */
  totpClock: Clock
}
