// Sign-in without a password (emailed and texted codes, the pool's choice) and email codes as a
// second factor, through GraphQL with a cookie jar against the embedded emulator.
import { performance } from 'node:perf_hooks'
import t from 'tap'
import { AdminUpdateUserAttributesCommand } from '@aws-sdk/client-cognito-identity-provider'
import type { AuditEvent } from '../src/plugins/app/audit.ts'
import { adminOf, cookieNames, failsWith, ME_WITH_MFA, RELAXED_LIMITS } from './challenge-helpers.ts'
import { build, Client, ME, newEmail, PASSWORD, registerUser, SIGN_UP, signedIn, SIGN_OUT } from './helper.ts'

const STEP = `
  __typename
  ... on Session { user { id email mfa preferredMfa } }
  ... on Challenge { name codeDelivery { medium destination } availableMethods publicKeyOptions mfaOptions }
`
const SIGN_IN_WITH = `mutation ($input: SignInInput!) { signIn(input: $input) { ${STEP} } }`
const RESPOND = `mutation ($input: RespondToChallengeInput!) { respondToChallenge(input: $input) { ${STEP} } }`
const ENABLE_EMAIL_MFA = 'mutation ($p: String!) { enableEmailMfa(input: { currentPassword: $p }) { mfa preferredMfa } }'
const DISABLE_EMAIL_MFA = 'mutation ($p: String!) { disableEmailMfa(input: { currentPassword: $p }) { mfa preferredMfa } }'
const PREFER = 'mutation ($m: MfaMethod!) { setPreferredMfa(input: { method: $m }) { mfa preferredMfa } }'

/** A code that differs from `code`. */
const wrong = (code: string): string => code === '000000' ? '111111' : '000000'

/** The three account states existence must not show: unknown, unconfirmed, confirmed. */
async function accounts (client: Client): Promise<Record<string, string>> {
  const unconfirmed = newEmail('unconfirmed')
  await client.gql(SIGN_UP, { input: { email: unconfirmed, password: PASSWORD } })
  return { unknown: newEmail('nobody'), unconfirmed, confirmed: await registerUser(client) }
}

t.test('EMAIL_CODE: the emailed code signs in; a wrong one is CODE_MISMATCH and may be typed again; the challenge is spent once', async (t) => {
  const app = await build(t, { env: RELAXED_LIMITS })
  const events: AuditEvent[] = []
  app.audit.on('event', (e: AuditEvent) => events.push(e))
  const email = await registerUser(new Client(app))
  const client = new Client(app)

  const start = await client.gql(SIGN_IN_WITH, { input: { email, method: 'EMAIL_CODE' } })
  t.same(start.data?.signIn, { __typename: 'Challenge', name: 'EMAIL_OTP', codeDelivery: { medium: 'EMAIL', destination: 'u***@e***.com' }, availableMethods: null, publicKeyOptions: null, mfaOptions: null })
  t.same(cookieNames(client), ['__Host-challenge'], 'the challenge is held in its cookie, nothing else')
  const code = await client.code(email)
  t.match(code, /^\d{6,8}$/, 'the emulator mailed a code')

  failsWith(t, await client.gql(RESPOND, { input: { name: 'EMAIL_OTP', code: wrong(code) } }), 'CODE_MISMATCH')
  const replay = client.clone()
  const done = await client.gql(RESPOND, { input: { name: 'EMAIL_OTP', code } })
  t.equal(done.data?.respondToChallenge?.__typename, 'Session')
  t.equal(done.data?.respondToChallenge?.user?.email, email)
  t.equal((await client.gql(ME)).data?.me?.email, email, 'me is the user')
  failsWith(t, await replay.gql(RESPOND, { input: { name: 'EMAIL_OTP', code } }), 'CHALLENGE_EXPIRED')

  const signIns = events.filter((e) => e.event === 'sign-in')
  t.same(signIns.map((e) => [e.outcome, e.method, e.code]), [['challenge', 'EMAIL_CODE', 'EMAIL_OTP'], ['failure', 'EMAIL_CODE', 'CODE_MISMATCH'], ['success', 'EMAIL_CODE', undefined], ['failure', 'EMAIL_CODE', 'CHALLENGE_EXPIRED']], 'audited with the method')
})

