import t from 'tap'
import { build, buildBehindProxy, Client, newEmail, PASSWORD, signedIn } from './helper.ts'
import {
  cookieNames, DISABLE_TOTP, failsWith, ME_WITH_MFA, RELAXED_LIMITS, RESPOND, SETUP_TOTP, SIGN_IN_STEP_DOC, totp, VERIFY_TOTP, withTotp, wrongTotp
} from './challenge-helpers.ts'

const env = RELAXED_LIMITS

t.test('TOTP: set up with the current password, verify the first code, then sign out and in through the challenge', async (t) => {
  const app = await build(t, { env: { ...env, TOTP_ISSUER: 'Acme Auth' } })
  const client = new Client(app)
  const email = await signedIn(client, newEmail('totp'))

  const setup = await client.gql(SETUP_TOTP, { p: PASSWORD })
  t.equal(setup.errors, undefined)
  const secret = setup.data?.setupTotp.secret as string
  t.match(secret, /^[A-Z2-7]{16,}$/, 'a base32 secret')
  t.equal(setup.data?.setupTotp.otpauthUri, `otpauth://totp/Acme%20Auth:${encodeURIComponent(email)}?secret=${secret}&issuer=Acme%20Auth`,
    'an otpauth URI with the configured issuer and the account')
  t.match((await client.gql(ME_WITH_MFA)).data?.me, { mfa: [], preferredMfa: null }, 'nothing is on before the first code')

  failsWith(t, await client.gql(VERIFY_TOTP, { code: '12345' }), 'BAD_USER_INPUT', /six digits/)
  failsWith(t, await client.gql(VERIFY_TOTP, { code: wrongTotp(secret) }), 'CODE_MISMATCH')
  const verified = await client.gql(VERIFY_TOTP, { code: totp(secret) })
  t.equal(verified.errors, undefined)
  t.match(verified.data?.verifyTotp, { mfa: ['TOTP'], preferredMfa: 'TOTP' }, 'TOTP is on and preferred')
  t.match((await client.gql(ME_WITH_MFA)).data?.me, { email, mfa: ['TOTP'], preferredMfa: 'TOTP' })

  await client.gql('mutation { signOut }')
  t.same(cookieNames(client), [])
  const challenge = await client.gql(SIGN_IN_STEP_DOC, { email, password: PASSWORD })
  t.equal(challenge.data?.signIn.name, 'SOFTWARE_TOKEN_MFA')
  const session = await client.gql(RESPOND, { input: { name: 'SOFTWARE_TOKEN_MFA', code: totp(secret, 1) } })
  t.match(session.data?.respondToChallenge, { __typename: 'Session', user: { email, mfa: ['TOTP'] } })
  t.equal((await client.gql(ME_WITH_MFA)).data?.me.email, email)
})

t.test('a TOTP code is accepted once: verifyTotp refuses a replay', async (t) => {
  const app = await build(t, { env })
  const client = new Client(app)
  await signedIn(client)
  const secret = (await client.gql(SETUP_TOTP, { p: PASSWORD })).data?.setupTotp.secret as string
  const code = totp(secret)
  t.equal((await client.gql(VERIFY_TOTP, { code })).errors, undefined)
  failsWith(t, await client.gql(VERIFY_TOTP, { code }), 'CODE_EXPIRED', /already used/)
})

t.test('a mistyped TOTP code typed again is still a mismatch, not "already used"', async (t) => {
  const app = await build(t, { env })
  const client = new Client(app)
  await signedIn(client)
  const secret = (await client.gql(SETUP_TOTP, { p: PASSWORD })).data?.setupTotp.secret as string
  const wrong = wrongTotp(secret)
  failsWith(t, await client.gql(VERIFY_TOTP, { code: wrong }), 'CODE_MISMATCH')
  failsWith(t, await client.gql(VERIFY_TOTP, { code: wrong }), 'CODE_MISMATCH')
  t.equal((await client.gql(VERIFY_TOTP, { code: totp(secret) })).errors, undefined, 'and the right code still works')
})

