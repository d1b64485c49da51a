// `npm run admin`'s verbs against a running server's embedded emulator, and how far its
// session-ending verbs reach: with the server's Redis (REDIS_URL) every session ends at once;
// without it only Cognito is told, and the access tokens the server already verified live on.
import t from 'tap'
import { runAdmin } from '../scripts/admin.ts'
import { build, Client, CONFIRM_FORGOT, ME, newEmail, PASSWORD, REFRESH, registerUser, SIGN_IN, signedIn } from './helper.ts'
import { failsWith, RELAXED_LIMITS } from './challenge-helpers.ts'
import { hasRedis, startRedis } from './redis-server.ts'

/** The CLI in-process: its exit code and what it printed. */
async function admin (argv: string[], env: Record<string, string>) {
  const out: string[] = []
  const err: string[] = []
  const code = await runAdmin(argv, env, (line) => out.push(line), (line) => err.push(line))
  return { code, out: out.join('\n'), err: err.join('\n') }
}

t.test('npm run admin: list-users pages, groups, disable, enable, reset-password and sign-out on a running server\'s emulator', async (t) => {
  const dataDir = t.testdir()
  const app = await build(t, { env: { ...RELAXED_LIMITS, EMULATOR_DATA_DIR: dataDir } })
  const env = { EMULATOR_DATA_DIR: dataDir }
  const prefix = `script${process.pid}x`
  const emails = [await registerUser(new Client(app), `${prefix}0@example.com`), await registerUser(new Client(app), `${prefix}1@example.com`)]
  const user = new Client(app)
  const email = await signedIn(user, `${prefix}2@example.com`)
  emails.push(email)

  const added = await admin(['add-to-group', email, 'admin'], env)
  t.equal(added.code, 0, added.err)
  const listed = await admin(['list-users', prefix.toUpperCase(), '--page-size', '2'], env)
  t.equal(listed.code, 0, listed.err)
  const lines = listed.out.split('\n')
  t.same(lines.map((line) => line.split('\t')[0]).sort(), emails, 'every user of the prefix, across pages of two')
  t.match(lines.find((line) => line.startsWith(email)), /\tCONFIRMED\tenabled\tadmin\t\d{4}-/, 'status, enabled, groups, created')
  t.equal((await admin(['list-users', 'nobody-at-all'], env)).out, 'no users')
  t.equal((await admin(['list-users', '--page-size', '61'], env)).code, 2, 'a page larger than Cognito\'s is a usage error')
  t.equal((await user.gql(REFRESH)).errors, undefined)
  t.same((await user.gql(ME)).data?.me.groups, ['admin'], 'the group is in the tokens of the next refresh')

  // Another browser: `user` refreshed a moment ago, and a refresh is reused for 30 s on this instance.
  const old = new Client(app)
  await old.gql(SIGN_IN, { email, password: PASSWORD })
  const disabled = await admin(['disable', email], env)
  t.equal(disabled.code, 0, disabled.err)
  t.match(disabled.out, /disabled .* ended their sessions[\s\S]*note: REDIS_URL is not set/, 'says how far it reached')
  failsWith(t, await old.clone().gql(REFRESH), 'UNAUTHENTICATED')
  t.equal((await old.clone().gql(ME)).data?.me.email, email, 'without Redis the access token the server verified lives on (the documented limit)')
  failsWith(t, await new Client(app).gql(SIGN_IN, { email, password: PASSWORD }), 'INVALID_CREDENTIALS')
  t.equal((await admin(['enable', email], env)).code, 0)
  t.equal((await new Client(app).gql(SIGN_IN, { email, password: PASSWORD })).data?.signIn.__typename, 'Session', 'enabled again')

  const reset = await admin(['reset-password', email], env)
  t.equal(reset.code, 0, reset.err)
  failsWith(t, await new Client(app).gql(SIGN_IN, { email, password: PASSWORD }), 'PASSWORD_RESET_REQUIRED')
  const again = new Client(app)
  t.same((await again.gql(CONFIRM_FORGOT, { email, code: await again.code(email), p: 'Scripted-Horse-3' })).data, { confirmForgotPassword: true })
  t.equal((await again.gql(SIGN_IN, { email, password: 'Scripted-Horse-3' })).data?.signIn.__typename, 'Session')

  const signedOut = await admin(['sign-out', email], env)
  t.equal(signedOut.code, 0, signedOut.err)
  failsWith(t, await again.clone().gql(REFRESH), 'UNAUTHENTICATED')
  const unknown = await admin(['reset-password', newEmail('nobody')], env)
  t.equal(unknown.code, 1)
  t.match(unknown.err, /^reset-password failed: UserNotFoundException/)
})

t.test('npm run admin with the server\'s Redis: sign-out and disable end a running server\'s sessions at once', { skip: !hasRedis && 'redis-server is not installed' }, async (t) => {
  const dataDir = t.testdir()
  const { url: redisUrl } = await startRedis(t)
  const app = await build(t, { env: { ...RELAXED_LIMITS, EMULATOR_DATA_DIR: dataDir, REDIS_URL: redisUrl } })
  const env = { EMULATOR_DATA_DIR: dataDir, REDIS_URL: redisUrl }

  const user = new Client(app)
  const email = await signedIn(user)
  t.equal((await user.gql(REFRESH)).errors, undefined, 'a refresh: the server reuses it for 30 s')
  const added = await admin(['add-to-group', email, 'admin'], env)
  t.equal(added.code, 0, added.err)
  t.same((await user.gql(ME)).data?.me.groups, [], 'the tokens in hand are as they were')
  const repeated = user.clone()
  await repeated.gql(REFRESH)
  t.same((await repeated.gql(ME)).data?.me.groups, ['admin'], 'a refresh repeated at once carries the group the script added')

  const old = user.clone()
  const signedOut = await admin(['sign-out', email], env)
  t.equal(signedOut.code, 0, signedOut.err)
  t.notMatch(signedOut.out, /note:/, 'no caveat: the sessions ended at once')
  t.same((await old.clone().gql(ME)).data, { me: null }, 'the access token the server verified is void at once')
  failsWith(t, await old.clone().gql(REFRESH), 'UNAUTHENTICATED')
  t.equal((await app.inject({ method: 'GET', url: '/session', headers: { cookie: old.cookieHeader() } })).statusCode, 401)

  const back = new Client(app)
  t.equal((await back.gql(SIGN_IN, { email, password: PASSWORD })).data?.signIn.__typename, 'Session', 'a new sign-in after the script works')
  t.equal((await back.gql(ME)).data?.me.email, email)
  const disabled = await admin(['disable', email], env)
  t.equal(disabled.code, 0, disabled.err)
  t.same((await back.gql(ME)).data, { me: null }, 'disable through the script ends it at once too')
})