t.test('existence stays hidden for EMAIL_CODE and SMS_CODE: unknown, unconfirmed and confirmed accounts get the same challenge and the same error', async (t) => {
  const app = await build(t, { env: RELAXED_LIMITS })
  const client = new Client(app)
  const emails = await accounts(client)
  for (const method of ['EMAIL_CODE', 'SMS_CODE']) {
    const answers: Record<string, unknown> = {}
    for (const [state, email] of Object.entries(emails)) {
      const c = new Client(app)
      const start = await c.gql(SIGN_IN_WITH, { input: { email, method } })
      const challenge = start.data?.signIn as { name: string, codeDelivery: { medium: string, destination: string } }
      answers[state] = { ...challenge, codeDelivery: { medium: challenge.codeDelivery.medium, masked: challenge.codeDelivery.destination.replace(/[a-z0-9]/g, 'x') } }
      t.same(cookieNames(c), ['__Host-challenge'], `${method} ${state}: a challenge cookie`)
      failsWith(t, await c.gql(RESPOND, { input: { name: challenge.name, code: '123456' } }), 'CODE_MISMATCH')
    }
    t.same(answers.unknown, answers.confirmed, `${method}: an unknown email looks like an account`)
    t.same(answers.unconfirmed, answers.confirmed, `${method}: an unconfirmed account looks like a confirmed one`)
  }
  // The confirmed account has no phone number: its SMS_CODE is as good as an unknown email's, and the same on every ask.
  const again = await new Client(app).gql(SIGN_IN_WITH, { input: { email: emails.unknown, method: 'SMS_CODE' } })
  const first = await new Client(app).gql(SIGN_IN_WITH, { input: { email: emails.unknown, method: 'SMS_CODE' } })
  t.same(again.data?.signIn?.codeDelivery, first.data?.signIn?.codeDelivery, 'a made-up destination is the same on every ask')
})

t.test('SMS_CODE: the texted code signs in a user with a verified phone number', async (t) => {
  const app = await build(t, { env: RELAXED_LIMITS })
  const admin = adminOf(t, app)
  const email = await registerUser(new Client(app))
  const phone = '+15550104242'
  await admin.cognito.send(new AdminUpdateUserAttributesCommand({
    UserPoolId: admin.userPoolId, Username: email, UserAttributes: [{ Name: 'phone_number', Value: phone }, { Name: 'phone_number_verified', Value: 'true' }]
  }))
  const client = new Client(app)
  const start = await client.gql(SIGN_IN_WITH, { input: { email, method: 'SMS_CODE' } })
  t.equal(start.data?.signIn?.name, 'SMS_OTP')
  t.equal(start.data?.signIn?.codeDelivery?.medium, 'SMS')
  t.match(start.data?.signIn?.codeDelivery?.destination, /4242$/, 'Cognito masks the number but its end')
  const done = await client.gql(RESPOND, { input: { name: 'SMS_OTP', code: await client.code(phone) } })
  t.equal(done.data?.respondToChallenge?.user?.email, email)
})

