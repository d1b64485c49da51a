// The caller of one request, read once: every reader (the rate limits, GraphQL's context, requireUser,
// currentUser, /session) shares one verification and one revocation look-up per request.
import type { Authentication, Session } from './session-model.ts'

/**
 * What a request's credentials say as they are, before any refresh (readCredentials,
 * session-lifecycle.ts): the session of its Bearer token (null: not a valid one), or of its
 * cookies ('denied': an ended one; undefined: none, or an expired access token). Reading them
 * verifies the tokens and asks revocation once.
 */
export type Credentials = { bearer: Session | null } | { cookies: Session | 'denied' | undefined }

/** The live session credentials carry as they are (null when expired, ended or absent). */
export const sessionOfCredentials = (credentials: Credentials): Session | null =>
  'bearer' in credentials ? credentials.bearer : credentials.cookies === 'denied' ? null : credentials.cookies ?? null

/** The caller of one request (sessions.caller): read on first use, then remembered. */
export interface RequestCaller {
  /**
   * The caller's session without refreshing it (what a rate limit needs to know whose bucket it
   * is): the credentials as they are, or the session `get` or `set` made this request's.
   */
  peek: () => Promise<Session | null>
  /** The caller's session, refreshed transparently when its access token has expired. Never throws. */
  get: () => Promise<Authentication>
  /** Makes `session` the caller's for the rest of the request (a sign-in started it, a sign-out ended it). */
  set: (session: Session | null) => void
}

/**
 * A caller that reads the credentials (`read`) at most once, and authenticates (`authenticate`:
 * may refresh, over the same credentials) at most once, whichever of `peek` and `get` comes first.
 */
export function createRequestCaller (read: () => Promise<Credentials>, authenticate: (read: () => Promise<Credentials>) => Promise<Authentication>): RequestCaller {
  let credentials: Promise<Credentials> | undefined
  let authentication: Promise<Authentication> | undefined
  const readOnce = (): Promise<Credentials> => (credentials ??= read())
  return {
    peek: async () => authentication !== undefined ? (await authentication).session : sessionOfCredentials(await readOnce()),
    get: () => (authentication ??= authenticate(readOnce)),
    set: (session) => { authentication = Promise.resolve({ session }) }
  }
}
