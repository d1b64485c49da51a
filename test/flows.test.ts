import t from 'tap'
import { build, Client, CONFIRM_SIGN_UP, ME, newEmail, PASSWORD, REFRESH, registerUser, SIGN_IN, SIGN_OUT, SIGN_UP, signedIn } from './helper.ts'

const JWT = /eyJ[\w-]+\.[\w-]+\.[\w-]+/

t.test('a user signs up, confirms, signs in, sees themselves, refreshes and signs out', async (t) => {
  const app = await build(t)
  const client = new Client(app)
  const email = newEmail('journey')

  const signUp = await client.gql(SIGN_UP, { input: { email, password: PASSWORD, name: 'Ada Lovelace' } })
  t.same(signUp.data, { signUp: { userConfirmed: false, codeDelivery: { medium: 'EMAIL', destination: 'j***@e***.com' } } })

  const code = await client.code(email)
  t.match(code, /^\d{6}$/, 'the emulator sent a six-digit code')
  t.same((await client.gql(CONFIRM_SIGN_UP, { email, code })).data, { confirmSignUp: true })

  const signIn = await client.gql(SIGN_IN, { email, password: PASSWORD })
  t.equal(signIn.data?.signIn.__typename, 'Session')
  t.equal(signIn.data?.signIn.user.email, email)
  t.equal(signIn.data?.signIn.user.name, 'Ada Lovelace')
  t.equal(signIn.data?.signIn.user.emailVerified, true)
  t.ok(Date.parse(signIn.data?.signIn.expiresAt) > Date.now(), 'expiresAt is in the future')
  t.notMatch(signIn.response.body, JWT, 'no token in the body')
  t.same(client.sessionCookies(), ['__Host-access', '__Host-id', '__Host-refresh'])
  t.ok(client.jar.has('__Host-device'), 'and this browser is now a known device of the account')

  const me = await client.gql(ME)
  t.same(me.data?.me, { id: signIn.data?.signIn.user.id, email, emailVerified: true, name: 'Ada Lovelace', groups: [] })

  const accessBefore = client.jar.get('__Host-access')
  const refreshed = await client.gql(REFRESH)
  t.equal(refreshed.data?.refreshSession.user.email, email)
  t.not(client.jar.get('__Host-access'), accessBefore, 'a new access token was set')
  t.notMatch(refreshed.response.body, JWT)

  const signOut = await client.gql(SIGN_OUT)
  t.same(signOut.data, { signOut: true })
  t.same(client.sessionCookies(), [], 'every session cookie is cleared')
  t.same((await client.gql(ME)).data, { me: null })
})

