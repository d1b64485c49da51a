// The emulated managed login's /oauth2/token: a code (with PKCE and the client secret) exchanged for tokens.
import { randomUUID } from 'node:crypto'
import { InvalidParameterError, NotAuthorizedError } from 'cognito-local/lib/errors.js'
import type { AppClient } from 'cognito-local/lib/services/appClient.js'
import { rotationOf } from '../rules/refresh-rotation.ts'
import { appClient, poolOf, type Endpoint, type ManagedLogin } from './context.ts'
import { secretHash } from '../rules/secret-hash.ts'
import { sameSecret } from '../../digest.ts'
import { readForm, s256, sendJson, single } from './http.ts'

/** An OAuth error answer of the token endpoint: AWS answers each with HTTP 400 (its page's sample), invalid_client included. */
class TokenError extends Error {
  readonly code: string
  constructor (code: string, message: string) {
    super(message)
    this.code = code
  }
}

/**
 * POST /oauth2/token: authorization_code (the code single-use and live, of this client,
 * redirect_uri equal to the one it was issued for, the PKCE verifier matching its S256
 * challenge) and refresh_token (through InitiateAuth REFRESH_TOKEN_AUTH, as the API refreshes).
 * A client with a secret authenticates with HTTP Basic (or client_secret in the body). Errors
 * as AWS's page gives them: HTTP 400 and `error` (invalid_request, invalid_client, invalid_grant,
 * unauthorized_client for a grant the client does not have, unsupported_grant_type).
 */
export const token: Endpoint = async (login, req, res) => {
  try {
    const form = await readForm(req)
    if (form === undefined) throw new TokenError('invalid_request', 'The body must be application/x-www-form-urlencoded.')
    const client = await authenticatedClient(login, req.headers.authorization, form)
    const grant = single(form, 'grant_type')
    if (grant === 'authorization_code') return sendJson(res, 200, await redeemCode(login, client, form))
    if (grant === 'refresh_token') return sendJson(res, 200, await refresh(login, client, form))
    if (grant === 'client_credentials') {
      if (!(client.AllowedOAuthFlows ?? []).includes('client_credentials')) throw new TokenError('unauthorized_client', 'The app client does not allow the client credentials grant.')
      throw new TokenError('invalid_request', 'The client credentials grant is not emulated.')
    }
    throw new TokenError(grant === undefined ? 'invalid_request' : 'unsupported_grant_type', 'grant_type must be authorization_code, refresh_token or client_credentials.')
  } catch (err) {
    if (!(err instanceof TokenError)) throw err
    sendJson(res, 400, { error: err.code, error_description: err.message })
  }
}

/** The app client the request authenticates as: HTTP Basic or client_id (+ client_secret) in the body; its secret must match when it has one. */
async function authenticatedClient (login: ManagedLogin, authorization: string | undefined, form: URLSearchParams): Promise<AppClient> {
  const basic = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(authorization ?? '')
  const [id, secret] = basic === null
    ? [single(form, 'client_id'), single(form, 'client_secret')]
    : Buffer.from(basic[1] as string, 'base64').toString('utf8').split(':').map(decodeURIComponent)
  const refused = new TokenError('invalid_client', 'Client authentication failed.')
  if (id === undefined || id === '') throw new TokenError('invalid_request', 'client_id is missing.')
  const client = await appClient(login, id)
  if (client === undefined) throw refused
  if (client.ClientSecret === undefined ? secret !== undefined : secret === undefined || !sameSecret(secret, client.ClientSecret)) throw refused
  return client
}

