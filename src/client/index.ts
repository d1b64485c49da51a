// cognito-graphql-auth/client: the typed browser client of the server. One method per Query and
// Mutation field (src/client/generated.ts, generated from the schema), each sending its operation
// by hash only, so it runs where the server accepts nothing but its manifest
// (PERSISTED_OPERATIONS=only); the session stays in HttpOnly cookies (`credentials: 'include'`).
import { AuthError, NetworkError } from './errors.ts'
import { OPERATIONS, type AuthOperations, type FinishPasskeyRegistrationInput, type Passkey, type SignInResult } from './generated.ts'
import { sessionChanges, type SessionChange } from './session-events.ts'
import { passkeyCeremony, webAuthn } from './webauthn.ts'

export { AuthError, NetworkError, PasskeyUnsupportedError } from './errors.ts'
export type { SessionChange } from './session-events.ts'
export type * from './generated.ts'

export interface AuthClientOptions {
  /** The GraphQL endpoint (default `/graphql`: the page's own origin). */
  url?: string
  /** The fetch to use (default the global one): a test's, or a server-side one that keeps cookies. */
  fetch?: (url: string, init: { method: string, credentials: 'include', headers: Record<string, string>, body: string }) => Promise<Response>
}

/** The helpers beside the operations. */
export interface AuthClientHelpers {
  /** Calls `listener` whenever this tab or another tab of the app sees the session start or end; returns the function that stops it. */
  onSessionChange (listener: (change: SessionChange) => void): () => void
  /** Registers a passkey for the signed-in user: startPasskeyRegistration, the browser's dialog, finishPasskeyRegistration (with `input` beside the credential). */
  registerPasskey (input?: Omit<FinishPasskeyRegistrationInput, 'credential'>): Promise<Passkey | null>
  /** Signs in with a passkey: signIn with method PASSKEY, the browser's dialog, and the answer to its WEB_AUTHN challenge. */
  signInWithPasskey (input: { email: string }): Promise<SignInResult | null>
  /** Answers a WEB_AUTHN challenge (after SELECT_CHALLENGE, say) with the browser's passkey; any other result is given back as it is. */
  answerPasskeyChallenge (result: SignInResult | null): Promise<SignInResult | null>
}

export type AuthClient = AuthOperations & AuthClientHelpers

interface GraphQLAnswer {
  data?: Record<string, unknown> | null
  errors?: Array<{ message?: string, extensions?: Record<string, unknown> }>
}

/** Operations whose `true` ends this browser's session. */
const ENDS_SESSION = new Set(['signOut', 'deleteAccount'])

/** The client of the server at `url`. */
export function createAuthClient (options: AuthClientOptions = {}): AuthClient {
  const url = options.url ?? '/graphql'
  const send = options.fetch ?? ((target, init) => fetch(target, init))
  const sessions = sessionChanges(`cognito-graphql-auth ${url}`)

  /** Runs one field's document by its hash; its data, or the first error as AuthError. */
  async function run (field: string, sha256Hash: string, variables: unknown): Promise<unknown> {
    let response: Response
    try {
      response = await send(url, {
        method: 'POST',
        credentials: 'include',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
        body: JSON.stringify({ variables, extensions: { persistedQuery: { version: 1, sha256Hash } } })
      })
    } catch (err) {
      throw new NetworkError(`${field}: the server could not be reached`, undefined, err)
    }
    let answer: GraphQLAnswer
    try {
      answer = await response.json() as GraphQLAnswer
    } catch (err) {
      throw new NetworkError(`${field}: the server answered HTTP ${response.status}, not GraphQL`, response.status, err)
    }
    const error = answer?.errors?.[0]
    if (error !== undefined) {
      const extensions = error.extensions ?? {}
      const requestId = extensions.requestId ?? response.headers.get('x-request-id') ?? undefined
      const refusal = new AuthError((extensions.code ?? 'INTERNAL_SERVER_ERROR') as AuthError['code'], error.message ?? '', requestId as string | undefined, extensions)
      if (refusal.code === 'UNAUTHENTICATED') sessions.note(null)
      throw refusal
    }
    if (typeof answer?.data !== 'object' || answer.data === null) throw new NetworkError(`${field}: the server answered HTTP ${response.status} without data`, response.status)
    const data = answer.data[field] ?? null
    observe(field, data)
    return data
  }

  /** What an answer says of the session, for onSessionChange. */
  function observe (field: string, data: unknown): void {
    const result = data as { __typename?: string, id?: string, user?: { id: string } } | null
    if (field === 'me') sessions.note(result?.id ?? null)
    else if (result?.__typename === 'Session' && result.user !== undefined) sessions.note(result.user.id)
    else if (ENDS_SESSION.has(field) && data === true) sessions.note(null)
  }

  const operations: Record<string, (argument?: unknown) => Promise<unknown>> = {}
  for (const [field, [hash, takesInput]] of Object.entries(OPERATIONS)) {
    operations[field] = async (argument) => await run(field, hash, takesInput === 1 ? { input: argument } : argument ?? {})
  }
  const client = operations as unknown as AuthOperations

  const answerPasskeyChallenge = async (result: SignInResult | null): Promise<SignInResult | null> => {
    if (result?.__typename !== 'Challenge' || result.name !== 'WEB_AUTHN' || result.publicKeyOptions === null) return result
    return await client.respondToChallenge({ name: 'WEB_AUTHN', credential: await passkeyCeremony('get', result.publicKeyOptions) })
  }

  const helpers: AuthClientHelpers = {
    onSessionChange: (listener) => sessions.subscribe(listener),
    async registerPasskey (input = {}) {
      webAuthn() // a browser without passkeys learns it before the server is asked
      // The current password, where the session's sign-in does not do (docs/security.md): for both steps.
      const registration = await client.startPasskeyRegistration(input.currentPassword != null ? { currentPassword: input.currentPassword } : undefined)
      if (registration === null) return null
      return await client.finishPasskeyRegistration({ ...input, credential: await passkeyCeremony('create', registration.publicKeyOptions) })
    },
    async signInWithPasskey ({ email }) {
      webAuthn()
      return await answerPasskeyChallenge(await client.signIn({ email, method: 'PASSKEY' }))
    },
    answerPasskeyChallenge
  }
  return Object.assign(operations, helpers) as unknown as AuthClient
}
