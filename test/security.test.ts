// The attacks of the hardening issue, each refused by a defence this test would catch missing.
import t from 'tap'
import { totp, wrongTotp } from './challenge-helpers.ts'
import { build, buildBehindProxy, Client, CONFIRM_SIGN_UP, ME, newEmail, PASSWORD, registerUser, SIGN_IN, SIGN_UP, signedIn } from './helper.ts'

/** `count` aliased `signIn` fields in one document. */
function aliasedSignIns (count: number, email: string, password: string): string {
  const fields = Array.from({ length: count }, (_, i) => `a${i}: signIn(input: { email: "${email}", password: "${password}" }) { __typename }`)
  return `mutation { ${fields.join(' ')} }`
}

t.test('aliased signIn brute force: every alias counts, and the refused ones never reach Cognito', async (t) => {
  const { app, proxy } = await buildBehindProxy(t, { env: { GRAPHQL_MAX_ALIASES: '50' } })
  const client = new Client(app)
  const before = proxy.count('InitiateAuth')
  const res = await client.gql(aliasedSignIns(30, 'victim@example.com', 'guess-1'))
  const codes = Object.keys(res.data ?? {}).length
  t.equal(codes, 30, 'every alias has an answer')
  t.equal(res.codes.filter((c) => c === 'INVALID_CREDENTIALS').length, 10, 'ten attempts reached Cognito (10 per minute per address)')
  t.equal(res.codes.filter((c) => c === 'TOO_MANY_REQUESTS').length, 20, 'the other twenty were refused')
  t.equal(proxy.count('InitiateAuth') - before, 10, 'and never reached Cognito')
  const limited = res.errors?.find((e) => e.extensions.code === 'TOO_MANY_REQUESTS')
  t.ok(Number(limited?.extensions.retryAfter) > 0, 'with retryAfter')
  t.ok(Object.values(res.data ?? {}).every((v) => v === null), 'a refused alias nulls only its own field')

  const next = await client.gql(SIGN_IN, { email: 'someone@example.com', password: 'x' })
  t.same(next.codes, ['TOO_MANY_REQUESTS'], 'the address stays limited for the next request')
})

t.test('an alias flood and a batch are refused before anything runs', async (t) => {
  // Document limits raised so that the alias limit is the defence under test.
  const { app, proxy } = await buildBehindProxy(t, { env: { GRAPHQL_MAX_TOKENS: '100000', GRAPHQL_MAX_DOCUMENT_BYTES: '100000' } })
  const client = new Client(app)
  const flood = await client.gql(aliasedSignIns(200, 'victim@example.com', 'guess'))
  t.equal(flood.data, null, 'nothing was executed')
  t.same(flood.codes, ['BAD_USER_INPUT'])
  t.match(flood.errors?.[0]?.message, /aliases/i)
  t.equal(proxy.count('InitiateAuth'), 0, 'nothing reached Cognito')
  const byDefault = await new Client(await build(t)).gql(aliasedSignIns(200, 'victim@example.com', 'guess'), undefined, { accept: 'application/graphql-response+json' })
  t.equal(byDefault.status, 400, 'the default limits refuse it as well')

  const batch = await app.inject({
    method: 'POST',
    url: '/graphql',
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify([{ query: aliasedSignIns(1, 'a@example.com', 'x') }, { query: aliasedSignIns(1, 'b@example.com', 'y') }])
  })
  t.equal(batch.statusCode, 400, 'a batched array is refused')
  t.equal(batch.json().errors[0].extensions.code, 'BAD_USER_INPUT')
  t.equal(proxy.count('InitiateAuth'), 0)
})