async function redeemCode (login: ManagedLogin, client: AppClient, form: URLSearchParams) {
  if (!(client.AllowedOAuthFlows ?? []).includes('code')) throw new TokenError('unauthorized_client', 'The app client does not allow the authorization code grant.')
  const code = single(form, 'code')
  const redirectUri = single(form, 'redirect_uri')
  if (code === undefined || redirectUri === undefined) throw new TokenError('invalid_request', 'code and redirect_uri are required.')
  // Taken whatever happens next: a code is presented once.
  const issued = login.store.codes.take(code)
  if (issued === undefined || issued.clientId !== client.ClientId) throw new TokenError('invalid_grant', 'The code is unknown, expired, or used already.')
  if (issued.redirectUri !== redirectUri) throw new TokenError('invalid_grant', 'redirect_uri differs from the authorization request\'s.')
  if (issued.codeChallenge !== undefined) {
    const verifier = single(form, 'code_verifier')
    if (verifier === undefined || !sameSecret(s256(verifier), issued.codeChallenge)) throw new TokenError('invalid_grant', 'code_verifier does not match the code_challenge.')
  }
  const { ctx, services, tokens } = login.bridge
  const pool = await poolOf(login, client)
  const user = await pool.getUserByUsername(ctx, issued.username)
  if (user === null || !user.Enabled) throw new TokenError('invalid_grant', 'The user is unknown or disabled.')
  const groups = await pool.listUserGroupMembership(ctx, user)
  const session = { originJti: randomUUID(), authTime: issued.authTime, scope: issued.scope, ...(issued.nonce === undefined ? {} : { nonce: issued.nonce }) }
  const minted = await tokens.session.run(session, () => services.tokenGenerator.generate(ctx, user, groups, client, undefined, 'HostedAuth'))
  await pool.storeRefreshToken(ctx, minted.RefreshToken, user)
  return { access_token: minted.AccessToken, ...idToken(issued.scope, minted.IdToken), refresh_token: minted.RefreshToken, token_type: 'Bearer', expires_in: expiresIn(login, minted.AccessToken) }
}

/** refresh_token: as InitiateAuth REFRESH_TOKEN_AUTH answers (new access and id tokens, the same refresh token kept). */
async function refresh (login: ManagedLogin, client: AppClient, form: URLSearchParams) {
  const refreshToken = single(form, 'refresh_token')
  if (refreshToken === undefined) throw new TokenError('invalid_request', 'refresh_token is required.')
  // A client that rotates refresh tokens has no ALLOW_REFRESH_TOKEN_AUTH; InitiateAuth refuses it below (invalid_grant).
  if (!(client.ExplicitAuthFlows ?? []).includes('ALLOW_REFRESH_TOKEN_AUTH') && !rotationOf(client).enabled) {
    throw new TokenError('unauthorized_client', 'The app client does not allow refreshing tokens.')
  }
  try {
    // The client authenticated above: the SECRET_HASH the operation checks is made here (over Cognito's username).
    const claims = login.bridge.tokens.read(refreshToken, 'refresh')
    const name = typeof claims === 'object' ? String(claims['cognito:username']) : ''
    const deviceKey = single(form, 'device_key')
    const { AuthenticationResult: result } = await login.operations('InitiateAuth')(login.bridge.ctx, {
      AuthFlow: 'REFRESH_TOKEN_AUTH',
      ClientId: client.ClientId,
      AuthParameters: {
        REFRESH_TOKEN: refreshToken,
        ...(client.ClientSecret === undefined ? {} : { SECRET_HASH: secretHash(client.ClientSecret, name, client.ClientId) }),
        ...(deviceKey === undefined ? {} : { DEVICE_KEY: deviceKey })
      }
    })
    const access = login.bridge.tokens.read(result.AccessToken, 'access')
    return { access_token: result.AccessToken, ...idToken(typeof access === 'object' ? String(access.scope) : '', result.IdToken), token_type: 'Bearer', expires_in: result.ExpiresIn }
  } catch (err) {
    if (err instanceof NotAuthorizedError) throw new TokenError('invalid_grant', err.message)
    // The client does not allow refresh (ExplicitAuthFlows without ALLOW_REFRESH_TOKEN_AUTH).
    if (err instanceof InvalidParameterError) throw new TokenError('unauthorized_client', err.message)
    throw err
  }
}

/** The id token is answered only when the openid scope was granted. */
const idToken = (scope: string, token: string): { id_token?: string } => scope.split(' ').includes('openid') ? { id_token: token } : {}

const expiresIn = ({ bridge }: ManagedLogin, accessToken: string): number => {
  const claims = bridge.tokens.read(accessToken, 'access')
  return typeof claims === 'object' ? Number(claims.exp) - Number(claims.iat) : 0
}
