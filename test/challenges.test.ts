import t from 'tap'
import { AdminSetUserMFAPreferenceCommand } from '@aws-sdk/client-cognito-identity-provider'
import { createUser } from '../scripts/admin.ts'
import { createSealer } from '../src/seal.ts'
import { build, buildBehindProxy, Client, newEmail, PASSWORD, REFRESH, registerUser } from './helper.ts'
import {
  adminOf, cookieNames, enableSmsMfa, failsWith, ME_WITH_MFA, RELAXED_LIMITS, requireMfa, RESPOND, SIGN_IN_STEP_DOC, totp, withTotp, wrongTotp
} from './challenge-helpers.ts'

const JWT = /eyJ[\w-]+\.[\w-]+\.[\w-]+/
const COOKIE_SECRET = 'challenge-tests-'.repeat(3)
const env = { ...RELAXED_LIMITS, COOKIE_SECRET }
const TEMPORARY = 'Temporary-Pass-1'
const CHOSEN = 'Chosen-Password-2'

interface HeldChallenge { name: string, session: string, email: string, username: string, exp: number }
const sealer = createSealer(COOKIE_SECRET)
const readHeld = (client: Client) => sealer.unseal<HeldChallenge>('challenge', client.jar.get('__Host-challenge'))

t.test('NEW_PASSWORD_REQUIRED: a user created by an administrator chooses a password, then has a session', async (t) => {
  const app = await build(t, { env })
  const admin = adminOf(t, app)
  const email = newEmail('invited')
  await createUser(admin, { email, name: 'Invited', temporaryPassword: TEMPORARY })
  const mailbox = await app.inject({ method: 'GET', url: `/dev/mailbox?to=${encodeURIComponent(email)}` })
  t.equal(mailbox.json()[0]?.code, TEMPORARY, 'the mailbox shows the temporary password')

  const client = new Client(app)
  failsWith(t, await client.gql(SIGN_IN_STEP_DOC, { email, password: 'Not-The-Temporary-1' }), 'INVALID_CREDENTIALS')
  t.equal(client.jar.size, 0, 'a wrong temporary password gets no challenge')

  const signIn = await client.gql(SIGN_IN_STEP_DOC, { email, password: TEMPORARY })
  t.same(signIn.data?.signIn, { __typename: 'Challenge', name: 'NEW_PASSWORD_REQUIRED', codeDelivery: null, mfaOptions: null, totpSetup: null })
  t.same(cookieNames(client), ['__Host-challenge'], 'only the challenge cookie, no session')
  const cookie = ([] as string[]).concat(signIn.response.headers['set-cookie'] ?? []).find((c) => c.startsWith('__Host-challenge=')) ?? ''
  for (const attribute of [/; HttpOnly/, /; Secure/, /; SameSite=Strict/, /; Path=\//, /; Max-Age=180\b/]) t.match(cookie, attribute)
  t.notMatch(cookie, /Domain=/i)
  t.notMatch(signIn.response.body, /session/i, 'Cognito\'s challenge session is not in the body')
  t.equal(readHeld(client)?.email, email, 'the sealed cookie is bound to the user it was issued for')

  failsWith(t, await client.gql(RESPOND, { input: { name: 'NEW_PASSWORD_REQUIRED' } }), 'BAD_USER_INPUT', /new password/)
  failsWith(t, await client.gql(RESPOND, { input: { name: 'SOFTWARE_TOKEN_MFA', code: '123456' } }), 'BAD_USER_INPUT', /NEW_PASSWORD_REQUIRED/)
  failsWith(t, await client.gql(RESPOND, { input: { name: 'NEW_PASSWORD_REQUIRED', newPassword: 'weakpassword' } }), 'INVALID_PASSWORD', /uppercase/)
  t.same(cookieNames(client), ['__Host-challenge'], 'a refused answer keeps the challenge')

  const done = await client.gql(RESPOND, { input: { name: 'NEW_PASSWORD_REQUIRED', newPassword: CHOSEN } })
  t.equal(done.errors, undefined)
  t.match(done.data?.respondToChallenge, { __typename: 'Session', user: { email, mfa: [], preferredMfa: null } })
  t.notMatch(done.response.body, JWT, 'no token in the body')
  t.match(([] as string[]).concat(done.response.headers['set-cookie'] ?? []).find((c) => c.startsWith('__Host-challenge=')), /Max-Age=0/, 'the challenge cookie is cleared')
  t.same(cookieNames(client), ['__Host-access', '__Host-id', '__Host-refresh'])
  t.match((await client.gql(ME_WITH_MFA)).data?.me, { email, name: 'Invited', emailVerified: true })
  t.equal((await client.gql(REFRESH)).data?.refreshSession?.user.email, email, 'the session refreshes')

  failsWith(t, await new Client(app).gql(SIGN_IN_STEP_DOC, { email, password: TEMPORARY }), 'INVALID_CREDENTIALS')
  t.equal((await new Client(app).gql(SIGN_IN_STEP_DOC, { email, password: CHOSEN })).data?.signIn.__typename, 'Session', 'the chosen password signs in')
})

t.test('CHALLENGE_EXPIRED: no challenge cookie, an expired one, one replayed after the challenge ended', async (t) => {
  const app = await build(t, { env })
  const admin = adminOf(t, app)

  const nobody = new Client(app)
  const none = await nobody.gql(RESPOND, { input: { name: 'NEW_PASSWORD_REQUIRED', newPassword: CHOSEN } })
  failsWith(t, none, 'CHALLENGE_EXPIRED', /sign in again/)
  t.same(none.data, { respondToChallenge: null })

  const email = newEmail('invited')
  await createUser(admin, { email, temporaryPassword: TEMPORARY })
  const client = new Client(app)
  await client.gql(SIGN_IN_STEP_DOC, { email, password: TEMPORARY })
  const held = readHeld(client)
  t.ok(held, 'a challenge is held')

  // A cookie past its life (the browser would have dropped it; a client that keeps it gains nothing).
  const stale = client.clone()
  stale.jar.set('__Host-challenge', sealer.seal('challenge', { ...held, exp: Math.floor(Date.now() / 1000) - 1 }))
  failsWith(t, await stale.gql(RESPOND, { input: { name: 'NEW_PASSWORD_REQUIRED', newPassword: CHOSEN } }), 'CHALLENGE_EXPIRED')
  // Anything not sealed by this server is no challenge either.
  const forged = client.clone()
  forged.jar.set('__Host-challenge', 'v1.AAAA.BBBB.CCCC')
  failsWith(t, await forged.gql(RESPOND, { input: { name: 'NEW_PASSWORD_REQUIRED', newPassword: CHOSEN } }), 'CHALLENGE_EXPIRED')

  const replay = client.clone()
  t.equal((await client.gql(RESPOND, { input: { name: 'NEW_PASSWORD_REQUIRED', newPassword: CHOSEN } })).data?.respondToChallenge.__typename, 'Session')
  const replayed = await replay.gql(RESPOND, { input: { name: 'NEW_PASSWORD_REQUIRED', newPassword: 'Another-Password-3' } })
  failsWith(t, replayed, 'CHALLENGE_EXPIRED')
  t.same(cookieNames(replay), [], 'the replayed cookie is cleared and no session is set')
  failsWith(t, await new Client(app).gql(SIGN_IN_STEP_DOC, { email, password: 'Another-Password-3' }), 'INVALID_CREDENTIALS', undefined)
  const after = await new Client(app).gql(SIGN_IN_STEP_DOC, { email, password: CHOSEN })
  t.equal(after.data?.signIn?.__typename, 'Session', 'the replay changed nothing')
})

t.test('SOFTWARE_TOKEN_MFA: a code from the authenticator; a wrong code ends the challenge, as Cognito does, and the answer says so', async (t) => {
  const app = await build(t, { env })
  const owner = new Client(app)
  const { email, secret } = await withTotp(owner)

  const client = new Client(app)
  const signIn = await client.gql(SIGN_IN_STEP_DOC, { email, password: PASSWORD })
  t.same(signIn.data?.signIn, { __typename: 'Challenge', name: 'SOFTWARE_TOKEN_MFA', codeDelivery: null, mfaOptions: null, totpSetup: null })
  t.same(cookieNames(client), ['__Host-challenge'])

  failsWith(t, await client.gql(RESPOND, { input: { name: 'SOFTWARE_TOKEN_MFA' } }), 'BAD_USER_INPUT', /code/)
  failsWith(t, await client.gql(RESPOND, { input: { name: 'SOFTWARE_TOKEN_MFA', code: '12345x' } }), 'BAD_USER_INPUT', /six digits/)
  const wrong = await client.gql(RESPOND, { input: { name: 'SOFTWARE_TOKEN_MFA', code: wrongTotp(secret) } })
  failsWith(t, wrong, 'CODE_MISMATCH', /this sign-in has ended: sign in again/)
  t.same(wrong.errors?.[0]?.extensions, { code: 'CODE_MISMATCH', challengeEnded: true }, 'the answer says the challenge is over (Cognito spent its session on the wrong code)')
  t.same(cookieNames(client), [], 'and the challenge cookie is cleared')
  // Even a right code (one Cognito would take, with the challenge standing) is too late.
  const after = await client.gql(RESPOND, { input: { name: 'SOFTWARE_TOKEN_MFA', code: totp(secret, -1) } })
  failsWith(t, after, 'CHALLENGE_EXPIRED')

  t.equal((await client.gql(SIGN_IN_STEP_DOC, { email, password: PASSWORD })).data?.signIn.name, 'SOFTWARE_TOKEN_MFA')
  const done = await client.gql(RESPOND, { input: { name: 'SOFTWARE_TOKEN_MFA', code: totp(secret, 1) } })
  t.match(done.data?.respondToChallenge, { __typename: 'Session', user: { email, mfa: ['TOTP'], preferredMfa: 'TOTP' } })
  t.same(cookieNames(client), ['__Host-access', '__Host-id', '__Host-refresh'])
  t.notMatch(done.response.body, JWT)
})

t.test('a TOTP code is accepted once, though Cognito would take it again', async (t) => {
  const app = await build(t, { env })
  const { email, secret } = await withTotp(new Client(app))
  const used = totp(secret) // spent by verifyTotp in withTotp

  const client = new Client(app)
  await client.gql(SIGN_IN_STEP_DOC, { email, password: PASSWORD })
  failsWith(t, await client.gql(RESPOND, { input: { name: 'SOFTWARE_TOKEN_MFA', code: used } }), 'CODE_EXPIRED', /already used/)
  const next = totp(secret, 1)
  t.equal((await client.gql(RESPOND, { input: { name: 'SOFTWARE_TOKEN_MFA', code: next } })).data?.respondToChallenge.__typename, 'Session',
    'the refused replay never reached Cognito: the challenge still stands')

  const again = new Client(app)
  await again.gql(SIGN_IN_STEP_DOC, { email, password: PASSWORD })
  failsWith(t, await again.gql(RESPOND, { input: { name: 'SOFTWARE_TOKEN_MFA', code: next } }), 'CODE_EXPIRED', /already used/)
  t.same(cookieNames(again), ['__Host-challenge'], 'no session from a replayed code')
})

t.test('a challenge cookie is bound to its user: presented for another user, it is refused', async (t) => {
  const app = await build(t, { env })
  const alice = await withTotp(new Client(app))
  const bob = await withTotp(new Client(app))

  const aliceClient = new Client(app)
  await aliceClient.gql(SIGN_IN_STEP_DOC, { email: alice.email, password: PASSWORD })
  const bobClient = new Client(app)
  await bobClient.gql(SIGN_IN_STEP_DOC, { email: bob.email, password: PASSWORD })

  // Bob's browser with Alice's challenge cookie and Bob's own code gets no session for anyone.
  const mixed = bobClient.clone()
  mixed.jar.set('__Host-challenge', aliceClient.jar.get('__Host-challenge') ?? '')
  failsWith(t, await mixed.gql(RESPOND, { input: { name: 'SOFTWARE_TOKEN_MFA', code: totp(bob.secret, 1) } }), 'CODE_MISMATCH')
  t.same(cookieNames(mixed).filter((n) => n !== '__Host-challenge'), [], 'no session cookies')

  // Alice's Cognito challenge session bound to Bob (a cookie sealed with the server's secret, as a
  // leaked secret or a bug could produce): Cognito ties the session to its user and refuses it.
  const aliceHeld = readHeld(aliceClient)
  const bobHeld = readHeld(bobClient)
  t.ok(aliceHeld !== undefined && bobHeld !== undefined)
  const swapped = new Client(app)
  swapped.jar.set('__Host-challenge', sealer.seal('challenge', { ...bobHeld, session: aliceHeld?.session }))
  const res = await swapped.gql(RESPOND, { input: { name: 'SOFTWARE_TOKEN_MFA', code: totp(bob.secret, 1) } })
  failsWith(t, res, 'CHALLENGE_EXPIRED')
  t.same(cookieNames(swapped), [], 'no session, and the cookie is cleared')
})

t.test('SMS_MFA: the code is texted to a masked number; a wrong code ends the challenge', async (t) => {
  const app = await build(t, { env })
  const admin = adminOf(t, app)
  const email = await registerUser(new Client(app))
  const phone = '+15555550123'
  await enableSmsMfa(admin, email, phone)

  const client = new Client(app)
  const signIn = await client.gql(SIGN_IN_STEP_DOC, { email, password: PASSWORD })
  t.same(signIn.data?.signIn, { __typename: 'Challenge', name: 'SMS_MFA', codeDelivery: { medium: 'SMS', destination: '+*******0123' }, mfaOptions: null, totpSetup: null })
  t.notMatch(signIn.response.body, /5555550123/, 'the number is masked')
  const texted = await client.code(phone)
  t.match(texted, /^\d{6}$/, 'the mailbox shows the texted code')

  const wrong = await client.gql(RESPOND, { input: { name: 'SMS_MFA', code: texted === '000000' ? '111111' : '000000' } })
  failsWith(t, wrong, 'CODE_MISMATCH')
  t.equal(wrong.errors?.[0]?.extensions.challengeEnded, true, 'a wrong texted MFA code ends the challenge, and says so')
  t.same(cookieNames(client), [], 'the challenge cookie is cleared')
  failsWith(t, await client.gql(RESPOND, { input: { name: 'SMS_MFA', code: texted } }), 'CHALLENGE_EXPIRED')

  await client.gql(SIGN_IN_STEP_DOC, { email, password: PASSWORD })
  const done = await client.gql(RESPOND, { input: { name: 'SMS_MFA', code: await client.code(phone) } })
  t.match(done.data?.respondToChallenge, { __typename: 'Session', user: { email, mfa: ['SMS'], preferredMfa: 'SMS' } })
})

t.test('SELECT_MFA_TYPE: a user with two methods and no preference chooses one', async (t) => {
  const app = await build(t, { env })
  const admin = adminOf(t, app)
  const { email, secret } = await withTotp(new Client(app))
  const phone = '+15555550188'
  await enableSmsMfa(admin, email, phone, false)
  await admin.cognito.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: admin.userPoolId, Username: email, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: false } }))

  const client = new Client(app)
  const signIn = await client.gql(SIGN_IN_STEP_DOC, { email, password: PASSWORD })
  t.same(signIn.data?.signIn, { __typename: 'Challenge', name: 'SELECT_MFA_TYPE', codeDelivery: null, mfaOptions: ['SMS', 'TOTP'], totpSetup: null })
  failsWith(t, await client.gql(RESPOND, { input: { name: 'SELECT_MFA_TYPE' } }), 'BAD_USER_INPUT', /MFA method/)

  const chosen = await client.gql(RESPOND, { input: { name: 'SELECT_MFA_TYPE', mfaMethod: 'TOTP' } })
  t.same(chosen.data?.respondToChallenge, { __typename: 'Challenge', name: 'SOFTWARE_TOKEN_MFA', codeDelivery: null, mfaOptions: null, totpSetup: null })
  const done = await client.gql(RESPOND, { input: { name: 'SOFTWARE_TOKEN_MFA', code: totp(secret, 1) } })
  t.match(done.data?.respondToChallenge, { __typename: 'Session', user: { email, mfa: ['TOTP', 'SMS'].sort(), preferredMfa: null } })

  const sms = new Client(app)
  await sms.gql(SIGN_IN_STEP_DOC, { email, password: PASSWORD })
  const bySms = await sms.gql(RESPOND, { input: { name: 'SELECT_MFA_TYPE', mfaMethod: 'SMS' } })
  t.same(bySms.data?.respondToChallenge, { __typename: 'Challenge', name: 'SMS_MFA', codeDelivery: { medium: 'SMS', destination: '+*******0188' }, mfaOptions: null, totpSetup: null })
  t.equal((await sms.gql(RESPOND, { input: { name: 'SMS_MFA', code: await sms.code(phone) } })).data?.respondToChallenge.__typename, 'Session')
})

