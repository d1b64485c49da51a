// The request headers that prove a browser ran a CORS preflight: one list, read by the CORS policy
// (which lets the configured origins send them) and by the CSRF check of /graphql (which runs a
// request that is not JSON, a GET, only when it carries one of them).

/**
 * Headers no page can add to a request without a CORS preflight, under the names GraphQL clients
 * send: Mercurius' own, Apollo's (its CSRF-prevention headers and the client-awareness headers
 * Apollo Client adds with `clientAwareness`). Any one of them makes a GET or a non-JSON POST safe
 * to run: a page of another origin could only have sent it after this server's CORS policy said
 * yes. Lower case, as Node gives header names.
 */
export const PREFLIGHT_HEADERS = [
  'mercurius-require-preflight',
  'x-mercurius-operation-name',
  'apollo-require-preflight',
  'x-apollo-operation-name',
  'apollographql-client-name',
  'apollographql-client-version'
] as const

/** What the CORS policy lets an allowed origin send: the body's type, a Bearer token, and the preflight headers. */
export const CORS_ALLOWED_HEADERS = ['content-type', 'authorization', ...PREFLIGHT_HEADERS] as const
