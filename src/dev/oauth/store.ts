// What the managed login remembers between requests, in memory (a restart forgets it, as a
// browser's half-finished sign-in would be lost): sign-ins waiting for the identity provider,
// authorization codes, and managed-login sessions. Each is found by an unguessable random id.
import { randomBytes } from 'node:crypto'
import type { Clock } from 'cognito-local/lib/services/clock.js'

/** An /oauth2/authorize request, as the app asked for it. */
export interface AuthorizeRequest {
  clientId: string
  redirectUri: string
  /** The app's `state`, handed back untouched. */
  state?: string
  /** The granted scopes, space-separated. */
  scope: string
  /** PKCE: the app's S256 challenge, when it sent one. */
  codeChallenge?: string
  /** Put in the id token. */
  nonce?: string
  provider: string
}

/** A sign-in sent to the identity provider, waiting for its answer at /oauth2/idpresponse. */
export interface PendingSignIn extends AuthorizeRequest {
  /** Our PKCE verifier and nonce towards the identity provider. */
  idpVerifier: string
  idpNonce: string
}

/** A user signed in at the managed login: what a code, or a session, stands for. */
export interface SignedInUser {
  username: string
  /** Seconds since the epoch: when the user authenticated (auth_time). */
  authTime: number
}

/** An authorization code: one use, for one client and redirect_uri. */
export interface IssuedCode extends AuthorizeRequest, SignedInUser {}

/** The managed-login session (Cognito's `cognito` cookie): a second authorize within it skips the identity provider. */
export interface ManagedLoginSession extends SignedInUser {
  provider: string
}

export interface StoreTtls {
  /** AWS: 300 (five minutes). */
  codeSeconds: number
  /** AWS: one hour. */
  sessionSeconds: number
  /** How long a sign-in may wait at the identity provider; assumed ten minutes. */
  pendingSeconds: number
}

/** A map whose entries expire by the emulator's clock. */
class Expiring<T> {
  private readonly entries = new Map<string, { value: T, expiresAt: number }>()
  private readonly clock: Clock
  private readonly ttlSeconds: number
  constructor (clock: Clock, ttlSeconds: number) {
    this.clock = clock
    this.ttlSeconds = ttlSeconds
  }

  add (value: T): string {
    this.sweep()
    const id = randomBytes(32).toString('base64url')
    this.entries.set(id, { value, expiresAt: this.clock.get().getTime() + this.ttlSeconds * 1000 })
    return id
  }

  /** The live value of `id`, left in place. */
  peek (id: string | undefined): T | undefined {
    const entry = id === undefined ? undefined : this.entries.get(id)
    return entry !== undefined && entry.expiresAt > this.clock.get().getTime() ? entry.value : undefined
  }

  /** The live value of `id`, removed: whatever the answer, `id` is used up. */
  take (id: string | undefined): T | undefined {
    const value = this.peek(id)
    if (id !== undefined) this.entries.delete(id)
    return value
  }

  private sweep (): void {
    const now = this.clock.get().getTime()
    for (const [id, { expiresAt }] of this.entries) if (expiresAt <= now) this.entries.delete(id)
  }
}

/** Everything the managed login keeps, each with its lifetime. */
export class ManagedLoginStore {
  readonly pending: Expiring<PendingSignIn>
  readonly codes: Expiring<IssuedCode>
  readonly sessions: Expiring<ManagedLoginSession>
  readonly ttls: StoreTtls

  constructor (clock: Clock, ttls: StoreTtls) {
    this.ttls = ttls
    this.pending = new Expiring(clock, ttls.pendingSeconds)
    this.codes = new Expiring(clock, ttls.codeSeconds)
    this.sessions = new Expiring(clock, ttls.sessionSeconds)
  }
}