t.test('SELECT_CHALLENGE: every method offered to every email; a chosen code, a password, and their errors', async (t) => {
  const app = await build(t, { env: RELAXED_LIMITS })
  const emails = await accounts(new Client(app))
  const offered: unknown[] = []
  for (const email of Object.values(emails)) {
    const c = new Client(app)
    const start = await c.gql(SIGN_IN_WITH, { input: { email } })
    t.equal(start.data?.signIn?.name, 'SELECT_CHALLENGE')
    offered.push(start.data?.signIn?.availableMethods)
    // Choosing an emailed code: its challenge, whatever the account; a wrong code is CODE_MISMATCH.
    const chosen = await c.gql(RESPOND, { input: { name: 'SELECT_CHALLENGE', method: 'EMAIL_CODE' } })
    t.equal(chosen.data?.respondToChallenge?.name, 'EMAIL_OTP')
    t.equal(chosen.data?.respondToChallenge?.codeDelivery?.destination, 'u***@e***.com'.replace('u', email[0] as string))
    failsWith(t, await c.gql(RESPOND, { input: { name: 'EMAIL_OTP', code: '123456' } }), 'CODE_MISMATCH')
    // A password chosen: wrong for everyone here, then the challenge is over.
    const p = new Client(app)
    await p.gql(SIGN_IN_WITH, { input: { email } })
    failsWith(t, await p.gql(RESPOND, { input: { name: 'SELECT_CHALLENGE', method: 'PASSWORD', password: 'Wrong-Password-1' } }), 'INVALID_CREDENTIALS')
    failsWith(t, await p.gql(RESPOND, { input: { name: 'SELECT_CHALLENGE', method: 'PASSWORD', password: PASSWORD } }), 'CHALLENGE_EXPIRED')
  }
  t.same(offered, Array(3).fill(['PASSWORD', 'EMAIL_CODE', 'SMS_CODE', 'PASSKEY']), 'the same methods for every account state')

  const byCode = new Client(app)
  await byCode.gql(SIGN_IN_WITH, { input: { email: emails.confirmed } })
  await byCode.gql(RESPOND, { input: { name: 'SELECT_CHALLENGE', method: 'EMAIL_CODE' } })
  const coded = await byCode.gql(RESPOND, { input: { name: 'EMAIL_OTP', code: await byCode.code(emails.confirmed as string) } })
  t.equal(coded.data?.respondToChallenge?.user?.email, emails.confirmed, 'the emailed code chosen signs in')

  const byPassword = new Client(app)
  await byPassword.gql(SIGN_IN_WITH, { input: { email: emails.confirmed } })
  const passworded = await byPassword.gql(RESPOND, { input: { name: 'SELECT_CHALLENGE', method: 'PASSWORD', password: PASSWORD } })
  t.equal(passworded.data?.respondToChallenge?.user?.email, emails.confirmed, 'the password chosen signs in')

  const bad = new Client(app)
  await bad.gql(SIGN_IN_WITH, { input: { email: emails.confirmed } })
  failsWith(t, await bad.gql(RESPOND, { input: { name: 'SELECT_CHALLENGE' } }), 'BAD_USER_INPUT', /sign-in method is required/)
  failsWith(t, await bad.gql(RESPOND, { input: { name: 'SELECT_CHALLENGE', method: 'PASSWORD' } }), 'BAD_USER_INPUT', /password is required/)
  failsWith(t, await bad.gql(RESPOND, { input: { name: 'EMAIL_OTP', code: '123456' } }), 'BAD_USER_INPUT', /SELECT_CHALLENGE/)
})

t.test('bad input: a password beside a passwordless method, an empty code', async (t) => {
  const app = await build(t, { env: RELAXED_LIMITS })
  const client = new Client(app)
  const email = await registerUser(client)
  failsWith(t, await client.gql(SIGN_IN_WITH, { input: { email, method: 'EMAIL_CODE', password: PASSWORD } }), 'BAD_USER_INPUT', /method PASSWORD/)
  failsWith(t, await client.gql(SIGN_IN_WITH, { input: { email, method: 'PASSWORD' } }), 'BAD_USER_INPUT', /password is required/)
  await client.gql(SIGN_IN_WITH, { input: { email, method: 'EMAIL_CODE' } })
  failsWith(t, await client.gql(RESPOND, { input: { name: 'EMAIL_OTP', code: ' ' } }), 'BAD_USER_INPUT')
  failsWith(t, await new Client(app).gql(RESPOND, { input: { name: 'EMAIL_OTP', code: '123456' } }), 'CHALLENGE_EXPIRED', /sign in again/)
})

t.test('rate limits: an EMAIL_CODE start draws on the delivery buckets, its code entries on the code buckets', async (t) => {
  const app = await build(t, { env: { RATE_LIMITS: JSON.stringify({ 'delivery.email': { max: 2 }, 'code.user': { max: 2 } }) } })
  const email = await registerUser(new Client(app))
  const client = new Client(app)
  for (let i = 0; i < 2; i++) t.equal((await client.gql(SIGN_IN_WITH, { input: { email, method: 'EMAIL_CODE' } })).data?.signIn?.name, 'EMAIL_OTP')
  const third = await client.gql(SIGN_IN_WITH, { input: { email, method: 'EMAIL_CODE' } })
  failsWith(t, third, 'TOO_MANY_REQUESTS')
  t.equal(third.errors?.[0]?.extensions.retryAfter !== undefined, true, 'with retryAfter')
  // Choosing the emailed code in SELECT_CHALLENGE sends one too: the same bucket.
  await client.gql(SIGN_IN_WITH, { input: { email } })
  failsWith(t, await client.gql(RESPOND, { input: { name: 'SELECT_CHALLENGE', method: 'EMAIL_CODE' } }), 'TOO_MANY_REQUESTS')
  // A password sign-in is not a delivery.
  t.equal((await new Client(app).gql(SIGN_IN_WITH, { input: { email, password: PASSWORD } })).data?.signIn?.__typename, 'Session')

  // Wrong codes, for the held challenge's account: two failures, then the bucket is shut (for the right code too).
  const other = await registerUser(new Client(app))
  const coder = new Client(app)
  await coder.gql(SIGN_IN_WITH, { input: { email: other, method: 'EMAIL_CODE' } })
  const code = await coder.code(other)
  for (let i = 0; i < 2; i++) failsWith(t, await coder.gql(RESPOND, { input: { name: 'EMAIL_OTP', code: wrong(code) } }), 'CODE_MISMATCH')
  failsWith(t, await coder.gql(RESPOND, { input: { name: 'EMAIL_OTP', code } }), 'TOO_MANY_REQUESTS')
})