t.test('session cookies are HttpOnly, Secure, SameSite=Strict, Path=/, __Host- and never carry a Domain', async (t) => {
  const app = await build(t)
  const client = new Client(app)
  const email = await registerUser(client)
  const signIn = await client.gql(SIGN_IN, { email, password: PASSWORD })

  const all = signIn.response.headers['set-cookie'] as string[]
  const raw = all.filter((c) => !c.startsWith('__Host-device='))
  t.equal(raw.length, 3)
  const device = all.find((c) => c.startsWith('__Host-device=')) ?? ''
  t.match(device, /; Max-Age=15552000; Path=\/; HttpOnly; Secure; SameSite=Strict/, 'the known-device cookie is as strict, and lives 180 days')
  for (const cookie of raw) {
    t.match(cookie, /^__Host-(access|id|refresh)=/)
    t.match(cookie, /; HttpOnly/)
    t.match(cookie, /; Secure/)
    t.match(cookie, /; SameSite=Strict/)
    t.match(cookie, /; Path=\//)
    t.notMatch(cookie, /Domain=/i)
    t.match(cookie, /; Max-Age=2592000/, 'lives as long as the refresh token (30 days)')
  }
  t.equal(signIn.response.headers['cache-control'], 'no-store')
  const refreshCookie = raw.find((c) => c.startsWith('__Host-refresh='))
  t.notMatch(refreshCookie ?? '', JWT, 'the refresh cookie is sealed, not a readable token')
})

t.test('cookie policy follows COOKIE_SAMESITE and COOKIE_SECURE', async (t) => {
  const app = await build(t, { env: { COOKIE_SAMESITE: 'Lax', COOKIE_SECURE: 'false' } })
  const client = new Client(app)
  const email = await registerUser(client)
  const signIn = await client.gql(SIGN_IN, { email, password: PASSWORD })
  for (const cookie of signIn.response.headers['set-cookie'] as string[]) {
    t.match(cookie, /^(access|id|refresh|device)=/, 'no __Host- prefix without Secure (browsers would drop it)')
    t.match(cookie, /; SameSite=Lax/)
    t.notMatch(cookie, /; Secure/)
  }
  t.equal((await client.gql(ME)).data?.me.email, email)
})

t.test('a Bearer access token is accepted, and me reads the rest from Cognito', async (t) => {
  const app = await build(t)
  const client = new Client(app)
  const email = await signedIn(client, newEmail(), PASSWORD, 'Grace')
  const token = client.jar.get('__Host-access') as string

  const bearer = new Client(app)
  const me = await bearer.gql('{ me { id email emailVerified name groups mfa preferredMfa } }', undefined, { authorization: `Bearer ${token}` })
  t.equal(me.errors, undefined)
  t.same(me.data?.me, { id: me.data?.me.id, email, emailVerified: true, name: 'Grace', groups: [], mfa: [], preferredMfa: null })

  const broken = await bearer.gql(ME, undefined, { authorization: `Bearer ${token}x` })
  t.same(broken.data, { me: null }, 'a tampered Bearer token is no session')
})

t.test('changePassword ends the other sessions and signs this one in with the new password', async (t) => {
  const app = await build(t)
  const laptop = new Client(app)
  const email = await signedIn(laptop)
  const phone = new Client(app)
  await phone.gql(SIGN_IN, { email, password: PASSWORD })
  const oldCookies = laptop.clone()

  const change = await laptop.gql(`mutation ($c: String!, $n: String!) {
    changePassword(input: { currentPassword: $c, newPassword: $n }) { __typename ... on Session { user { email } } }
  }`, { c: PASSWORD, n: 'New-Password-42' })
  t.equal(change.errors, undefined)
  t.same(change.data, { changePassword: { __typename: 'Session', user: { email } } })
  t.equal((await laptop.gql(ME)).data?.me.email, email, 'this session goes on with new cookies')
  t.same((await phone.gql(ME)).data, { me: null }, 'the other session ended')
  t.same((await phone.gql(REFRESH)).codes, ['UNAUTHENTICATED'], 'and cannot be refreshed')
  t.same((await oldCookies.gql(ME)).data, { me: null }, 'the old cookies of this session are void')

  t.same((await new Client(app).gql(SIGN_IN, { email, password: PASSWORD })).codes, ['INVALID_CREDENTIALS'], 'the old password is refused')
  t.equal((await new Client(app).gql(SIGN_IN, { email, password: 'New-Password-42' })).data?.signIn.__typename, 'Session')
})

t.test('forgotPassword and confirmForgotPassword reset the password and end every session', async (t) => {
  const app = await build(t)
  const client = new Client(app)
  const email = await signedIn(client)

  const forgot = await new Client(app).gql('mutation ($email: String!) { forgotPassword(input: { email: $email }) { medium destination } }', { email })
  t.same(forgot.data, { forgotPassword: { medium: 'EMAIL', destination: 'u***@e***.com' } })
  const code = await client.code(email)
  const reset = await new Client(app).gql(`mutation ($email: String!, $code: String!, $p: String!) {
    confirmForgotPassword(input: { email: $email, code: $code, newPassword: $p })
  }`, { email, code, p: 'Reset-Password-7' })
  t.same(reset.data, { confirmForgotPassword: true })
  t.same((await client.gql(ME)).data, { me: null }, 'the session that was open is over')
  t.equal((await new Client(app).gql(SIGN_IN, { email, password: 'Reset-Password-7' })).data?.signIn.__typename, 'Session')
})
