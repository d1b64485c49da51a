// Federated sign-in over HTTP (src/plugins/app/oauth.ts): the round trip through the emulator's
// managed login and DevIdP, then every bad input and failure: no session, a 302 to a safe path
// with ?error=, an audit event, never a 5xx; Cognito down leaves the old session as it was.
import t, { type Test } from 'tap'
import type { AuditEvent } from '../src/plugins/app/audit.ts'
import { build, Client, ME, newEmail, SIGN_IN, signedIn } from './helper.ts'
import { buildFederated, CALLBACK, OAuthBrowser, PUBLIC_ORIGIN, type Step } from './oauth-helpers.ts'

const STATE_COOKIE = '__Host-oauth-state'
const SESSION = ['__Host-access', '__Host-id', '__Host-refresh']
const START = `${PUBLIC_ORIGIN}/auth/oauth/DevIdP?redirect=/spa/`

/** A failed callback: a 302 to `target` with ?error=reason, no session cookie set, its audit event. */
function refused (t: Test, step: Step, target: string, reason: string, b: OAuthBrowser, events: AuditEvent[]): void {
  t.equal(step.status, 302, `${reason}: a redirect, never a 5xx`)
  t.equal(step.location, `${target}${target.includes('?') ? '&' : '?'}error=${reason}`, `${reason}: back to ${target}`)
  t.same(b.client.sessionCookies().filter((name) => SESSION.includes(name)), [], `${reason}: no session`)
  t.match(events.at(-1), { event: 'federated-sign-in', outcome: 'failure', code: reason }, `${reason}: audited`)
}

t.test('the round trip: the provider link, DevIdP, the callback, a session as signIn sets it', async (t) => {
  const events: AuditEvent[] = []
  const { app, browser } = await buildFederated(t, { onAuditEvent: (e) => events.push(e) })
  const b = browser()
  const email = newEmail('fed')

  const start = await app.inject({ method: 'GET', url: '/auth/oauth/DevIdP?redirect=/spa/' })
  t.equal(start.statusCode, 302)
  t.equal(start.headers['cache-control'], 'no-store')
  const authorize = new URL(start.headers.location as string)
  t.equal(authorize.pathname, '/oauth2/authorize')
  t.match(Object.fromEntries(authorize.searchParams), {
    response_type: 'code',
    identity_provider: 'DevIdP',
    scope: 'openid email profile aws.cognito.signin.user.admin',
    redirect_uri: CALLBACK,
    code_challenge_method: 'S256',
    code_challenge: /^[\w-]{43}$/,
    state: /^[\w-]{43}$/,
    nonce: /^[\w-]{43}$/
  })
  const cookie = start.cookies.find((c) => c.name === STATE_COOKIE)
  t.match(cookie, { httpOnly: true, secure: true, sameSite: 'Lax', path: '/', maxAge: 600 }, 'the state cookie: HttpOnly, Lax (sent on the return from the provider), ten minutes')
  for (const secret of [authorize.searchParams.get('state'), authorize.searchParams.get('nonce')]) t.notOk(cookie?.value.includes(secret as string), 'sealed: no secret in clear')

  const atCallback = await b.signInAtDevIdp(email, 'Ada Federated')
  const callback = await b.request(atCallback.location as string)
  t.equal(callback.status, 302)
  t.equal(callback.location, '/spa/')
  t.same(b.client.sessionCookies(), SESSION, 'the session cookies, and the state cookie spent')
  const me = await b.client.gql(ME)
  t.match(me.data?.me, { email, name: 'Ada Federated', emailVerified: true, groups: [] })
  t.match(events.at(-1), { event: 'federated-sign-in', outcome: 'success', provider: 'DevIdP', email, userId: me.data?.me.id })

  // A second sign-in finds the same user.
  const again = new OAuthBrowser(app, new Client(app))
  t.equal((await again.signIn(email)).location, '/spa/')
  t.equal((await again.client.gql(ME)).data?.me.id, me.data?.me.id)
})