t.test('confirmation code brute force: failures count per user across aliases, then even the right code waits', async (t) => {
  const { proxy, client: newClient } = await buildBehindProxy(t, { env: { GRAPHQL_MAX_ALIASES: '50' } })
  const client = newClient()
  const email = newEmail('brute')
  await client.gql(SIGN_UP, { input: { email, password: PASSWORD } })
  const right = await client.code(email)
  const wrong = right === '000000' ? '111111' : '000000'
  const fields = Array.from({ length: 12 }, (_, i) => `c${i}: confirmSignUp(input: { email: "${email}", code: "${wrong}" })`)
  const res = await client.gql(`mutation { ${fields.join(' ')} }`)
  t.equal(res.codes.filter((c) => c === 'CODE_MISMATCH').length, 10, 'ten wrong codes were tried')
  t.equal(res.codes.filter((c) => c === 'TOO_MANY_REQUESTS').length, 2, 'then the user is locked for codes')
  const calls = proxy.count('ConfirmSignUp')
  t.same((await client.gql(CONFIRM_SIGN_UP, { email, code: right })).codes, ['TOO_MANY_REQUESTS'], 'the right code waits too')
  t.equal(proxy.count('ConfirmSignUp'), calls, 'without reaching Cognito')

  const other = newEmail('other')
  await client.gql(SIGN_UP, { input: { email: other, password: PASSWORD } })
  t.same((await client.gql(CONFIRM_SIGN_UP, { email: other, code: await client.code(other) })).data, { confirmSignUp: true }, 'another user is not affected')
})

t.test('a stranger failing sign-ins on purpose does not lock the owner out', async (t) => {
  const app = await build(t, { env: { RATE_LIMITS: JSON.stringify({ 'signIn.email': { max: 3 }, 'signIn.address': { max: 1000 } }) } })
  const owner = new Client(app)
  const email = await signedIn(owner) // the owner's browser is now a known device of the account
  const stranger = new Client(app)
  for (let i = 0; i < 3; i++) t.same((await stranger.gql(SIGN_IN, { email, password: `wrong-${i}` })).codes, ['INVALID_CREDENTIALS'])
  t.same((await stranger.gql(SIGN_IN, { email, password: PASSWORD })).codes, ['TOO_MANY_REQUESTS'], 'the stranger is stopped, even with the right password')
  t.equal((await owner.gql(SIGN_IN, { email, password: PASSWORD })).data?.signIn.__typename, 'Session', 'the owner still signs in from their device')

  const forgedDevice = new Client(app)
  forgedDevice.jar.set('__Host-device', 'v1.forged.cookie.value')
  t.same((await forgedDevice.gql(SIGN_IN, { email, password: PASSWORD })).codes, ['TOO_MANY_REQUESTS'], 'a forged device cookie is worth nothing')
})

t.test('X-Forwarded-For is believed only for TRUST_PROXY hops', async (t) => {
  const limits = JSON.stringify({ 'signIn.address': { max: 2 } })
  const direct = await build(t, { env: { RATE_LIMITS: limits } })
  const spoofer = new Client(direct)
  for (let i = 0; i < 2; i++) await spoofer.gql(SIGN_IN, { email: 'a@example.com', password: 'x' }, { 'x-forwarded-for': `10.0.0.${i}` })
  t.same((await spoofer.gql(SIGN_IN, { email: 'a@example.com', password: 'x' }, { 'x-forwarded-for': '10.9.9.9' })).codes, ['TOO_MANY_REQUESTS'], 'a spoofed header does not reset the count')

  const proxied = await build(t, { env: { RATE_LIMITS: limits, TRUST_PROXY: '1' } })
  const behind = new Client(proxied)
  for (let i = 0; i < 2; i++) await behind.gql(SIGN_IN, { email: 'a@example.com', password: 'x' }, { 'x-forwarded-for': '203.0.113.7' })
  t.same((await behind.gql(SIGN_IN, { email: 'a@example.com', password: 'x' }, { 'x-forwarded-for': '203.0.113.7' })).codes, ['TOO_MANY_REQUESTS'], 'the client behind the proxy is limited')
  t.same((await behind.gql(SIGN_IN, { email: 'a@example.com', password: 'x' }, { 'x-forwarded-for': '203.0.113.8' })).codes, ['INVALID_CREDENTIALS'], 'another client behind the proxy is not')
  t.same((await behind.gql(SIGN_IN, { email: 'a@example.com', password: 'x' }, { 'x-forwarded-for': '203.0.113.7, 198.51.100.1' })).codes, ['INVALID_CREDENTIALS'], 'only the hop the proxy added is believed')
})

