// The GraphQL client: one typed `request` over fetch, and the development mailbox.
//
// The session lives in HttpOnly cookies that this code can neither read nor write: the browser
// stores them from the API's answers and sends them back because every request says
// `credentials: 'include'`. So the page never handles a token; it only asks `me`.
import type { TypedDocumentString } from './gql/graphql.ts'

/**
 * Where the API is: `?api=http://localhost:3000` when this page is served from another origin
 * (that origin must be in the server's CORS_ORIGINS), this page's own origin otherwise.
 */
export const api = new URLSearchParams(location.search).get('api') ?? location.origin

/** A failed operation, with the stable `extensions.code` a program can branch on. */
export class ApiError extends Error {
  constructor (readonly code: string, message: string, readonly extensions: Record<string, unknown> = {}) {
    super(message)
  }
}

/**
 * Runs one operation of this SPA and returns its `data`, typed by the document; throws the
 * first error as an ApiError. The operation travels by its hash alone, in Apollo's shape
 * (`extensions.persistedQuery`): the generated documents hold nothing else, and the server
 * runs the document its manifest (schema/persisted-operations.json) has under that hash, so it
 * can refuse every operation that is not one of this application's (PERSISTED_OPERATIONS=only).
 */
export async function request<TResult, TVariables> (
  document: TypedDocumentString<TResult, TVariables>,
  ...[variables]: TVariables extends Record<string, never> ? [] : [TVariables]
): Promise<TResult> {
  const sha256Hash: unknown = document.__meta__?.hash
  if (typeof sha256Hash !== 'string') throw new Error('a document without its hash: run `npm run codegen:spa`')
  let response: Response
  try {
    response = await fetch(`${api}/graphql`, {
      method: 'POST',
      credentials: 'include', // send the session cookies, and accept the ones the answer sets
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ variables, extensions: { persistedQuery: { version: 1, sha256Hash } } })
    })
  } catch {
    // A network failure, or a CORS refusal: the browser does not say which.
    throw new ApiError('NETWORK_ERROR', `Cannot reach ${api}/graphql`)
  }
  const body = await response.json().catch(() => ({})) as {
    data?: TResult | null
    errors?: Array<{ message: string, extensions?: Record<string, unknown> }>
  }
  const error = body.errors?.[0]
  if (error !== undefined) {
    const code = typeof error.extensions?.code === 'string' ? error.extensions.code : 'ERROR'
    throw new ApiError(code, error.message, error.extensions)
  }
  if (body.data == null) throw new ApiError('ERROR', `Unexpected answer (HTTP ${response.status})`)
  return body.data
}

/**
 * Development only: the newest code the embedded emulator "emailed" to `email`, from its
 * GET /dev/mailbox. A real pool emails the code and has no such route.
 */
export async function newestCode (email: string): Promise<string> {
  let response: Response
  try {
    response = await fetch(`${api}/dev/mailbox?to=${encodeURIComponent(email)}`)
  } catch {
    throw new ApiError('NETWORK_ERROR', `Cannot reach ${api}/dev/mailbox`)
  }
  if (!response.ok) throw new ApiError('NO_MAILBOX', 'No development mailbox here')
  const [newest] = await response.json() as Array<{ code: string }>
  if (newest === undefined) throw new ApiError('NO_CODE', `No code was sent to ${email} yet`)
  return newest.code
}
