// The AWS exceptions the catalogue maps beyond the everyday ones (src/plugins/app/cognito/errors.ts),
// provoked through HTTP: the embedded emulator behind a fault proxy that answers as Cognito does
// when the pool's password history, a concurrent change, AWS WAF or a refused token stops a call.
import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { buildBehindProxy, CHANGE_PASSWORD, CONFIRM_FORGOT, FORGOT, ME, PASSWORD, REFRESH, SIGN_IN, SIGN_OUT, signedIn } from './helper.ts'
import { failsWith } from './challenge-helpers.ts'

const NEW_PASSWORD = 'Another-Horse-10'
const UPDATE_NAME = 'mutation ($name: String!) { updateProfile(input: { name: $name }) { name } }'

/** The log lines (JSON) that carry `field: value`. */
const linesWith = (logs: string[], field: string, value: unknown): Array<Record<string, unknown>> =>
  logs.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line[field] === value)

t.test('PASSWORD_REUSED: a new password the pool\'s password history refuses (changePassword, confirmForgotPassword)', async (t) => {
  const { proxy, client: newClient } = await buildBehindProxy(t)
  const client = newClient()
  const email = await signedIn(client)
  proxy.set('ChangePassword', { kind: 'exception', name: 'PasswordHistoryPolicyViolationException', message: 'Password has previously been used' })
  failsWith(t, await client.gql(CHANGE_PASSWORD, { c: PASSWORD, n: NEW_PASSWORD }), 'PASSWORD_REUSED', /used before/)
  t.equal(proxy.count('ChangePassword'), 1, 'a password change is never retried')
  t.equal((await client.gql(ME)).data?.me.email, email, 'nothing changed: still signed in')

  proxy.set('ConfirmForgotPassword', { kind: 'exception', name: 'PasswordHistoryPolicyViolationException', message: 'Password has previously been used' })
  await client.gql(FORGOT, { email })
  failsWith(t, await client.gql(CONFIRM_FORGOT, { email, code: await client.code(email), p: PASSWORD }), 'PASSWORD_REUSED', /used before/)
})

t.test('ConcurrentModificationException: retried where a retry is safe; else, or when it lasts, TOO_MANY_REQUESTS with retryAfter', async (t) => {
  const { proxy, client: newClient } = await buildBehindProxy(t)
  const client = newClient()
  await signedIn(client)

  proxy.set('UpdateUserAttributes', { kind: 'exception', name: 'ConcurrentModificationException', times: 1 })
  t.same((await client.gql(UPDATE_NAME, { name: 'Ada' })).data, { updateProfile: { name: 'Ada' } }, 'the second attempt succeeds')
  t.equal(proxy.count('UpdateUserAttributes'), 2)

  proxy.set('UpdateUserAttributes', { kind: 'exception', name: 'ConcurrentModificationException' })
  const lasting = await client.gql(UPDATE_NAME, { name: 'Bea' })
  failsWith(t, lasting, 'TOO_MANY_REQUESTS', /Another change to this account is under way/)
  t.equal(lasting.errors?.[0]?.extensions.retryAfter, 1, 'retryAfter: a second')
  t.equal(proxy.count('UpdateUserAttributes'), 5, 'three attempts, then the client is told to wait')

  // Cognito names it on the operations that set a password: those are never retried by the server.
  proxy.set('ChangePassword', { kind: 'exception', name: 'ConcurrentModificationException' })
  const change = await client.gql(CHANGE_PASSWORD, { c: PASSWORD, n: NEW_PASSWORD })
  failsWith(t, change, 'TOO_MANY_REQUESTS')
  t.equal(change.errors?.[0]?.extensions.retryAfter, 1)
  t.equal(proxy.count('ChangePassword'), 1, 'asked once')
})

t.test('FORBIDDEN: AWS WAF on the pool blocked the request; not retried, logged for the operator', async (t) => {
  const logs: string[] = []
  const { proxy, client: newClient } = await buildBehindProxy(t, { logs })
  const client = newClient()
  const email = await signedIn(newClient())
  proxy.set('InitiateAuth', { kind: 'exception', name: 'ForbiddenException', message: 'Request blocked by AWS WAF' })
  const res = await client.gql(SIGN_IN, { email, password: PASSWORD })
  failsWith(t, res, 'FORBIDDEN', /^The identity service refused this request\.$/)
  t.same(res.data, { signIn: null })
  t.equal(proxy.count('InitiateAuth'), 2, 'the sign-in before, and this one once')
  t.match(linesWith(logs, 'exception', 'ForbiddenException'), [{ operation: 'InitiateAuthCommand', code: 'FORBIDDEN', msg: 'cognito call failed' }], 'the log names the exception')
})

t.test('UNAUTHENTICATED: Cognito refuses the token a request carries (UnauthorizedException)', async (t) => {
  const logs: string[] = []
  const { proxy, client: newClient } = await buildBehindProxy(t, { logs })
  const client = newClient()
  await signedIn(client)

  proxy.set('GetUser', { kind: 'exception', name: 'UnauthorizedException', message: 'Invalid access token' })
  const me = await client.gql('{ me { id mfa } }')
  failsWith(t, me, 'UNAUTHENTICATED')
  t.same(me.data, { me: null })

  // RevokeToken is where AWS documents it: the sign-out ends the session here all the same.
  proxy.set('RevokeToken', { kind: 'exception', name: 'UnauthorizedException', message: 'Client is not authorized' })
  const before = client.clone()
  t.equal((await client.gql(SIGN_OUT)).data?.signOut, true)
  failsWith(t, await before.gql(REFRESH), 'UNAUTHENTICATED')
  t.match(linesWith(logs, 'exception', 'UnauthorizedException'), [{ operation: 'GetUserCommand', code: 'UNAUTHENTICATED' }, { operation: 'RevokeTokenCommand', code: 'UNAUTHENTICATED' }], 'both refusals are logged: a wrong client secret looks like this')
})

t.test('a renewal that AWS WAF blocks, or that the endpoint lacks: the session is unread, not ended (GET /session 403 and 501, me answers the code)', async (t) => {
  const { app, proxy, client: newClient } = await buildBehindProxy(t, { tokenTtlSeconds: 1 })
  const client = newClient()
  const email = await signedIn(client)
  await sleep(2100)
  const session = async () => await app.inject({ url: '/session', headers: { cookie: client.cookieHeader() } })
  for (const [fault, status, code] of [
    [{ kind: 'exception', name: 'ForbiddenException' }, 403, 'FORBIDDEN'],
    [{ kind: 'page', status: 500 }, 501, 'NOT_SUPPORTED']
  ] as const) {
    proxy.set('InitiateAuth', fault)
    const res = await session()
    t.equal(res.statusCode, status)
    t.same(res.json(), { error: code })
    failsWith(t, await client.gql(ME), code)
  }
  proxy.clear()
  t.equal((await session()).statusCode, 200, 'the cookies stayed: the next renewal succeeds')
  t.equal((await client.gql(ME)).data?.me.email, email)
})