t.test('bad input: a provider not offered, a redirect elsewhere', async (t) => {
  const events: AuditEvent[] = []
  const { app, browser } = await buildFederated(t, { onAuditEvent: (e) => events.push(e) })
  const b = browser()
  refused(t, await b.request(`${PUBLIC_ORIGIN}/auth/oauth/Google?redirect=/spa/`), '/spa/', 'UNKNOWN_PROVIDER', b, events)
  for (const redirect of ['https://evil.example/', '//evil.example', '/\\evil.example', '/%2F%2Fevil.example', 'javascript:alert(1)']) {
    const step = await b.request(`${PUBLIC_ORIGIN}/auth/oauth/DevIdP?redirect=${encodeURIComponent(redirect)}`)
    refused(t, step, '/', 'INVALID_REDIRECT', b, events)
    t.notOk(b.client.jar.has(STATE_COOKIE), `${redirect}: no sign-in started`)
  }
  t.equal((await app.inject({ method: 'GET', url: '/auth/oauth/DevIdP' })).headers.location?.startsWith('http://localhost:'), true, 'without a redirect the sign-in starts (and ends at /)')
  refused(t, await b.request(`${PUBLIC_ORIGIN}/auth/oauth/DevIdP?redirect=/spa/&redirect=/other/`), '/', 'INVALID_REDIRECT', b, events)
  refused(t, await b.request(`${PUBLIC_ORIGIN}/auth/oauth/DevIdP?redirect=/${'a'.repeat(5000)}`), '/', 'INVALID_REDIRECT', b, events)
})

t.test('bad state: missing, forged, from another browser, replayed', async (t) => {
  const events: AuditEvent[] = []
  const { app, browser } = await buildFederated(t, { onAuditEvent: (e) => events.push(e) })

  const forged = browser()
  const atCallback = new URL((await forged.signInAtDevIdp(newEmail('forged'))).location as string)
  const withoutState = new URL(atCallback)
  withoutState.searchParams.delete('state')
  const held = forged.client.jar.get(STATE_COOKIE) as string
  refused(t, await forged.request(withoutState.href), '/spa/', 'INVALID_STATE', forged, events)
  forged.client.jar.set(STATE_COOKIE, held)
  const repeated = new URL(atCallback)
  repeated.searchParams.append('state', 'A'.repeat(43))
  refused(t, await forged.request(repeated.href), '/spa/', 'INVALID_STATE', forged, events)
  forged.client.jar.set(STATE_COOKIE, held)
  atCallback.searchParams.set('state', 'A'.repeat(43))
  refused(t, await forged.request(atCallback.href), '/spa/', 'INVALID_STATE', forged, events)

  // The callback opened in a browser that did not start the sign-in (login CSRF).
  const starter = browser()
  const url = (await starter.signInAtDevIdp(newEmail('csrf'))).location as string
  const victim = new OAuthBrowser(app, new Client(app))
  refused(t, await victim.request(url), '/', 'INVALID_STATE', victim, events)

  // A replay of a finished callback, cookie and all.
  const first = browser()
  const replayed = (await first.signInAtDevIdp(newEmail('replay'))).location as string
  const cookie = first.client.jar.get(STATE_COOKIE) as string
  t.equal((await first.request(replayed)).location, '/spa/')
  const replay = new OAuthBrowser(app, new Client(app))
  replay.client.jar.set(STATE_COOKIE, cookie)
  refused(t, await replay.request(replayed), '/spa/', 'INVALID_STATE', replay, events)
})

t.test('bad codes: another sign-in\'s code (a wrong PKCE verifier), a code used twice, an expired code', async (t) => {
  const events: AuditEvent[] = []
  const { browser } = await buildFederated(t, { onAuditEvent: (e) => events.push(e), codeTtlSeconds: 1 })

  // The attacker's code, injected into the victim's callback: the victim's state, the wrong verifier.
  const attacker = browser()
  const injected = new URL((await attacker.signInAtDevIdp(newEmail('attacker'))).location as string)
  const victim = browser()
  const own = new URL((await victim.signInAtDevIdp(newEmail('victim'))).location as string)
  own.searchParams.set('code', injected.searchParams.get('code') as string)
  refused(t, await victim.request(own.href), '/spa/', 'CODE_EXPIRED', victim, events)
  // The code is spent by that attempt: its own browser cannot use it either.
  refused(t, await attacker.request(injected.href), '/spa/', 'CODE_EXPIRED', attacker, events)

  const slow = browser()
  const late = (await slow.signInAtDevIdp(newEmail('late'))).location as string
  await new Promise((resolve) => setTimeout(resolve, 2500))
  refused(t, await slow.request(late), '/spa/', 'CODE_EXPIRED', slow, events)
})

