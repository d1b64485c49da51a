import { ApolloClient, ApolloLink, CombinedGraphQLErrors, HttpLink, InMemoryCache, type DocumentNode } from '@apollo/client'
import { ErrorLink } from '@apollo/client/link/error'
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries'

/** SHA-256 hex of a text, with the Web Crypto API (browsers on https or localhost, Node 20+). */
async function sha256 (text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('')
}

export interface AuthApiOptions {
  /** The GraphQL endpoint: '/graphql' on the API's own origin, its full URL from another origin of the same site. */
  uri: string
  /**
   * 'automatic' (the server's default mode): hashes first, the text once for each new one.
   * 'registered' (PERSISTED_OPERATIONS=only): graphql-codegen's documents, sent by the hash it
   * wrote into each (`__meta__.hash`, the key of the manifest the server runs).
   */
  persisted: 'automatic' | 'registered'
  /** The browser's fetch by default. */
  fetch?: typeof fetch
}

export function createApolloClient ({ uri, persisted, fetch }: AuthApiOptions): ApolloClient {
  const persistedQueries = persisted === 'automatic'
    ? new PersistedQueryLink({ sha256 })
    : new PersistedQueryLink({ generateHash: (document: DocumentNode) => (document as { __meta__?: { hash: string } }).__meta__?.hash ?? '' })
  // The session ended elsewhere (signed out, expired): nothing of the old user stays in the cache.
  const signedOut = new ErrorLink(({ error, operation }) => {
    if (CombinedGraphQLErrors.is(error) && error.errors.some((e) => e.extensions?.code === 'UNAUTHENTICATED')) {
      operation.client.clearStore().catch(() => {})
    }
  })
  return new ApolloClient({
    // The session is in HttpOnly cookies: the browser sends them, no token goes through this code.
    link: ApolloLink.from([signedOut, persistedQueries, new HttpLink({ uri, credentials: 'include', fetch })]),
    cache: new InMemoryCache({
      // SignInResult is a union: fragments on it match only when the cache knows its members.
      possibleTypes: { SignInResult: ['Session', 'Challenge'] }
    }),
    // Sent as apollographql-client-name and -version headers, which the server's CORS policy allows.
    clientAwareness: { name: 'web', version: '1.0.0' }
  })
}
