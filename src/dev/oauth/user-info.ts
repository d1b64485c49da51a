// The emulated managed login's /oauth2/userInfo: the access token's user, as OIDC claims.
import { CognitoError } from 'cognito-local/lib/errors.js'
import { authorize as checkAccessToken } from '../rules/access-token.ts'
import { readableBy } from '../rules/attributes.ts'
import type { Endpoint } from './context.ts'
import { sendJson } from './http.ts'

/** The attributes each OAuth scope releases (OpenID Connect Core §5.4); `sub` and `username` always. */
const SCOPE_ATTRIBUTES: Record<string, (name: string) => boolean> = {
  email: (name) => name === 'email' || name === 'email_verified',
  phone: (name) => name === 'phone_number' || name === 'phone_number_verified',
  profile: (name) => !['sub', 'email', 'email_verified', 'phone_number', 'phone_number_verified'].includes(name),
  'aws.cognito.signin.user.admin': () => true
}

/** AWS's descriptions of the two refusals its page documents. */
const BAD_REQUEST = 'Bad OAuth2 request at UserInfo Endpoint'
const BAD_TOKEN = 'Access token is expired, disabled, or deleted, or the user has globally signed out.'

/**
 * GET (or POST) /oauth2/userInfo with `Authorization: Bearer <access token>`: the user's
 * attributes the token's scopes release and its app client may read, as strings (as Cognito
 * answers them: `"email_verified": "true"`). The token is checked as the API checks one
 * (signature, expiry, revocation, user enabled) and must carry the openid scope. Refusals as AWS's
 * page gives them: 400 invalid_request without a bearer token, 401 invalid_token otherwise, each
 * with `WWW-Authenticate: error="…", error_description="…"` (and the same as a JSON body).
 * Assumed: a token without the openid scope is invalid_token.
 */
export const userInfo: Endpoint = async (login, req, res) => {
  req.resume()
  const refuse = (status: number, error: string, description: string): void =>
    sendJson(res, status, { error, error_description: description }, { 'www-authenticate': `error="${error}", error_description="${description}"` })
  const bearer = /^Bearer (\S+)$/i.exec(req.headers.authorization ?? '')?.[1]
  if (bearer === undefined) return refuse(400, 'invalid_request', BAD_REQUEST)
  let checked
  try {
    checked = await checkAccessToken(login.bridge, bearer)
  } catch (err) {
    if (err instanceof CognitoError) return refuse(401, 'invalid_token', BAD_TOKEN)
    throw err
  }
  const scopes = String(checked.claims.scope ?? '').split(' ')
  if (!scopes.includes('openid')) return refuse(401, 'invalid_token', BAD_TOKEN)
  const readable = readableBy(await login.bridge.services.cognito.getAppClient(login.bridge.ctx, String(checked.claims.client_id)))
  const released = (name: string): boolean => name === 'sub' || (readable(name) && scopes.some(scope => SCOPE_ATTRIBUTES[scope]?.(name) === true))
  const attributes = Object.fromEntries(checked.user.Attributes.filter(a => released(a.Name)).map(a => [a.Name, a.Value]))
  sendJson(res, 200, { ...attributes, username: checked.user.Username })
}
