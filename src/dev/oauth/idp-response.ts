// The emulated managed login's /oauth2/idpresponse: the identity provider's answer turned into a pool user and a code.
import { CognitoError } from 'cognito-local/lib/errors.js'
import { federatedSignIn } from '../rules/federated-users.ts'
import { redirectWithCode, redirectWithError } from './answers.ts'
import { FEDERATION_COOKIE, SESSION_COOKIE, type Endpoint } from './context.ts'
import { cookie, cookies, query, sendErrorPage, single } from './http.ts'
import { exchangeCode, ProviderError } from './oidc-client.ts'

/**
 * GET /oauth2/idpresponse: the identity provider's answer. A `state` we did not hand to this
 * browser (or one used, or expired) gets an error page. Otherwise the provider's error, or a
 * failed exchange, goes back to the app as an OAuth error; a good code is exchanged, its id token
 * checked, the Cognito user found or created (rules/federated-users.ts), a managed-login session
 * opened, and the app gets its own code.
 */
export const idpResponse: Endpoint = async (login, req, res) => {
  const params = query(req)
  const state = single(params, 'state')
  const bound = cookies(req).get(FEDERATION_COOKIE)
  const clearBinding = cookie(FEDERATION_COOKIE, '', '/oauth2/idpresponse', 0)
  const pending = state !== undefined && state === bound ? login.store.pending.take(state) : undefined
  if (pending === undefined) {
    res.setHeader('set-cookie', clearBinding)
    return sendErrorPage(res, 'invalid_request', 'This sign-in is unknown to this browser, expired, or finished already. Start again from the app.')
  }
  const refuse = (error: string, description: string): void => redirectWithError(res, pending, error, description, [clearBinding])

  const idpError = single(params, 'error')
  if (idpError !== undefined) return refuse(idpError, single(params, 'error_description') ?? `${pending.provider} answered ${idpError}.`)
  const code = single(params, 'code')
  if (code === undefined) return refuse('invalid_request', `${pending.provider} answered without a code.`)
  const provider = login.providers.get(pending.provider)
  if (provider === undefined) return refuse('invalid_request', 'The identity provider is no longer configured.')

  const { ctx, services } = login.bridge
  let claims
  try {
    claims = await exchangeCode(provider, { code, verifier: pending.idpVerifier, nonce: pending.idpNonce, now: services.clock.get() })
  } catch (err) {
    if (!(err instanceof ProviderError)) throw err
    login.log.warn({ provider: pending.provider, error: err.code }, err.message)
    return refuse(err.code, err.message)
  }
  const pool = await services.cognito.getUserPoolForClientId(ctx, pending.clientId)
  let user
  try {
    user = await federatedSignIn(login.bridge, pool, provider.ref, claims)
  } catch (err) {
    // As AWS's managed login: a trigger's refusal goes back to the app in the query.
    if (err instanceof CognitoError) return refuse('invalid_request', err.message)
    throw err
  }
  if (!user.Enabled) return refuse('invalid_request', 'User is disabled.')

  const signedIn = { username: user.Username, authTime: Math.floor(services.clock.get().getTime() / 1000) }
  const session = login.store.sessions.add({ ...signedIn, provider: pending.provider })
  const { idpVerifier: _verifier, idpNonce: _nonce, ...request } = pending
  redirectWithCode(login, res, request, signedIn, [clearBinding, cookie(SESSION_COOKIE, session, '/', login.store.ttls.sessionSeconds)])
}