t.test('disableTotp needs the current password and turns TOTP off', async (t) => {
  const app = await build(t, { env })
  const client = new Client(app)
  const { email } = await withTotp(client)

  const wrong = await client.gql(DISABLE_TOTP, { p: 'Wrong-Horse-7' })
  failsWith(t, wrong, 'INVALID_CREDENTIALS')
  t.same(wrong.data, { disableTotp: null })
  t.match((await client.gql(ME_WITH_MFA)).data?.me, { mfa: ['TOTP'] }, 'a wrong password changes nothing')
  t.same(cookieNames(client), ['__Host-access', '__Host-id', '__Host-refresh'], 'and the session goes on')

  const off = await client.gql(DISABLE_TOTP, { p: PASSWORD })
  t.match(off.data?.disableTotp, { mfa: [], preferredMfa: null })
  t.equal((await new Client(app).gql(SIGN_IN_STEP_DOC, { email, password: PASSWORD })).data?.signIn.__typename, 'Session', 'sign-in needs no code any more')
})

t.test('step-up: setupTotp with a wrong or missing current password is refused, and a right one leaves no session behind', async (t) => {
  const { proxy, client: newClient } = await buildBehindProxy(t, { env })
  const client = newClient()
  await signedIn(client)

  const wrong = await client.gql(SETUP_TOTP, { p: 'Wrong-Horse-7' })
  failsWith(t, wrong, 'INVALID_CREDENTIALS', /Incorrect email or password/)
  t.same(wrong.data, { setupTotp: null })
  t.equal(proxy.count('AssociateSoftwareToken'), 0, 'no secret was made')
  failsWith(t, await client.gql(SETUP_TOTP, { p: '' }), 'BAD_USER_INPUT', /current password/)

  const checks = proxy.count('InitiateAuth')
  const ok = await client.gql(SETUP_TOTP, { p: PASSWORD })
  t.type(ok.data?.setupTotp.secret, 'string')
  t.equal(proxy.count('InitiateAuth'), checks + 1, 'the password was checked once, against Cognito')
  t.equal(proxy.count('RevokeToken'), 1, 'the refresh token the check obtained was revoked')

  // A failure of Cognito during the check is not a wrong password, and is not retried.
  proxy.set('InitiateAuth', { kind: 'status', status: 500 })
  const before = proxy.count('InitiateAuth')
  failsWith(t, await client.gql(SETUP_TOTP, { p: PASSWORD }), 'SERVICE_UNAVAILABLE')
  t.equal(proxy.count('InitiateAuth'), before + 1, 'a password check is never retried')
})

t.test('a user with MFA proves the password by the challenge it gets: no code is asked for a step-up', async (t) => {
  const app = await build(t, { env })
  const client = new Client(app)
  await withTotp(client)
  failsWith(t, await client.gql(DISABLE_TOTP, { p: 'Wrong-Horse-7' }), 'INVALID_CREDENTIALS')
  t.match((await client.gql(DISABLE_TOTP, { p: PASSWORD })).data?.disableTotp, { mfa: [] })
})

t.test('BAD_USER_INPUT for verifyTotp before setupTotp; UNAUTHENTICATED without a session', async (t) => {
  const app = await build(t, { env })
  const client = new Client(app)
  await signedIn(client)
  failsWith(t, await client.gql(VERIFY_TOTP, { code: '123456' }), 'BAD_USER_INPUT')

  const nobody = new Client(app)
  for (const [query, variables, field] of [
    [SETUP_TOTP, { p: PASSWORD }, 'setupTotp'],
    [VERIFY_TOTP, { code: '123456' }, 'verifyTotp'],
    [DISABLE_TOTP, { p: PASSWORD }, 'disableTotp']
  ] as const) {
    const res = await nobody.gql(query, variables)
    failsWith(t, res, 'UNAUTHENTICATED')
    t.same(res.data, { [field]: null })
  }
})
