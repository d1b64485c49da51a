import { GraphQLClient } from 'graphql-request'

/**
 * `url`: the GraphQL endpoint. `method: 'GET'` suits queries only (a mutation over GET is refused
 * with 405); a GET runs only with a preflight header (CSRF prevention), which the CORS policy lets
 * the configured origins send.
 */
export function createGraphQLRequestClient (url: string, method: 'POST' | 'GET' = 'POST', fetch?: typeof globalThis.fetch): GraphQLClient {
  return new GraphQLClient(url, {
    method,
    credentials: 'include',
    headers: { 'apollo-require-preflight': 'true' },
    fetch
  })
}
