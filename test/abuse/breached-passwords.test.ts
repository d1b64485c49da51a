import t from 'tap'
import type { Test } from 'tap'
import { createHash } from 'node:crypto'
import { createUser } from '../../scripts/admin.ts'
import { build, CHANGE_PASSWORD, Client, CONFIRM_FORGOT, FORGOT, newEmail, PASSWORD, registerUser, SIGN_IN, SIGN_UP, signedIn } from '../helper.ts'
import { adminOf, failsWith, RELAXED_LIMITS, RESPOND, SIGN_IN_STEP_DOC } from '../challenge-helpers.ts'
import { rangeApi } from './range-api.ts'

// Both pass the emulator's password policy, so only the breach check can refuse them.
const BREACHED = 'Password123!'
const ALSO_BREACHED = 'Summer2024!x'
const FRESH = 'Quiet-Lantern-Orbit-71'

const sha1 = (text: string) => createHash('sha1').update(text).digest('hex').toUpperCase()

async function setUp (t: Test, env: Record<string, string> = {}) {
  const api = await rangeApi(t, [BREACHED, ALSO_BREACHED])
  const logs: string[] = []
  const app = await build(t, { env: { ...RELAXED_LIMITS, PWNED_PASSWORDS: api.url, ...env }, logs })
  return { api, app, logs, client: new Client(app) }
}

t.test('sign-up: a breached password is refused with PASSWORD_BREACHED, a fresh one accepted; only five hex characters leave', async (t) => {
  const { api, app, client } = await setUp(t)
  const events: Array<Record<string, unknown>> = []
  app.audit.on('event', (event) => events.push(event))
  const email = newEmail('breached')
  failsWith(t, await client.gql(SIGN_UP, { input: { email, password: BREACHED } }), 'PASSWORD_BREACHED', /breach/)
  t.same(api.prefixes, [sha1(BREACHED).slice(0, 5)], 'the range API saw the first five hex characters of the SHA-1, nothing more')
  t.same(api.padding, ['true'], 'with Add-Padding: true')
  const signUp = await client.gql(SIGN_UP, { input: { email, password: FRESH } })
  t.equal(signUp.errors, undefined, 'a password in no breach signs up')
  t.ok(api.prefixes.every((prefix) => /^[0-9A-F]{5}$/.test(prefix)), 'every request carried five hex characters')
  t.notOk(api.prefixes.includes(sha1(FRESH)), 'never the whole hash')
  const refused = events.find((event) => event.event === 'password-breached')
  t.match(refused, { outcome: 'failure', code: 'PASSWORD_BREACHED' }, 'the refusal is an audit event')
  t.notMatch(JSON.stringify(events), new RegExp(`${BREACHED}|${FRESH}|${sha1(BREACHED)}`), 'no audit event carries a password or its hash')
  const metrics = await app.inject({ method: 'GET', url: '/metrics' })
  t.match(metrics.body, /abuse_checks_total\{check="breached-password",outcome="breached"\} 1/)
  t.match(metrics.body, /abuse_checks_total\{check="breached-password",outcome="clean"\} 1/)

  // The range is cached: the same prefix is not asked for again.
  failsWith(t, await client.gql(SIGN_UP, { input: { email: newEmail('again'), password: BREACHED } }), 'PASSWORD_BREACHED')
  t.equal(api.prefixes.filter((prefix) => prefix === sha1(BREACHED).slice(0, 5)).length, 1, 'a range once fetched is served from the cache')
})