t.test('CSRF: text/plain and form POSTs, GET mutations and GETs without a preflight header are refused', async (t) => {
  const app = await build(t)
  const client = new Client(app)
  const email = await signedIn(client)
  const cookie = client.cookieHeader()
  const mutation = 'mutation { signOut }'

  for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
    const res = await app.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': type, cookie }, payload: JSON.stringify({ query: mutation }) })
    t.equal(res.statusCode, 400, `${type} is refused`)
    t.equal(res.json().errors[0].extensions.code, 'BAD_USER_INPUT')
  }
  const getMutation = await app.inject({ method: 'GET', url: `/graphql?query=${encodeURIComponent(mutation)}`, headers: { cookie, 'mercurius-require-preflight': 'true' } })
  t.not(getMutation.statusCode, 200, 'a mutation over GET is refused')
  const simpleGet = await app.inject({ method: 'GET', url: `/graphql?query=${encodeURIComponent('{ me { id } }')}`, headers: { cookie } })
  t.equal(simpleGet.statusCode, 400, 'a GET without a non-simple header is refused')
  const preflighted = await app.inject({ method: 'GET', url: `/graphql?query=${encodeURIComponent('{ me { email } }')}`, headers: { cookie, 'mercurius-require-preflight': 'true' } })
  t.same(preflighted.json(), { data: { me: { email } } }, 'a GET query with the header works')
  t.equal((await client.gql(ME)).data?.me.email, email, 'the session survived every attempt')
})

t.test('CORS: credentials for the allowlisted origins only, with Vary: Origin', async (t) => {
  const app = await build(t, { env: { CORS_ORIGINS: 'http://localhost:5173, http://app.localhost:3000' } })
  const preflight = (origin: string) => app.inject({
    method: 'OPTIONS',
    url: '/graphql',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' }
  })
  const allowed = await preflight('http://localhost:5173')
  t.equal(allowed.headers['access-control-allow-origin'], 'http://localhost:5173')
  t.equal(allowed.headers['access-control-allow-credentials'], 'true')
  t.match(String(allowed.headers.vary), /Origin/)

  const evil = await preflight('http://evil.localhost:5173')
  t.equal(evil.headers['access-control-allow-origin'], undefined, 'nothing for an origin not on the list')
  t.equal(evil.headers['access-control-allow-credentials'], undefined)
  const evilPost = await app.inject({ method: 'POST', url: '/graphql', headers: { origin: 'http://evil.localhost:5173', 'content-type': 'application/json' }, payload: JSON.stringify({ query: '{ me { id } }' }) })
  t.equal(evilPost.headers['access-control-allow-origin'], undefined, 'and no CORS header on the response: the browser hides it from the page')
})

