// The emulator's managed login and its DevIdP, driven over HTTP as a browser (with a cookie jar)
// and a confidential server-side client would drive them: no server of ours, no browser.
import { createHash, randomBytes } from 'node:crypto'
import t from 'tap'
import Fastify from 'fastify'
import { CognitoJwtVerifier } from 'aws-jwt-verify'
import {
  AdminDisableUserCommand, AdminGetUserCommand, AdminLinkProviderForUserCommand, CognitoIdentityProviderClient, ConfirmSignUpCommand,
  CreateUserPoolClientCommand, ForgotPasswordCommand, GetUserCommand, InitiateAuthCommand, SignUpCommand, type CreateUserPoolClientCommandInput
} from '@aws-sdk/client-cognito-identity-provider'
import { startEmulator, type Emulator } from '../src/dev/emulator.ts'
import { DevIdpAccounts } from '../src/dev/devidp/accounts.ts'
import type { CookieJar } from './cookie-jar.ts'
import { OAuthBrowser, type Step } from './oauth-helpers.ts'
import { emulatorClient } from './helper.ts'

const logger = Fastify({ logger: { level: 'silent' } }).log
/** The emulator's clock, which a test can move forward. */
const clock = { offsetMs: 0, get: () => new Date(Date.now() + clock.offsetMs) }

const emulator: Emulator = await startEmulator({ dataDir: t.testdir(), logger, clock })
t.teardown(() => emulator.close())
const cognito = emulatorClient(t, emulator)
const domain = emulator.managedLoginDomain
const APP = 'http://localhost:3999'
const CALLBACK = `${APP}/auth/oauth/callback`
await emulator.setRedirectUrls({ callbackUrls: [CALLBACK], logoutUrls: [`${APP}/`] })

/** A browser on the emulator alone: its cookies for the emulator's host; `follow` stays on the emulator's origin (it stops at a redirect to the app). */
class Browser extends OAuthBrowser {
  get jar (): CookieJar {
    return this.jarOf(domain)
  }

  override async follow (url: string): Promise<Step> {
    return await super.follow(url, (next) => !next.startsWith(`${domain}/`))
  }
}

const s256 = (verifier: string) => createHash('sha256').update(verifier).digest('base64url')
const claims = (jwt: string): Record<string, any> => JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString())
let emails = 0
const newEmail = (label = 'fed') => `${label}${++emails}-${randomBytes(4).toString('hex')}@example.com`

interface AuthorizeParams { clientId?: string, redirectUri?: string, state?: string, nonce?: string, verifier?: string, scope?: string, provider?: string }
function authorizeUrl ({ clientId = emulator.clientId, redirectUri = CALLBACK, state = 'st-' + randomBytes(6).toString('hex'), nonce, verifier, scope = 'openid email profile', provider = 'DevIdP' }: AuthorizeParams = {}): string {
  const url = new URL('/oauth2/authorize', domain)
  const params: Record<string, string | undefined> = {
    response_type: 'code',
    client_id: clientId,
    redirect_uri: redirectUri,
    state,
    nonce,
    scope,
    identity_provider: provider,
    ...(verifier === undefined ? {} : { code_challenge: s256(verifier), code_challenge_method: 'S256' })
  }
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v)
  return url.href
}

/** authorize → DevIdP's form → submit → idpresponse: the redirect to the app. */
async function signInAtDevIdp (browser: Browser, email: string, params: AuthorizeParams = {}, form: Record<string, string> = {}) {
  const page = await browser.follow(authorizeUrl(params))
  if (page.status !== 200) return page // a session skipped the DevIdP (or an error)
  const action = /<form method="post" action="([^"]+)"/.exec(page.body)?.[1]
  if (action === undefined) throw new Error(`no DevIdP form: ${page.body}`)
  const formUrl = new URL(action, new URL(`/devidp/interaction/${action}`, domain)).href
  const submitted = await browser.request(formUrl, { method: 'POST', origin: domain, form: { email, name: 'Fed User', email_verified: 'true', action: 'sign-in', ...form } })
  if (submitted.location === undefined) throw new Error(`DevIdP form refused: ${submitted.status} ${submitted.body}`)
  return await browser.follow(submitted.location)
}

