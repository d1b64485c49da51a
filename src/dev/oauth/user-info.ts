import { CognitoError } from 'cognito-local/lib/errors.js'
import { authorize as checkAccessToken } from '../rules/access-token.ts'
import type { Endpoint } from './context.ts'
import { sendJson } from './http.ts'

/** The attributes each OAuth scope releases (OpenID Connect Core §5.4); `sub` and `username` always. */
const SCOPE_ATTRIBUTES: Record<string, (name: string) => boolean> = {
  email: (name) => name === 'email' || name === 'email_verified',
  phone: (name) => name === 'phone_number' || name === 'phone_number_verified',
  profile: (name) => !['sub', 'email', 'email_verified', 'phone_number', 'phone_number_verified'].includes(name),
  'aws.cognito.signin.user.admin': () => true
}

/**
 * GET (or POST) /oauth2/userInfo with `Authorization: Bearer <access token>`: the user's
 * attributes the token's scopes release, as strings (as Cognito answers them). The token is
 * checked as the API checks one (signature, expiry, revocation, user enabled); it must carry the
 * openid scope. Failures answer 401 (403 for a missing scope) with WWW-Authenticate (RFC 6750).
 */
export const userInfo: Endpoint = async (login, req, res) => {
  req.resume()
  const refuse = (status: number, error: string, description: string): void =>
    sendJson(res, status, { error, error_description: description }, { 'www-authenticate': `Bearer error="${error}", error_description="${description}"` })
  const bearer = /^Bearer (\S+)$/i.exec(req.headers.authorization ?? '')?.[1]
  if (bearer === undefined) return refuse(401, 'invalid_request', 'An access token is required (Authorization: Bearer).')
  let checked
  try {
    checked = await checkAccessToken(login.bridge, bearer)
  } catch (err) {
    if (err instanceof CognitoError) return refuse(401, 'invalid_token', err.message)
    throw err
  }
  const scopes = String(checked.claims.scope ?? '').split(' ')
  if (!scopes.includes('openid') && !scopes.includes('aws.cognito.signin.user.admin')) return refuse(403, 'insufficient_scope', 'The access token lacks the openid scope.')
  const released = (name: string): boolean => name === 'sub' || scopes.some(scope => SCOPE_ATTRIBUTES[scope]?.(name) === true)
  const attributes = Object.fromEntries(checked.user.Attributes.filter(a => released(a.Name)).map(a => [a.Name, a.Value]))
  sendJson(res, 200, { ...attributes, username: checked.user.Username })
}