t.test('email codes as a second factor: enabled, asked after the password, preferred, disabled', async (t) => {
  const app = await build(t, { env: RELAXED_LIMITS })
  const events: AuditEvent[] = []
  app.audit.on('event', (e: AuditEvent) => events.push(e))
  const client = new Client(app)
  const email = await signedIn(client)
  failsWith(t, await client.gql(ENABLE_EMAIL_MFA, { p: 'Wrong-Password-1' }), 'INVALID_CREDENTIALS')
  failsWith(t, await client.gql(PREFER, { m: 'EMAIL' }), 'BAD_USER_INPUT', /enable it first/)
  t.same((await client.gql(ENABLE_EMAIL_MFA, { p: PASSWORD })).data?.enableEmailMfa, { mfa: ['EMAIL'], preferredMfa: 'EMAIL' })
  t.same((await client.gql(ME_WITH_MFA)).data?.me?.mfa, ['EMAIL'])
  t.same((await client.gql(PREFER, { m: 'EMAIL' })).data?.setPreferredMfa, { mfa: ['EMAIL'], preferredMfa: 'EMAIL' }, 'an enabled method can be preferred')
  failsWith(t, await client.gql(PREFER, { m: 'TOTP' }), 'BAD_USER_INPUT', /TOTP is not one of your second factors/)
  await client.gql(SIGN_OUT)

  const next = new Client(app)
  const step = await next.gql(SIGN_IN_WITH, { input: { email, password: PASSWORD } })
  t.same(step.data?.signIn?.name, 'EMAIL_OTP', 'the password is followed by an emailed code')
  t.equal(step.data?.signIn?.codeDelivery?.medium, 'EMAIL')
  const code = await next.code(email)
  failsWith(t, await next.gql(RESPOND, { input: { name: 'EMAIL_OTP', code: wrong(code) } }), 'CODE_MISMATCH')
  const done = await next.gql(RESPOND, { input: { name: 'EMAIL_OTP', code } })
  t.same(done.data?.respondToChallenge?.user?.mfa, ['EMAIL'])
  t.same(events.filter((e) => e.event === 'sign-in').slice(-3).map((e) => [e.outcome, e.method]), [['challenge', 'PASSWORD'], ['failure', undefined], ['success', undefined]],
    'audited as a password sign-in with its second factor, not as a sign-in by emailed code')

  t.same((await next.gql(DISABLE_EMAIL_MFA, { p: PASSWORD })).data?.disableEmailMfa, { mfa: [], preferredMfa: null })
  t.equal((await new Client(app).gql(SIGN_IN_WITH, { input: { email, password: PASSWORD } })).data?.signIn?.__typename, 'Session', 'no second factor any more')
  failsWith(t, await new Client(app).gql(ENABLE_EMAIL_MFA, { p: PASSWORD }), 'UNAUTHENTICATED')
})

t.test('EXISTENCE_TIMING_FLOOR_MS: a passwordless start and its answer leave no earlier than the floor, for an unknown email as for an account', async (t) => {
  const floor = 300
  const app = await build(t, { env: { ...RELAXED_LIMITS, EXISTENCE_TIMING_FLOOR_MS: String(floor) } })
  // An unconfirmed account gets a stand-in: its answer reaches no Cognito call at all.
  for (const [state, email] of Object.entries(await accounts(new Client(app)))) {
    const client = new Client(app)
    let started = performance.now()
    t.equal((await client.gql(SIGN_IN_WITH, { input: { email, method: 'EMAIL_CODE' } })).data?.signIn?.name, 'EMAIL_OTP')
    t.ok(performance.now() - started >= floor - 5, `${state}: the start waited for the floor`)
    started = performance.now()
    failsWith(t, await client.gql(RESPOND, { input: { name: 'EMAIL_OTP', code: '123456' } }), 'CODE_MISMATCH')
    t.ok(performance.now() - started >= floor - 5, `${state}: so did the wrong answer`)
  }
})