t.test('changePassword, confirmForgotPassword and NEW_PASSWORD_REQUIRED refuse a breached password', async (t) => {
  const { api, app, client } = await setUp(t)

  const email = await signedIn(client, newEmail('change'))
  failsWith(t, await client.gql(CHANGE_PASSWORD, { c: PASSWORD, n: ALSO_BREACHED }), 'PASSWORD_BREACHED')
  t.equal((await client.gql(SIGN_IN, { email, password: PASSWORD })).data?.signIn?.__typename, 'Session', 'the old password still works')
  const changed = await client.gql(CHANGE_PASSWORD, { c: PASSWORD, n: FRESH })
  t.equal(changed.errors, undefined, 'a fresh new password is taken')

  const other = new Client(app)
  const resetEmail = await registerUser(other, newEmail('reset'))
  await other.gql(FORGOT, { email: resetEmail })
  const code = await other.code(resetEmail)
  failsWith(t, await other.gql(CONFIRM_FORGOT, { email: resetEmail, code, p: BREACHED }), 'PASSWORD_BREACHED')
  t.equal((await other.gql(CONFIRM_FORGOT, { email: resetEmail, code, p: FRESH })).data?.confirmForgotPassword, true, 'the code is still good for a fresh password')

  const invited = newEmail('invited')
  const temporary = 'Password1!'
  await createUser(adminOf(t, app), { email: invited, temporaryPassword: temporary })
  t.ok(api.prefixes.every((prefix) => prefix !== sha1(temporary).slice(0, 5)), 'an administrator\'s temporary password is not checked')
  const third = new Client(app)
  t.equal((await third.gql(SIGN_IN_STEP_DOC, { email: invited, password: temporary })).data?.signIn?.name, 'NEW_PASSWORD_REQUIRED')
  failsWith(t, await third.gql(RESPOND, { input: { name: 'NEW_PASSWORD_REQUIRED', newPassword: BREACHED } }), 'PASSWORD_BREACHED')
  // The refusal left the held challenge alone: the user answers again with another password.
  const answered = await third.gql(RESPOND, { input: { name: 'NEW_PASSWORD_REQUIRED', newPassword: FRESH } })
  t.equal(answered.data?.respondToChallenge?.__typename, 'Session', 'a fresh password completes the challenge')
})

t.test('a password of 1,000 characters is refused by the length rule before any hash leaves', async (t) => {
  const { api, client } = await setUp(t)
  failsWith(t, await client.gql(SIGN_UP, { input: { email: newEmail('long'), password: `Aa1!${'x'.repeat(996)}` } }), 'BAD_USER_INPUT', /too long/)
  t.same(api.prefixes, [], 'the range API was not asked')
})

t.test('an unreachable range API (garbage, slow, down) fails open by default, logged and counted', async (t) => {
  const { api, app, client, logs } = await setUp(t, { PWNED_PASSWORDS_TIMEOUT_MS: '300' })
  for (const mode of ['garbage', 'slow', 'down'] as const) {
    api.mode = mode
    const res = await client.gql(SIGN_UP, { input: { email: newEmail(mode), password: ALSO_BREACHED } })
    t.equal(res.errors, undefined, `${mode}: the sign-up goes through unchecked`)
  }
  t.equal(api.prefixes.length, 3, 'a failed range is not cached')
  // The slow answer would have been a clean range: its warning shows it was given up, not waited for.
  t.equal(logs.filter((line) => line.includes('range API is unreachable')).length, 3, 'each is logged, the slow one included')
  t.notMatch(logs.join('\n'), new RegExp(ALSO_BREACHED.replace(/[!]/g, '\\$&')), 'the password is in no log line')
  const metrics = await app.inject({ method: 'GET', url: '/metrics' })
  t.match(metrics.body, /abuse_checks_total\{check="breached-password",outcome="unreachable-open"\} 3/)
})

t.test('PWNED_PASSWORDS_UNREACHABLE=closed: an unreachable range API refuses the choice for now', async (t) => {
  const { api, client } = await setUp(t, { PWNED_PASSWORDS_UNREACHABLE: 'closed', PWNED_PASSWORDS_TIMEOUT_MS: '300' })
  api.mode = 'garbage'
  failsWith(t, await client.gql(SIGN_UP, { input: { email: newEmail('closed'), password: FRESH } }), 'SERVICE_UNAVAILABLE')
  api.mode = 'ok'
  t.equal((await client.gql(SIGN_UP, { input: { email: newEmail('closed'), password: FRESH } })).errors, undefined, 'and accepts it once the API answers')
})

t.test('the development stand-in serves ranges of the common-password list, padded', async (t) => {
  const app = await build(t, {})
  const prefix = sha1('password').slice(0, 5)
  const res = await app.inject({ method: 'GET', url: `/dev/pwned-passwords/range/${prefix}`, headers: { 'add-padding': 'true' } })
  t.equal(res.statusCode, 200)
  const lines = res.body.split('\r\n')
  t.ok(lines.includes(`${sha1('password').slice(5)}:32027`), 'the most common password is in its range, with its count')
  t.ok(lines.length >= 800 && lines.length <= 1001, 'padded as HIBP pads')
  t.equal((await app.inject({ method: 'GET', url: '/dev/pwned-passwords/range/xyz' })).statusCode, 400, 'a prefix that is not five hex characters is refused')
})
