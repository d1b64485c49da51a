import { setTimeout as sleep } from 'node:timers/promises'
import t from 'tap'
import { createMemoryRevocationStore, createRevocation } from '../src/plugins/app/revocation.ts'
import { RELAXED_LIMITS } from './challenge-helpers.ts'
import { build, Client, ME, PASSWORD, REFRESH, SIGN_IN, SIGN_OUT, signedIn, CHANGE_PASSWORD, FORGOT, CONFIRM_FORGOT } from './helper.ts'

/** The session of `client`'s cookies, replayed as they are: `me`, and an explicit refresh. */
async function replay (client: Client) {
  const copy = client.clone()
  const me = (await copy.gql(ME)).data?.me ?? null
  const refresh = (await client.clone().gql(REFRESH)).codes
  return { me, refresh }
}

t.test('an admission holds only against the mark it was made under', async (t) => {
  const revocation = createRevocation({ store: createMemoryRevocationStore(), maxTokenLifetimeSeconds: 3600, skewSeconds: 5 })
  const now = Math.floor(Date.now() / 1000)
  const fresh = { sub: 'u', sessionId: 'o', iat: now, exp: now + 3600 }
  await revocation.endAllSessions('u')
  await revocation.admit(fresh)
  t.notOk(await revocation.isDenied(fresh), 'admitted after the first mark')
  await revocation.endAllSessions('u')
  t.ok(await revocation.isDenied(fresh), 'a later global sign-out, even in the same second, ends the admitted session')
  const second = { ...fresh, sessionId: 'p' }
  await revocation.admit(second)
  t.notOk(await revocation.isDenied(second), 'a session started after that mark is admitted under it')
})

t.test('the session changePassword starts does not survive a later sign-out everywhere or a reset', async (t) => {
  const app = await build(t, { env: RELAXED_LIMITS })
  const attacker = new Client(app)
  const email = await signedIn(attacker)
  const changed = await attacker.gql(CHANGE_PASSWORD, { c: PASSWORD, n: 'Attacker-Pass-1' })
  t.equal(changed.data?.changePassword?.__typename, 'Session', 'the attacker changed the password and holds a new session')
  t.not((await replay(attacker)).me, null, 'which works')

  // The owner takes the account back at once (same second): reset, then sign out everywhere.
  const owner = new Client(app)
  await owner.gql(FORGOT, { email })
  const reset = await owner.gql(CONFIRM_FORGOT, { email, code: await owner.code(email), p: 'Owner-Pass-2' })
  t.equal(reset.data?.confirmForgotPassword, true, 'the owner reset the password')
  t.same(await replay(attacker), { me: null, refresh: ['UNAUTHENTICATED'] }, 'the attacker\'s session ended with the reset')

  const signIn = await owner.gql(SIGN_IN, { email, password: 'Owner-Pass-2' })
  t.equal(signIn.data?.signIn?.__typename, 'Session', 'the owner signs in within the same window')
  t.not((await replay(owner)).me, null, 'and that fresh session is admitted')
  const attacker2 = new Client(app)
  t.equal((await attacker2.gql(SIGN_IN, { email, password: 'Owner-Pass-2' })).data?.signIn?.__typename, 'Session')
  const everywhere = await owner.gql(SIGN_OUT, { everywhere: true })
  t.equal(everywhere.data?.signOut, true, 'the owner signs out everywhere')
  t.same(await replay(attacker2), { me: null, refresh: ['UNAUTHENTICATED'] }, 'a session admitted under the previous mark ends too')
})

t.test('a signed-out session does not come back through a copy holding a newer access token', async (t) => {
  const app = await build(t, { env: { ...RELAXED_LIMITS, EMULATOR_TOKEN_TTL: '4' } })
  const browser = new Client(app)
  await signedIn(browser)
  // Tokens are stamped in whole seconds: the first expires by start + 4 s, the copy's after start + 5.1 s.
  const start = Date.now()
  await sleep(2100)
  const copy = browser.clone()
  const refreshed = await copy.gql(REFRESH)
  t.equal(refreshed.errors, undefined, 'the copy refreshed: its access token expires later')
  t.not(copy.jar.get('__Host-access'), browser.jar.get('__Host-access'))

  t.equal((await browser.gql(SIGN_OUT)).data?.signOut, true, 'signed out with the older access token')
  t.equal((await copy.clone().gql(ME)).data?.me, null, 'the copy has no session')
  // Past the expiry of the access token the sign-out presented, the copy's token is still valid.
  await sleep(start + 4300 - Date.now())
  const late = copy.clone()
  late.jar.delete('__Host-refresh')
  t.equal((await late.gql(ME)).data?.me, null, 'nor once the presented token has expired')
})