t.test('query limits: depth through fragments, tokens, document size', async (t) => {
  const app = await build(t, { env: { GRAPHQL_MAX_DEPTH: '2', GRAPHQL_MAX_TOKENS: '200', GRAPHQL_MAX_DOCUMENT_BYTES: '2048' } })
  const client = new Client(app)
  t.equal((await client.gql('{ me { id } }')).errors, undefined, 'depth 2 is fine')
  const deep = await client.gql('mutation { refreshSession { user { id } } }')
  t.same(deep.codes, ['BAD_USER_INPUT'], 'depth 3 is refused')
  const throughFragments = await client.gql(`
    mutation { refreshSession { ...S } }
    fragment S on Session { user { ...U } }
    fragment U on User { id }`)
  t.same(throughFragments.codes, ['BAD_USER_INPUT'], 'depth 3 hidden in fragments is refused too')
  t.match(throughFragments.errors?.[0]?.message, /depth/i)

  const manyTokens = await client.gql(`{ me { ${Array.from({ length: 250 }, () => 'id').join(' ')} } }`)
  t.same(manyTokens.codes, ['BAD_USER_INPUT'])
  t.match(manyTokens.errors?.[0]?.message, /200 tokens/)
  const big = await client.gql(`{ me { id } } # ${'x'.repeat(3000)}`)
  t.same(big.codes, ['BAD_USER_INPUT'])
  t.match(big.errors?.[0]?.message, /larger than 2048 bytes/)
  const bigGet = await app.inject({ method: 'GET', url: `/graphql?query=${encodeURIComponent(`{ me { id } } # ${'x'.repeat(3000)}`)}`, headers: { 'mercurius-require-preflight': 'true' } })
  t.equal(bigGet.statusCode, 400, 'over GET as well')
  t.match(bigGet.json().errors[0].message, /larger than 2048 bytes/)
})

t.test('malformed JSON, huge bodies and odd content types get a clear 4xx, never a 500', async (t) => {
  const app = await build(t)
  const cases = [
    { name: 'malformed JSON', headers: { 'content-type': 'application/json' }, payload: '{"query": ', status: 400 },
    { name: 'a huge body', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ query: `{ me { id } } #${'x'.repeat(200_000)}` }), status: 413 },
    { name: 'an odd content type', headers: { 'content-type': 'application/xml' }, payload: '<query/>', status: 400 },
    { name: 'no query', headers: { 'content-type': 'application/json' }, payload: '{}', status: 400 },
    { name: 'a query that is not a string', headers: { 'content-type': 'application/json' }, payload: '{"query": 42}', status: 400 },
    { name: 'variables that are not an object', headers: { 'content-type': 'application/json' }, payload: '{"query": "{ me { id } }", "variables": [1]}', status: 400 },
    { name: 'a JSON array that is no batch', headers: { 'content-type': 'application/json' }, payload: '[1, 2]', status: 400 }
  ]
  for (const c of cases) {
    const res = await app.inject({ method: 'POST', url: '/graphql', headers: c.headers, payload: c.payload })
    t.equal(res.statusCode, c.status, c.name)
    t.equal(res.json().errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', `${c.name}: BAD_USER_INPUT`)
  }
})

t.test('production: no introspection, no field suggestions, no GraphiQL', async (t) => {
  const { app } = await buildBehindProxy(t, { env: { NODE_ENV: 'production', COOKIE_SECRET: 'p'.repeat(40) } })
  const client = new Client(app)
  const introspection = await client.gql('{ __schema { types { name } } }')
  t.ok(introspection.codes.length > 0 && introspection.codes.every((c) => c === 'BAD_USER_INPUT'), 'refused')
  t.equal(introspection.data, null)
  t.match(introspection.errors?.[0]?.message, /introspection/i)
  const typo = await client.gql('{ me { emial } }')
  t.notMatch(typo.errors?.[0]?.message, /Did you mean/, 'no hint at the schema')
  t.equal((await app.inject('/graphiql')).statusCode, 404)

  const dev = await build(t)
  t.match((await new Client(dev).gql('{ me { emial } }')).errors?.[0]?.message, /Did you mean "email"/, 'development keeps the hints')
})

t.test('security headers on API routes, no-store on every response that sets or clears a session', async (t) => {
  const app = await build(t)
  const health = await app.inject('/health')
  t.equal(health.headers['x-content-type-options'], 'nosniff')
  t.ok(health.headers['content-security-policy'], 'a Content-Security-Policy')
  t.ok(health.headers['strict-transport-security'], 'HSTS')
  t.equal(health.headers['cross-origin-resource-policy'], 'same-origin', 'no other site embeds an answer')
  t.equal(health.headers['x-frame-options'], 'DENY')
  // A JSON answer gets what matters for JSON; the headers that only steer documents stay off it.
  for (const header of ['referrer-policy', 'cross-origin-opener-policy', 'origin-agent-cluster', 'x-dns-prefetch-control', 'x-download-options', 'x-permitted-cross-domain-policies', 'x-xss-protection']) {
    t.equal(health.headers[header], undefined, `no ${header} on JSON`)
  }
  const graphiql = await app.inject('/graphiql')
  t.match(graphiql.headers['content-security-policy'], /frame-ancestors 'none'/, 'GraphiQL has a policy of its own, and cannot be framed')
  // A document (the example SPA's page) gets helmet's whole set.
  const page = await app.inject('/spa/')
  t.match(page.headers['content-type'], /^text\/html/)
  t.match(page.headers['content-security-policy'], /script-src 'self'/, 'a document gets helmet\'s policy')
  t.equal(page.headers['referrer-policy'], 'no-referrer')
  t.equal(page.headers['cross-origin-opener-policy'], 'same-origin')
  t.equal(page.headers['x-frame-options'], 'SAMEORIGIN')

  const client = new Client(app)
  await registerUser(client)
  const email = newEmail()
  await signedIn(client, email)
  const signOut = await client.gql('mutation { signOut }')
  t.equal(signOut.response.headers['cache-control'], 'no-store')
})

t.test('a password check or a code delivery is never retried; other calls are, within bounds', async (t) => {
  const { proxy, client: newClient } = await buildBehindProxy(t)
  const client = newClient()
  await signedIn(client)
  proxy.set('InitiateAuth', { kind: 'status', status: 500 })
  t.same((await client.gql(SIGN_IN, { email: 'x@example.com', password: 'Some-Password-1' })).codes, ['SERVICE_UNAVAILABLE'])
  t.equal(proxy.count('InitiateAuth'), 2, 'signIn reached Cognito once (after the one sign-in that set the session up)')
  proxy.set('ForgotPassword', { kind: 'status', status: 500 })
  t.same((await client.gql('mutation { forgotPassword(input: { email: "x@example.com" }) { medium } }')).codes, ['SERVICE_UNAVAILABLE'])
  t.equal(proxy.count('ForgotPassword'), 1, 'a second try could send a second email, voiding the first code')
  proxy.set('GetUser', { kind: 'status', status: 500 })
  t.same((await client.gql('{ me { mfa } }')).codes, ['SERVICE_UNAVAILABLE'])
  t.equal(proxy.count('GetUser'), 3, 'reading the user was tried three times')
  proxy.set('GetUser', { kind: 'exception', name: 'TooManyRequestsException' })
  t.same((await client.gql('{ me { mfa } }')).codes, ['TOO_MANY_REQUESTS'], 'throttling is not retried')
  t.equal(proxy.count('GetUser'), 4)
})

t.test('a request never waits on Cognito longer than its budget', async (t) => {
  const { proxy, client: newClient } = await buildBehindProxy(t, { env: { COGNITO_TIMEOUT_MS: '400', COGNITO_REQUEST_BUDGET_MS: '900' } })
  const client = newClient()
  await signedIn(client)
  proxy.set('GetUser', { kind: 'hang' })
  const started = Date.now()
  const res = await client.gql('{ me { mfa } }')
  t.same(res.codes, ['SERVICE_UNAVAILABLE'])
  t.ok(Date.now() - started < 2000, 'the retries stopped at the request budget')
  t.ok(proxy.count('GetUser') >= 2 && proxy.count('GetUser') <= 3, 'a retry went out, within the budget')
})

t.test('an idle session ends after SESSION_IDLE_TIMEOUT', async (t) => {
  const app = await build(t, { env: { SESSION_IDLE_TIMEOUT: '2' } })
  const client = new Client(app)
  const email = await signedIn(client)
  t.equal((await client.gql(ME)).data?.me.email, email)
  const withoutRefresh = client.clone()
  withoutRefresh.jar.delete('__Host-refresh')
  t.same((await withoutRefresh.gql(ME)).data, { me: null }, 'the access cookie alone cannot dodge the idle timeout')
  await new Promise((resolve) => setTimeout(resolve, 3100))
  const idle = await client.gql(ME)
  t.same(idle.data, { me: null }, 'the session is over')
  t.same(client.sessionCookies(), [], 'and its cookies are cleared')
})

t.test('transparent refreshes are rate limited per address', async (t) => {
  const { proxy, client: newClient } = await buildBehindProxy(t, { tokenTtlSeconds: 2, env: { RATE_LIMITS: JSON.stringify({ 'refresh.address': { max: 1 } }) } })
  const client = newClient()
  await signedIn(client)
  await new Promise((resolve) => setTimeout(resolve, 2100))
  t.equal((await client.gql(ME)).errors, undefined, 'the first refresh goes through')
  await new Promise((resolve) => setTimeout(resolve, 2100))
  const calls = proxy.count('InitiateAuth')
  t.same((await client.gql(ME)).codes, ['TOO_MANY_REQUESTS'], 'the second is refused')
  t.equal(proxy.count('InitiateAuth'), calls, 'without reaching Cognito')
  t.equal(client.sessionCookies().length, 3, 'and the cookies stay')
})

t.test('a step-up password check counts as a sign-in: limited per address, failures per email', async (t) => {
  const app = await build(t, { env: { RATE_LIMITS: JSON.stringify({ 'signIn.address': { max: 3 } }) } })
  const client = new Client(app)
  await signedIn(client) // attempt 1
  const setup = 'mutation ($p: String!) { setupTotp(input: { currentPassword: $p }) { secret } }'
  t.same((await client.gql(setup, { p: 'Wrong-Password-1' })).codes, ['INVALID_CREDENTIALS'], 'attempt 2: a wrong password')
  t.same((await client.gql(setup, { p: PASSWORD })).errors, undefined, 'attempt 3: the right one')
  t.same((await client.gql(setup, { p: PASSWORD })).codes, ['TOO_MANY_REQUESTS'], 'attempt 4 waits, like a sign-in would')
  t.same((await client.gql(SIGN_IN, { email: 'x@example.com', password: 'x' })).codes, ['TOO_MANY_REQUESTS'], 'and so does the next sign-in')
})

t.test('challenge answers draw on the same code-entry bucket as every other code', async (t) => {
  const app = await build(t, { env: { RATE_LIMITS: JSON.stringify({ 'code.user': { max: 2 } }) } })
  const client = new Client(app)
  const email = await signedIn(client)
  const { secret } = (await client.gql('mutation ($p: String!) { setupTotp(input: { currentPassword: $p }) { secret } }', { p: PASSWORD })).data?.setupTotp as { secret: string }
  const code = totp(secret)
  t.same((await client.gql('mutation ($c: String!) { verifyTotp(input: { code: $c }) { mfa } }', { c: code })).data, { verifyTotp: { mfa: ['TOTP'] } })
  await client.gql('mutation { signOut }')

  const stranger = new Client(app)
  const respond = 'mutation ($c: String) { respondToChallenge(input: { name: SOFTWARE_TOKEN_MFA, code: $c }) { __typename } }'
  for (let i = 0; i < 2; i++) {
    t.equal((await stranger.gql(SIGN_IN, { email, password: PASSWORD })).data?.signIn.__typename, 'Challenge')
    t.same((await stranger.gql(respond, { c: wrongTotp(secret) })).codes, ['CODE_MISMATCH'])
  }
  t.equal((await stranger.gql(SIGN_IN, { email, password: PASSWORD })).data?.signIn.__typename, 'Challenge')
  t.same((await stranger.gql(respond, { c: code })).codes, ['TOO_MANY_REQUESTS'], 'after two wrong codes, even a right one waits')
  t.same((await client.gql(CONFIRM_SIGN_UP, { email, code: '123456' })).codes, ['TOO_MANY_REQUESTS'], 'the same user\'s other code entries wait too')
})

t.test('a burst of parallel guesses from many addresses cannot overrun a failure-only bucket', async (t) => {
  const { app, proxy } = await buildBehindProxy(t, { env: { TRUST_PROXY: '1', RATE_LIMITS: JSON.stringify({ 'signIn.email': { max: 5 } }) } })
  const attempts = await Promise.all(Array.from({ length: 30 }, async (_, i) =>
    await new Client(app).gql(SIGN_IN, { email: 'victim@example.com', password: `guess-${i}` }, { 'x-forwarded-for': `203.0.113.${i + 1}` })))
  const codes = attempts.flatMap((a) => a.codes)
  t.equal(codes.filter((c) => c === 'INVALID_CREDENTIALS').length, 5, 'five guesses were tried')
  t.equal(codes.filter((c) => c === 'TOO_MANY_REQUESTS').length, 25, 'the rest were refused')
  t.equal(proxy.count('InitiateAuth'), 5, 'and never reached Cognito')
})