t.test('MFA_SETUP: where the pool requires MFA, a user without it sets up an authenticator while signing in', async (t) => {
  const app = await build(t, { env: { ...env, TOTP_ISSUER: 'Example Co' } })
  const admin = adminOf(t, app)
  const email = await registerUser(new Client(app))
  await requireMfa(admin)

  const client = new Client(app)
  const signIn = await client.gql(SIGN_IN_STEP_DOC, { email, password: PASSWORD })
  const challenge = signIn.data?.signIn
  t.match(challenge, { __typename: 'Challenge', name: 'MFA_SETUP', codeDelivery: null, mfaOptions: null, totpSetup: { secret: /^[A-Z2-7]{16,}$/ } })
  const secret = challenge?.totpSetup?.secret as string
  t.equal(challenge?.totpSetup?.otpauthUri, `otpauth://totp/Example%20Co:${encodeURIComponent(email)}?secret=${secret}&issuer=Example%20Co`)
  t.same(cookieNames(client), ['__Host-challenge'])

  const wrong = await client.gql(RESPOND, { input: { name: 'MFA_SETUP', code: wrongTotp(secret) } })
  failsWith(t, wrong, 'CODE_MISMATCH')
  t.equal(wrong.errors?.[0]?.extensions.challengeEnded, true, 'a wrong first code of the new authenticator ends the challenge, and says so')
  failsWith(t, await client.gql(RESPOND, { input: { name: 'MFA_SETUP', code: totp(secret) } }), 'CHALLENGE_EXPIRED', /sign in again/)

  const again = await client.gql(SIGN_IN_STEP_DOC, { email, password: PASSWORD })
  const fresh = again.data?.signIn.totpSetup?.secret as string
  t.not(fresh, secret, 'a new sign-in, a new secret')
  const done = await client.gql(RESPOND, { input: { name: 'MFA_SETUP', code: totp(fresh) } })
  t.match(done.data?.respondToChallenge, { __typename: 'Session', user: { email, mfa: ['TOTP'], preferredMfa: 'TOTP' } })
  t.same(cookieNames(client), ['__Host-access', '__Host-id', '__Host-refresh'])

  const next = new Client(app)
  t.equal((await next.gql(SIGN_IN_STEP_DOC, { email, password: PASSWORD })).data?.signIn.name, 'SOFTWARE_TOKEN_MFA', 'from now on the authenticator is asked for')
  failsWith(t, await next.gql(RESPOND, { input: { name: 'SOFTWARE_TOKEN_MFA', code: totp(fresh) } }), 'CODE_EXPIRED', /already used/)
  t.equal((await next.gql(RESPOND, { input: { name: 'SOFTWARE_TOKEN_MFA', code: totp(fresh, 1) } })).data?.respondToChallenge.__typename, 'Session')
})