/** The `code` and `state` the app received, or its error. */
const appReceived = (location: string | undefined) => Object.fromEntries(new URL(location ?? 'http://missing/').searchParams)

/** A second app client of the pool with the code grant (scopes openid and email, DevIdP, the app's callback), as `extra` adds. */
async function codeGrantClient (name: string, extra: Partial<CreateUserPoolClientCommandInput>) {
  const { UserPoolClient } = await cognito.send(new CreateUserPoolClientCommand({
    UserPoolId: emulator.userPoolId,
    ClientName: name,
    AllowedOAuthFlows: ['code'],
    AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthScopes: ['openid', 'email'],
    SupportedIdentityProviders: ['DevIdP'],
    CallbackURLs: [CALLBACK],
    ...extra
  }))
  return UserPoolClient ?? {}
}

async function exchange (form: Record<string, string>, authorization?: string) {
  const res = await fetch(`${emulator.endpoint}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(authorization === undefined ? {} : { authorization }) },
    body: new URLSearchParams(form)
  })
  return { status: res.status, body: await res.json() as Record<string, any> }
}

const codeForm = (code: string, verifier?: string, redirectUri = CALLBACK) =>
  ({ grant_type: 'authorization_code', client_id: emulator.clientId, code, redirect_uri: redirectUri, ...(verifier === undefined ? {} : { code_verifier: verifier }) })

async function signedInTokens (email: string, browser = new Browser()) {
  const verifier = randomBytes(32).toString('base64url')
  const back = await signInAtDevIdp(browser, email, { verifier })
  const { code } = appReceived(back.location)
  const tokens = await exchange(codeForm(code ?? '', verifier))
  if (tokens.status !== 200) throw new Error(JSON.stringify(tokens.body))
  return tokens.body as { access_token: string, id_token: string, refresh_token: string }
}

t.test('the whole dance: authorize, DevIdP form, idpresponse, code, tokens as Cognito mints them', async t => {
  const browser = new Browser()
  const email = newEmail()
  const verifier = randomBytes(32).toString('base64url')
  const first = await browser.request(authorizeUrl({ verifier, state: 'app-state-1', nonce: 'n-1' }))
  t.equal(first.status, 302)
  t.ok(first.location?.startsWith(`${domain}/devidp/auth?`), 'the browser goes to the DevIdP')
  t.match(browser.jar.get('cognito-federation'), /.+/, 'the sign-in is bound to this browser')

  const back = await signInAtDevIdp(browser, email, { verifier, state: 'app-state-1', nonce: 'n-1' })
  t.equal(back.status, 302)
  t.ok(back.location?.startsWith(`${CALLBACK}?`), 'back at the app\'s callback')
  const { code, state } = appReceived(back.location)
  t.equal(state, 'app-state-1')
  t.match(code, /^[\w-]{20,}$/)
  t.ok(browser.jar.has('cognito'), 'a managed-login session is open')

  const { status, body } = await exchange(codeForm(code ?? '', verifier))
  t.equal(status, 200)
  t.equal(body.token_type, 'Bearer')
  t.equal(body.expires_in, 3600)
  const sub = DevIdpAccounts.subjectOf(email)
  const id = claims(body.id_token)
  t.equal(id['cognito:username'], `DevIdP_${sub}`)
  t.equal(id.email, email)
  t.equal(id.email_verified, true)
  t.equal(id.name, 'Fed User')
  t.equal(id.nonce, 'n-1')
  t.equal(id.aud, emulator.clientId)
  t.match(id.identities, [{ userId: sub, providerName: 'DevIdP', providerType: 'OIDC', primary: 'true', issuer: null }])
  t.type(id.auth_time, 'number')
  t.match(id['cognito:groups'], [`${emulator.userPoolId}_DevIdP`])
  const access = claims(body.access_token)
  t.equal(access.scope, 'openid email profile')
  t.equal(access.username, `DevIdP_${sub}`)
  t.equal(access.origin_jti, id.origin_jti)
  t.equal(access.auth_time, id.auth_time)

  // The tokens verify as the server verifies Cognito's.
  const verify = CognitoJwtVerifier.create({ userPoolId: emulator.userPoolId, tokenUse: 'id', clientId: emulator.clientId })
  verify.cacheJwks(emulator.jwks)
  t.equal((await verify.verify(body.id_token)).sub, id.sub)

  const user = await cognito.send(new AdminGetUserCommand({ UserPoolId: emulator.userPoolId, Username: `DevIdP_${sub}` }))
  t.equal(user.UserStatus, 'EXTERNAL_PROVIDER')
  const attributes = Object.fromEntries((user.UserAttributes ?? []).map(a => [a.Name, a.Value]))
  t.equal(attributes.email, email)
  t.equal(attributes.email_verified, 'true')
  t.match(JSON.parse(attributes.identities ?? '[]'), [{ userId: sub, providerName: 'DevIdP' }])

  // The refresh token refreshes as the API refreshes (REFRESH_TOKEN_AUTH), and at the token endpoint.
  const refreshed = await cognito.send(new InitiateAuthCommand({ ClientId: emulator.clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: body.refresh_token } }))
  const again = claims(refreshed.AuthenticationResult?.IdToken ?? '')
  t.equal(again['cognito:username'], `DevIdP_${sub}`)
  t.equal(again.origin_jti, id.origin_jti)
  t.equal(again.nonce, undefined, 'no nonce in a refreshed id token')
  t.equal(claims(refreshed.AuthenticationResult?.AccessToken ?? '').scope, 'openid email profile', 'the scopes are kept')
  const viaEndpoint = await exchange({ grant_type: 'refresh_token', client_id: emulator.clientId, refresh_token: body.refresh_token })
  t.equal(viaEndpoint.status, 200)
  t.equal(claims(viaEndpoint.body.id_token)['cognito:username'], `DevIdP_${sub}`)
  t.equal(viaEndpoint.body.refresh_token, undefined)

  // A federated user has no password.
  for (const password of ['', 'anything']) {
    await t.rejects(cognito.send(new InitiateAuthCommand({ ClientId: emulator.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: `DevIdP_${sub}`, PASSWORD: password } })),
      { name: 'NotAuthorizedException', message: 'Incorrect username or password.' })
  }

  const forgot = await cognito.send(new ForgotPasswordCommand({ ClientId: emulator.clientId, Username: `DevIdP_${sub}` }))
  t.equal(forgot.CodeDeliveryDetails?.DeliveryMedium, 'EMAIL', 'answered as for an unknown user')
  t.equal(emulator.mailbox.list(email).length, 0, 'and no code is sent')

  // The access token works with the API too (GetUser).
  const me = await cognito.send(new GetUserCommand({ AccessToken: body.access_token }))
  t.equal(me.Username, `DevIdP_${sub}`)
})

t.test('the first sign-in creates the user, the second finds it; a session skips the DevIdP until /logout', async t => {
  const email = newEmail()
  const first = await signedInTokens(email)
  const browser = new Browser()
  const second = await signedInTokens(email, browser)
  t.equal(claims(second.id_token).sub, claims(first.id_token).sub, 'the same Cognito user')
  t.not(claims(second.id_token).origin_jti, claims(first.id_token).origin_jti, 'another session')

  const skipped = await browser.request(authorizeUrl({ state: 's-again' }))
  t.equal(skipped.status, 302)
  t.ok(skipped.location?.startsWith(`${CALLBACK}?`), 'straight back to the app: no DevIdP')
  t.equal(appReceived(skipped.location).state, 's-again')
  t.match(appReceived(skipped.location).code, /.+/)

  const out = await browser.request(`${domain}/logout?client_id=${emulator.clientId}&logout_uri=${encodeURIComponent(`${APP}/`)}`)
  t.equal(out.status, 302)
  t.equal(out.location, `${APP}/`)
  t.notOk(browser.jar.has('cognito'), 'the session cookie is cleared')
  const after = await browser.request(authorizeUrl())
  t.ok(after.location?.startsWith(`${domain}/devidp/auth?`), 'after /logout the DevIdP asks again')
})

t.test('/logout to a URL that is not registered: an error page, and the session stays', async t => {
  const browser = new Browser()
  await signedInTokens(newEmail(), browser)
  for (const uri of ['https://evil.example/', `${APP}/elsewhere`]) {
    const out = await browser.request(`${domain}/logout?client_id=${emulator.clientId}&logout_uri=${encodeURIComponent(uri)}`)
    t.equal(out.status, 400)
    t.equal(out.location, undefined, 'never a redirect')
    t.match(out.body, /sign-out URLs/)
  }
  const unknownClient = await browser.request(`${domain}/logout?client_id=nope&logout_uri=${encodeURIComponent(`${APP}/`)}`)
  t.equal(unknownClient.status, 400)
  const skipped = await browser.request(authorizeUrl())
  t.ok(skipped.location?.startsWith(`${CALLBACK}?`), 'still signed in at the managed login')
})

t.test('authorize: an unregistered redirect_uri or unknown client is an error page, never a redirect', async t => {
  const browser = new Browser()
  for (const url of [
    authorizeUrl({ redirectUri: 'https://evil.example/callback' }),
    authorizeUrl({ redirectUri: `${CALLBACK}/` }),
    authorizeUrl({ redirectUri: 'http://localhost:4000/auth/oauth/callback' }),
    authorizeUrl({ clientId: 'no-such-client' })
  ]) {
    const res = await browser.request(url)
    t.equal(res.status, 400, url)
    t.equal(res.location, undefined)
    t.match(res.headers.get('content-type'), /text\/html/)
  }
  // Once the redirect_uri is the client's, other faults go back to the app as OAuth errors.
  const badScope = await browser.request(authorizeUrl({ scope: 'openid admin', state: 'x' }))
  t.match(appReceived(badScope.location), { error: 'invalid_scope', state: 'x' })
  const badProvider = await browser.request(authorizeUrl({ provider: 'Google', state: 'y' }))
  t.match(appReceived(badProvider.location), { error: 'invalid_request', state: 'y' })
  const plain = await browser.request(authorizeUrl({ state: 'z' }).replace('code_challenge_method', 'x') + '&code_challenge=abc&code_challenge_method=plain')
  t.match(appReceived(plain.location), { error: 'invalid_request', state: 'z' })
  // As AWS's page: no response_type is invalid_request; a grant the client does not have is unauthorized_client.
  const noType = await browser.request(authorizeUrl({ state: 'w' }).replace('response_type=code&', ''))
  t.match(appReceived(noType.location), { error: 'invalid_request', state: 'w' })
  const implicit = await browser.request(authorizeUrl({ state: 'v' }).replace('response_type=code', 'response_type=token'))
  t.match(appReceived(implicit.location), { error: 'unauthorized_client', state: 'v' })
  const unknownType = await browser.request(authorizeUrl({ state: 'u' }).replace('response_type=code', 'response_type=id_token'))
  t.match(appReceived(unknownType.location), { error: 'unsupported_response_type', state: 'u' })
})

t.test('token: a grant the app client does not have is unauthorized_client, every error 400', async t => {
  const { ClientId: clientId = '' } = await codeGrantClient('no-refresh', { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'] })
  t.match(await exchange({ grant_type: 'refresh_token', client_id: clientId, refresh_token: 'any' }), { status: 400, body: { error: 'unauthorized_client' } }, 'no ALLOW_REFRESH_TOKEN_AUTH')
  t.match(await exchange({ grant_type: 'client_credentials', client_id: clientId }), { status: 400, body: { error: 'unauthorized_client' } }, 'no client_credentials flow')
  t.match(await exchange({ grant_type: 'refresh_token', client_id: clientId }), { status: 400, body: { error: 'invalid_request' } }, 'no refresh_token')
})

t.test('token: a code works once, with its verifier and redirect_uri, within five minutes', async t => {
  const email = newEmail()
  const newCode = async (verifier?: string) => {
    const back = await signInAtDevIdp(new Browser(), email, { verifier })
    return appReceived(back.location).code ?? ''
  }
  const verifier = randomBytes(32).toString('base64url')

  const code = await newCode(verifier)
  t.equal((await exchange(codeForm(code, verifier))).status, 200)
  t.match(await exchange(codeForm(code, verifier)), { status: 400, body: { error: 'invalid_grant' } }, 'a code used twice')

  const wrongVerifier = await newCode(verifier)
  t.match(await exchange(codeForm(wrongVerifier, randomBytes(32).toString('base64url'))), { status: 400, body: { error: 'invalid_grant' } }, 'a wrong verifier')
  t.match(await exchange(codeForm(wrongVerifier, verifier)), { status: 400, body: { error: 'invalid_grant' } }, 'and the code is used up by the attempt')
  const noVerifier = await newCode(verifier)
  t.match(await exchange(codeForm(noVerifier)), { status: 400, body: { error: 'invalid_grant' } }, 'no verifier for a PKCE code')

  const otherRedirect = await newCode(verifier)
  t.match(await exchange(codeForm(otherRedirect, verifier, `${APP}/other`)), { status: 400, body: { error: 'invalid_grant' } }, 'another redirect_uri')

  const expired = await newCode(verifier)
  clock.offsetMs += 301_000
  t.teardown(() => { clock.offsetMs = 0 })
  t.match(await exchange(codeForm(expired, verifier)), { status: 400, body: { error: 'invalid_grant' } }, 'a code older than five minutes')
  clock.offsetMs = 0

  t.match(await exchange({ grant_type: 'authorization_code', client_id: emulator.clientId, code: 'made-up', redirect_uri: CALLBACK }), { status: 400, body: { error: 'invalid_grant' } })
  t.match(await exchange({ grant_type: 'authorization_code', client_id: emulator.clientId, redirect_uri: CALLBACK }), { status: 400, body: { error: 'invalid_request' } })
  t.match(await exchange({ grant_type: 'password', client_id: emulator.clientId }), { status: 400, body: { error: 'unsupported_grant_type' } })
  t.match(await exchange({ grant_type: 'refresh_token', client_id: emulator.clientId, refresh_token: 'forged' }), { status: 400, body: { error: 'invalid_grant' } })
})

t.test('token: a client with a secret authenticates with HTTP Basic; a wrong or missing secret is invalid_client', async t => {
  const { ClientId: clientId = '', ClientSecret: secret = '' } = await codeGrantClient('confidential', { GenerateSecret: true, ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'] })
  const basic = (s: string) => `Basic ${Buffer.from(`${clientId}:${s}`).toString('base64')}`
  const newCode = async () => appReceived((await signInAtDevIdp(new Browser(), newEmail(), { clientId, scope: 'openid email' })).location).code ?? ''
  const form = (code: string) => ({ grant_type: 'authorization_code', code, redirect_uri: CALLBACK })

  t.match(await exchange(form(await newCode()), basic('wrong-secret')), { status: 400, body: { error: 'invalid_client' } }, 'AWS answers 400, HTTP Basic or not')
  t.match(await exchange({ ...form(await newCode()), client_id: clientId }), { status: 400, body: { error: 'invalid_client' } })
  t.match(await exchange({ ...form(await newCode()), client_id: emulator.clientId }), { status: 400, body: { error: 'invalid_grant' } }, 'a code of another client')
  const ok = await exchange(form(await newCode()), basic(secret))
  t.equal(ok.status, 200)
  t.equal(claims(ok.body.access_token).client_id, clientId)
  t.equal(claims(ok.body.access_token).scope, 'openid email')
  t.match(await exchange({ grant_type: 'refresh_token', refresh_token: ok.body.refresh_token }, basic(secret)), { status: 200 })
})

t.test('userInfo: the attributes of a live access token', async t => {
  const email = newEmail()
  const { access_token: accessToken } = await signedInTokens(email)
  const res = await fetch(`${emulator.endpoint}/oauth2/userInfo`, { headers: { authorization: `Bearer ${accessToken}` } })
  t.equal(res.status, 200)
  t.match(await res.json(), { sub: claims(accessToken).sub, email, email_verified: 'true', name: 'Fed User', username: `DevIdP_${DevIdpAccounts.subjectOf(email)}` })
  const missing = await fetch(`${emulator.endpoint}/oauth2/userInfo`)
  t.equal(missing.status, 400, 'no bearer token: 400 invalid_request, as AWS\'s page gives it')
  t.equal(missing.headers.get('www-authenticate'), 'error="invalid_request", error_description="Bad OAuth2 request at UserInfo Endpoint"')
  const forged = await fetch(`${emulator.endpoint}/oauth2/userInfo`, { headers: { authorization: 'Bearer forged.token.here' } })
  t.equal(forged.status, 401)
  t.equal(forged.headers.get('www-authenticate'), 'error="invalid_token", error_description="Access token is expired, disabled, or deleted, or the user has globally signed out."')
})

t.test('scopes: no openid, no id token and no userInfo', async t => {
  const verifier = randomBytes(32).toString('base64url')
  const back = await signInAtDevIdp(new Browser(), newEmail(), { verifier, scope: 'email profile' })
  const { status, body } = await exchange(codeForm(appReceived(back.location).code ?? '', verifier))
  t.equal(status, 200)
  t.equal(body.id_token, undefined)
  t.equal(claims(body.access_token).scope, 'email profile')
  const info = await fetch(`${emulator.endpoint}/oauth2/userInfo`, { headers: { authorization: `Bearer ${body.access_token}` } })
  t.equal(info.status, 401)
  t.match(await info.json(), { error: 'invalid_token' })
})

t.test('what the DevIdP says is what the user gets: an unverified email; a disabled user is sent back with an error', async t => {
  const email = newEmail()
  const browser = new Browser()
  const back = await signInAtDevIdp(browser, email, { state: 'unverified' }, { email_verified: 'false' })
  const { code } = appReceived(back.location)
  const { body } = await exchange(codeForm(code ?? ''))
  t.equal(claims(body.id_token).email_verified, false)

  await cognito.send(new AdminDisableUserCommand({ UserPoolId: emulator.userPoolId, Username: `DevIdP_${DevIdpAccounts.subjectOf(email)}` }))
  const refused = await signInAtDevIdp(new Browser(), email, { state: 'disabled' })
  t.match(appReceived(refused.location), { error: 'invalid_request', error_description: 'User is disabled.', state: 'disabled' })
  t.equal(appReceived(refused.location).code, undefined)
})

t.test('linking: never by email; AdminLinkProviderForUser (signed) makes the identity sign in as the linked user', async t => {
  const admin: CognitoIdentityProviderClient = cognito
  const password = 'Correct1horse'
  const signUpConfirmed = async (email: string) => {
    await admin.send(new SignUpCommand({ ClientId: emulator.clientId, Username: email, Password: password }))
    const code = emulator.mailbox.list(email)[0]?.code ?? ''
    await admin.send(new ConfirmSignUpCommand({ ClientId: emulator.clientId, Username: email, ConfirmationCode: code }))
    return (await admin.send(new AdminGetUserCommand({ UserPoolId: emulator.userPoolId, Username: email }))).Username ?? ''
  }

  // Same email, not linked: a separate DevIdP_ user, and the password user still signs in by email.
  const shared = newEmail('shared')
  const owner = await signUpConfirmed(shared)
  const federated = await signedInTokens(shared)
  t.equal(claims(federated.id_token)['cognito:username'], `DevIdP_${DevIdpAccounts.subjectOf(shared)}`)
  const byPassword = await admin.send(new InitiateAuthCommand({ ClientId: emulator.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: shared, PASSWORD: password } }))
  t.equal(claims(byPassword.AuthenticationResult?.IdToken ?? '')['cognito:username'], owner)

  // And the other way round: a federated user's email does not stop a sign-up with it.
  const federatedFirst = newEmail('first')
  await signedInTokens(federatedFirst)
  t.not(await signUpConfirmed(federatedFirst), `DevIdP_${DevIdpAccounts.subjectOf(federatedFirst)}`, 'a password user of its own')

  // Linked before its first sign-in: the identity signs in as the password user.
  const linkedEmail = newEmail('linked')
  const destination = await signUpConfirmed(linkedEmail)
  const sub = DevIdpAccounts.subjectOf(linkedEmail)
  const link = new AdminLinkProviderForUserCommand({
    UserPoolId: emulator.userPoolId,
    DestinationUser: { ProviderName: 'Cognito', ProviderAttributeValue: destination },
    SourceUser: { ProviderName: 'DevIdP', ProviderAttributeName: 'Cognito_Subject', ProviderAttributeValue: sub }
  })
  const unsigned = await fetch(emulator.endpoint, { method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityProviderService.AdminLinkProviderForUser' }, body: JSON.stringify(link.input) })
  t.equal(unsigned.status, 403, 'an admin operation: unsigned calls are refused')
  await admin.send(link)
  const tokens = await signedInTokens(linkedEmail)
  const id = claims(tokens.id_token)
  t.equal(id['cognito:username'], destination)
  t.match(id.identities, [{ userId: sub, providerName: 'DevIdP', primary: 'false' }])
  await t.rejects(admin.send(new AdminGetUserCommand({ UserPoolId: emulator.userPoolId, Username: `DevIdP_${sub}` })), { name: 'UserNotFoundException' }, 'no DevIdP_ user was created')

  // An identity that has signed in already cannot be merged.
  await t.rejects(admin.send(new AdminLinkProviderForUserCommand({
    UserPoolId: emulator.userPoolId,
    DestinationUser: { ProviderName: 'Cognito', ProviderAttributeValue: owner },
    SourceUser: { ProviderName: 'DevIdP', ProviderAttributeName: 'Cognito_Subject', ProviderAttributeValue: DevIdpAccounts.subjectOf(shared) }
  })), { name: 'InvalidParameterException', message: /Merging is not currently supported/ })
})

t.test('DevIdP: Cancel goes back to the app with access_denied; a forged state is an error page', async t => {
  const browser = new Browser()
  const back = await signInAtDevIdp(browser, newEmail(), { state: 'cancelled' }, { action: 'cancel' })
  t.match(appReceived(back.location), { error: 'access_denied', state: 'cancelled' })
  t.equal(appReceived(back.location).code, undefined)

  const forged = await browser.request(`${domain}/oauth2/idpresponse?code=abc&state=forged`)
  t.equal(forged.status, 400)
  t.equal(forged.location, undefined)
})

t.test('the managed login refuses other web pages and names other than loopback', async t => {
  const res = await fetch(`${emulator.endpoint}/oauth2/token`, { method: 'POST', headers: { origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=authorization_code' })
  t.equal(res.status, 403)
  const forgedForm = await new Browser().request(`${domain}/devidp/interaction/abc`, { method: 'POST', origin: 'http://localhost:1', form: { email: 'x@example.com' } })
  t.equal(forgedForm.status, 403, 'DevIdP\'s form takes posts from its own pages only')
  const page = await fetch(`${domain}/devidp/.well-known/openid-configuration`)
  t.equal(page.status, 200)
  t.match(await page.json(), { issuer: `${domain}/devidp`, code_challenge_methods_supported: ['S256'] })
})