t.test('the provider says no; the id token is not for this sign-in (nonce)', async (t) => {
  const events: AuditEvent[] = []
  const { browser } = await buildFederated(t, { onAuditEvent: (e) => events.push(e) })

  // Cancel at DevIdP: Cognito comes back with error=access_denied.
  const cancelled = browser()
  const form = await cancelled.follow(START)
  const action = /<form method="post" action="([^"]+)"/.exec(form.body)?.[1] as string
  const posted = await cancelled.request(new URL(action, form.url).href, { method: 'POST', form: { action: 'cancel' } })
  const back = await cancelled.follow(posted.location as string, (next) => next.startsWith(CALLBACK))
  t.match(back.location, /error=access_denied/)
  refused(t, await cancelled.request(back.location as string), '/spa/', 'PROVIDER_ERROR', cancelled, events)

  // server_error and temporarily_unavailable mean the provider is down.
  const down = browser()
  const start = await down.request(START)
  const state = new URL(start.location as string).searchParams.get('state') as string
  refused(t, await down.request(`${CALLBACK}?error=temporarily_unavailable&state=${state}`), '/spa/', 'SERVICE_UNAVAILABLE', down, events)

  // No code and no error.
  const empty = browser()
  const emptyState = new URL((await empty.request(START)).location as string).searchParams.get('state') as string
  refused(t, await empty.request(`${CALLBACK}?state=${emptyState}`), '/spa/', 'PROVIDER_ERROR', empty, events)

  // The nonce changed on the way to /oauth2/authorize: the id token carries another one.
  const tampered = browser()
  const authorize = new URL((await tampered.request(START)).location as string)
  authorize.searchParams.set('nonce', 'n'.repeat(43))
  const form2 = await tampered.follow(authorize.href)
  const action2 = /<form method="post" action="([^"]+)"/.exec(form2.body)?.[1] as string
  const posted2 = await tampered.request(new URL(action2, form2.url).href, { method: 'POST', form: { email: newEmail('nonce'), name: 'N', email_verified: 'true', action: 'sign-in' } })
  const atCallback = await tampered.follow(posted2.location as string, (next) => next.startsWith(CALLBACK))
  refused(t, await tampered.request(atCallback.location as string), '/spa/', 'INVALID_TOKEN', tampered, events)
})

t.test('Cognito down or too slow at the code exchange: SERVICE_UNAVAILABLE, the old session as it was', async (t) => {
  const events: AuditEvent[] = []
  const { proxy, browser } = await buildFederated(t, { onAuditEvent: (e) => events.push(e) })
  const b = browser()
  const email = await signedIn(b.client)
  const before = new Map(b.client.jar)
  for (const fault of [{ kind: 'hang' }, { kind: 'status', status: 503 }, { kind: 'reset' }] as const) {
    const atCallback = await b.signInAtDevIdp(newEmail('down'))
    proxy.set('', fault)
    const step = await b.request(atCallback.location as string)
    proxy.clear()
    t.equal(step.status, 302, `${fault.kind}: a redirect`)
    t.equal(step.location, '/spa/?error=SERVICE_UNAVAILABLE', `${fault.kind}: SERVICE_UNAVAILABLE on the redirect target`)
    t.match(events.at(-1), { event: 'federated-sign-in', outcome: 'failure', code: 'SERVICE_UNAVAILABLE' })
    for (const name of SESSION) t.equal(b.client.jar.get(name), before.get(name), `${fault.kind}: ${name} untouched`)
    t.equal((await b.client.gql(ME)).data?.me.email, email, `${fault.kind}: still signed in as before`)
  }
})