t.test('an invited user on a pool that requires MFA: NEW_PASSWORD_REQUIRED, then MFA_SETUP, then a session', async (t) => {
  const app = await build(t, { env })
  const admin = adminOf(t, app)
  await requireMfa(admin)
  const email = newEmail('invited')
  await createUser(admin, { email, temporaryPassword: TEMPORARY })

  const client = new Client(app)
  t.equal((await client.gql(SIGN_IN_STEP_DOC, { email, password: TEMPORARY })).data?.signIn.name, 'NEW_PASSWORD_REQUIRED')
  const setup = await client.gql(RESPOND, { input: { name: 'NEW_PASSWORD_REQUIRED', newPassword: CHOSEN } })
  t.match(setup.data?.respondToChallenge, { __typename: 'Challenge', name: 'MFA_SETUP', totpSetup: { secret: String } })
  t.same(cookieNames(client), ['__Host-challenge'], 'still no session')
  const done = await client.gql(RESPOND, { input: { name: 'MFA_SETUP', code: totp(setup.data?.respondToChallenge.totpSetup.secret) } })
  t.match(done.data?.respondToChallenge, { __typename: 'Session', user: { email, mfa: ['TOTP'] } })
})

t.test('respondToChallenge when Cognito fails or throttles: the challenge stands for another try', async (t) => {
  const { proxy, client: newClient } = await buildBehindProxy(t, { env })
  const { email, secret } = await withTotp(newClient())
  const client = newClient()
  t.equal((await client.gql(SIGN_IN_STEP_DOC, { email, password: PASSWORD })).data?.signIn.name, 'SOFTWARE_TOKEN_MFA')

  proxy.set('RespondToAuthChallenge', { kind: 'status', status: 503 })
  const before = proxy.count('RespondToAuthChallenge')
  failsWith(t, await client.gql(RESPOND, { input: { name: 'SOFTWARE_TOKEN_MFA', code: totp(secret, 1) } }), 'SERVICE_UNAVAILABLE')
  t.equal(proxy.count('RespondToAuthChallenge'), before + 1, 'an answer that spends a code is never retried')
  proxy.set('RespondToAuthChallenge', { kind: 'exception', name: 'TooManyRequestsException' })
  const throttled = await client.gql(RESPOND, { input: { name: 'SOFTWARE_TOKEN_MFA', code: totp(secret, -1) } })
  failsWith(t, throttled, 'TOO_MANY_REQUESTS')
  t.type(throttled.errors?.[0]?.extensions.retryAfter, 'number')
  t.same(cookieNames(client), ['__Host-challenge'], 'the challenge cookie stays')

  proxy.clear()
  // Both codes were spent on the failed tries (a code is accepted once, whatever Cognito said).
  failsWith(t, await client.gql(RESPOND, { input: { name: 'SOFTWARE_TOKEN_MFA', code: totp(secret, 1) } }), 'CODE_EXPIRED')
})
