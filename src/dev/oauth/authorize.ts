// The emulated managed login's /oauth2/authorize: the request checked, the sign-in page or the provider's redirect.
import { randomBytes } from 'node:crypto'
import { redirectWithCode, redirectWithError } from './answers.ts'
import { appClient, FEDERATION_COOKIE, SESSION_COOKIE, type Endpoint } from './context.ts'
import { cookie, cookies, query, redirect, sendErrorPage, single } from './http.ts'
import { authorizationUrl } from './oidc-client.ts'

/**
 * GET /oauth2/authorize (response_type=code): checks the app client and that redirect_uri is one
 * of its CallbackURLs exactly (else an error page, never a redirect); then any other fault goes
 * back to redirect_uri as an OAuth error. With a live managed-login session for the same provider
 * the code is issued at once; otherwise the browser goes to the provider's sign-in page, with our
 * own state, nonce and PKCE, bound to the browser by a cookie.
 */
export const authorize: Endpoint = async (login, req, res) => {
  const params = query(req)
  const client = await appClient(login, single(params, 'client_id'))
  if (client === undefined) return sendErrorPage(res, 'invalid_request', 'client_id is missing or names no app client of the pool.')
  const redirectUri = single(params, 'redirect_uri')
  if (redirectUri === undefined || !(client.CallbackURLs ?? []).includes(redirectUri)) {
    return sendErrorPage(res, 'redirect_mismatch', 'redirect_uri is not one of the app client\'s callback URLs.')
  }
  const state = single(params, 'state')
  const refuse = (error: string, description: string): void => redirectWithError(res, { redirectUri, state }, error, description)

  // As AWS's page: a missing response_type is invalid_request, a grant the client lacks unauthorized_client.
  const responseType = single(params, 'response_type')
  if (responseType === undefined) return refuse('invalid_request', 'response_type is required.')
  const flow = responseType === 'code' ? 'code' : responseType === 'token' ? 'implicit' : undefined
  if (flow === undefined) return refuse('unsupported_response_type', 'response_type must be code or token.')
  if (!(client.AllowedOAuthFlows ?? []).includes(flow)) return refuse('unauthorized_client', `The app client does not allow the ${flow === 'code' ? 'authorization code' : 'implicit'} grant.`)
  if (flow === 'implicit') return refuse('unsupported_response_type', 'The implicit grant is not emulated.')
  const allowed = client.AllowedOAuthScopes ?? []
  const requested = single(params, 'scope')?.split(' ').filter(Boolean) ?? allowed
  if (requested.length === 0 || requested.some(s => !allowed.includes(s))) return refuse('invalid_scope', 'A requested scope is not allowed for the app client.')
  const codeChallenge = single(params, 'code_challenge')
  const method = single(params, 'code_challenge_method')
  if ((codeChallenge === undefined) !== (method === undefined) || (method !== undefined && method !== 'S256')) {
    return refuse('invalid_request', 'PKCE takes code_challenge with code_challenge_method S256.')
  }
  const providerName = single(params, 'identity_provider')
  if (providerName === undefined) return sendErrorPage(res, 'invalid_request', 'The emulator has no managed sign-in page: name the provider with identity_provider (DevIdP).')
  const provider = login.providers.get(providerName)
  if (provider === undefined || !(client.SupportedIdentityProviders ?? []).includes(providerName)) {
    return refuse('invalid_request', 'identity_provider is not a provider of the app client.')
  }

  const request = { clientId: client.ClientId, redirectUri, state, scope: requested.join(' '), codeChallenge, nonce: single(params, 'nonce'), provider: providerName }
  const session = login.store.sessions.peek(cookies(req).get(SESSION_COOKIE))
  if (session !== undefined && session.provider === providerName) return redirectWithCode(login, res, request, session)

  const idpVerifier = randomBytes(32).toString('base64url')
  const idpNonce = randomBytes(16).toString('base64url')
  const pending = login.store.pending.add({ ...request, idpVerifier, idpNonce })
  redirect(res, authorizationUrl(provider, { state: pending, nonce: idpNonce, verifier: idpVerifier }), [
    cookie(FEDERATION_COOKIE, pending, '/oauth2/idpresponse', login.store.ttls.pendingSeconds)
  ])
}
