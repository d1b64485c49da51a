import { cacheExchange, Client, fetchExchange } from '@urql/core'
import { persistedExchange } from '@urql/exchange-persisted'

export interface AuthApiOptions {
  /** The GraphQL endpoint: '/graphql' on the API's own origin, its full URL from another origin of the same site. */
  url: string
  /**
   * 'automatic' (the server's default mode): hashes first, the text once for each new one.
   * 'registered' (PERSISTED_OPERATIONS=only): graphql-codegen's documents, sent by the hash it
   * wrote into each (`__meta__.hash`, the key of the manifest the server runs).
   */
  persisted: 'automatic' | 'registered'
  /** The browser's fetch by default. */
  fetch?: typeof fetch
}

export function createUrqlClient ({ url, persisted, fetch }: AuthApiOptions): Client {
  return new Client({
    url,
    exchanges: [
      cacheExchange,
      persistedExchange(persisted === 'automatic'
        ? { enableForMutation: true }
        : {
            enableForMutation: true,
            enforcePersistedQueries: true,
            generateHash: async (_text, document) => (document as { __meta__?: { hash: string } }).__meta__?.hash
          }),
      fetchExchange
    ],
    // urql sends queries as GET (preferGetMethod): a GET runs only with a header that a page of
    // another origin cannot send without the server's CORS consent (CSRF prevention).
    fetchOptions: { credentials: 'include', headers: { 'apollo-require-preflight': 'true' } },
    fetch
  })
}