t.test('an app client with a secret: the code exchange authenticates with it (HTTP Basic); a wrong one is the server\'s fault', async (t) => {
  const right = await buildFederated(t, { clientSecret: 'right' })
  const b = right.browser()
  const email = newEmail('secret')
  t.equal((await b.signIn(email)).location, '/spa/')
  t.equal((await b.client.gql(ME)).data?.me.email, email, 'signed in through a confidential client')

  const events: AuditEvent[] = []
  const logs: string[] = []
  const wrong = await buildFederated(t, { clientSecret: 'wrong', onAuditEvent: (e) => events.push(e), logs })
  const w = wrong.browser()
  refused(t, await w.signIn(newEmail('wrong-secret')), '/spa/', 'SERVICE_UNAVAILABLE', w, events)
  t.ok(logs.some((line) => line.includes('managed login call failed') && line.includes('invalid_client')), 'the cause is logged (invalid_client), the user sees an outage')
})

t.test('signing out through the managed login: this session ends, then Cognito\'s, back to a path of this origin', async (t) => {
  const events: AuditEvent[] = []
  const { app, emulator, domain, browser } = await buildFederated(t, { onAuditEvent: (e) => events.push(e) })
  const b = browser()
  await b.signIn(newEmail('out'))
  const old = b.client.clone()

  // A page of another site cannot sign the user out.
  const crossSite = await app.inject({ method: 'GET', url: '/auth/oauth/logout?redirect=/spa/', headers: { cookie: b.client.cookieHeader(), 'sec-fetch-site': 'cross-site' } })
  t.equal(crossSite.headers.location, '/spa/?error=FORBIDDEN')
  t.same(crossSite.cookies, [], 'nothing cleared')
  t.match(events.at(-1), { event: 'sign-out', outcome: 'failure', code: 'FORBIDDEN' })
  const elsewhere = await b.request(`${PUBLIC_ORIGIN}/auth/oauth/logout?redirect=//evil.example`)
  t.equal(elsewhere.location, '/?error=INVALID_REDIRECT')
  t.ok((await b.client.gql(ME)).data?.me, 'still signed in')

  const out = await b.request(`${PUBLIC_ORIGIN}/auth/oauth/logout?redirect=/spa/`)
  t.equal(out.status, 302)
  const logout = new URL(out.location as string)
  t.equal(`${logout.origin}${logout.pathname}`, `${domain}/logout`)
  t.same(Object.fromEntries(logout.searchParams), { client_id: emulator.clientId, logout_uri: `${PUBLIC_ORIGIN}/spa/` })
  t.same(b.client.sessionCookies(), [], 'the session cookies cleared')
  t.match(events.at(-1), { event: 'sign-out', outcome: 'success', operation: 'oauth-logout' })
  t.equal((await b.request(out.location as string)).location, `${PUBLIC_ORIGIN}/spa/`, 'Cognito sends the browser back')
  t.equal((await old.gql(ME)).data?.me, null, 'the old cookies replayed: no session')
})

t.test('signInProviders: the managed login\'s providers, or none', async (t) => {
  const { browser } = await buildFederated(t)
  t.same((await browser().client.gql('{ signInProviders }')).data, { signInProviders: ['DevIdP'] })
  const app = await build(t, { env: { COGNITO_USER_POOL_ID: 'eu-west-1_None1', COGNITO_CLIENT_ID: 'client', COGNITO_REGION: 'eu-west-1' }, jwks: { keys: [] } })
  const client = new Client(app)
  t.same((await client.gql('{ signInProviders }')).data, { signInProviders: [] })
  const refusedStart = await app.inject({ method: 'GET', url: '/auth/oauth/Google?redirect=/spa/' })
  t.equal(refusedStart.headers.location, '/spa/?error=UNKNOWN_PROVIDER')
  t.equal((await client.gql(SIGN_IN, { email: 'x@example.com', password: 'y' })).status, 200)
})
