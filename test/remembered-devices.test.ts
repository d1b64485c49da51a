// Remembered devices through GraphQL, in pools whose DeviceConfiguration is set through Cognito's
// API: a remembered browser skips TOTP, a fresh one is asked; forgetDevice, a sign-out everywhere
// and a password change bring the question back; a copied, tampered or another user's device
// cookie gets nothing and breaks nothing; an opt-in pool remembers only when the user asks.
import t, { type Test } from 'tap'
import { failsWith, RESPOND, SETUP_TOTP, SIGN_IN_STEP_DOC, totp, VERIFY_TOTP } from './challenge-helpers.ts'
import { CHANGE_PASSWORD, type Client, ME, PASSWORD, REFRESH, SIGN_OUT } from './helper.ts'
import { TestClock } from './dev/pool.ts'
import { poolServer, type PoolServerOptions } from './pool-server.ts'
import { AdminAddUserToGroupCommand } from '@aws-sdk/client-cognito-identity-provider'

const FLOWS: Array<'ALLOW_USER_SRP_AUTH' | 'ALLOW_REFRESH_TOKEN_AUTH'> = ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']
const FIREFOX = { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0' }
const DEVICES = '{ devices { id name remembered current createdAt lastSignInAt } }'
const REMEMBER = 'mutation ($id: ID) { rememberDevice(input: { id: $id }) { id remembered current } }'
const FORGET = 'mutation ($id: ID) { forgetDevice(input: { id: $id }) }'
const DEVICE_COOKIE = '__Host-device'
const OFFERED = 'mutation ($email: String!, $password: String!) { signIn(input: { email: $email, password: $password }) { ... on Challenge { name rememberDeviceOffered } } }'

/**
 * A server whose pool remembers devices as `optIn` says, and a user with TOTP. `freshCode` keeps
 * each TOTP code fresh: the server refuses a code used twice, and Cognito takes only the step
 * either side of now, so when all three are spent the emulator's TOTP time moves on to the next
 * step (instead of the test waiting for it).
 */
async function devicePool (t: Test, optIn: boolean, options: PoolServerOptions = {}) {
  const totpClock = new TestClock()
  const server = await poolServer(t, { flows: FLOWS, devices: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: optIn }, totpClock, ...options })
  const email = await server.user()
  const first = server.browser()
  t.equal((await first.gql(SIGN_IN_STEP_DOC, { email, password: PASSWORD }, FIREFOX)).data?.signIn?.__typename, 'Session', 'signed in before any second factor')
  const secret = (await first.gql(SETUP_TOTP, { p: PASSWORD })).data?.setupTotp?.secret as string
  const now = () => totpClock.get().getTime()
  t.equal((await first.gql(VERIFY_TOTP, { code: totp(secret, 0, now()) })).errors, undefined, 'TOTP set up')
  const used = new Set([totp(secret, 0, now())])
  /** A TOTP code not used yet (Cognito takes the step either side of now, each code once). */
  const freshCode = (): string => {
    for (;;) {
      const code = [0, 1, -1].map((steps) => totp(secret, steps, now())).find((c) => !used.has(c))
      if (code !== undefined) {
        used.add(code)
        return code
      }
      totpClock.offsetMs += 30_000
    }
  }
  /** Signs in; answers TOTP when asked (with `remember`), and says whether it was asked. */
  const signIn = async (browser: Client, remember?: boolean): Promise<{ asked: boolean, session: boolean }> => {
    const res = await browser.gql(SIGN_IN_STEP_DOC, { email, password: PASSWORD }, FIREFOX)
    if (res.data?.signIn?.__typename === 'Session') return { asked: false, session: true }
    t.equal(res.data?.signIn?.name, 'SOFTWARE_TOKEN_MFA', 'asked for TOTP')
    const answer = await browser.gql(RESPOND, { input: { name: 'SOFTWARE_TOKEN_MFA', code: freshCode(), rememberDevice: remember } }, FIREFOX)
    return { asked: true, session: answer.data?.respondToChallenge?.__typename === 'Session' }
  }
  return { ...server, email, first, secret, signIn }
}

t.test('a pool that remembers every device: the second sign-in skips TOTP, a fresh browser is asked', async (t) => {
  const { first, browser, signIn, proxy } = await devicePool(t, false)
  t.ok(first.jar.get(DEVICE_COOKIE), 'the device lives in the sealed device cookie')
  t.notMatch(first.jar.get(DEVICE_COOKIE), /_[0-9a-f]{8}-/, 'no device key in it in the clear')
  await first.gql(SIGN_OUT)
  t.same(await signIn(first), { asked: false, session: true }, 'the remembered browser skips TOTP')
  t.ok(proxy.count('RespondToAuthChallenge') >= 2, 'after proving its device (DEVICE_SRP_AUTH, DEVICE_PASSWORD_VERIFIER)')
  const refreshed = await first.gql(REFRESH)
  t.equal(refreshed.errors, undefined, 'a device-bound session refreshes (with its DEVICE_KEY)')
  t.ok(refreshed.data?.refreshSession?.expiresAt)

  const fresh = browser()
  t.same(await signIn(fresh), { asked: true, session: true }, 'a fresh browser is asked')
  const listed = await first.gql(DEVICES, {}, FIREFOX)
  t.equal(listed.data?.devices?.length, 2, 'both browsers are devices of the user')
  t.same(listed.data?.devices?.map((d: { current: boolean }) => d.current).sort(), [false, true], 'one is this browser')
  t.match(listed.data?.devices?.[0], { name: 'Firefox on Linux', remembered: true })

  t.equal((await first.gql(FORGET)).data?.forgetDevice, true, 'forgetDevice (this browser)')
  t.equal((await first.gql(DEVICES)).data?.devices?.length, 1)
  t.equal((await first.gql(FORGET, { id: 'eu-west-1_00000000-0000-0000-0000-000000000000' })).data?.forgetDevice, false, 'not one of the caller\'s: false')
  failsWith(t, await first.gql(REMEMBER), 'BAD_USER_INPUT')
  await first.gql(SIGN_OUT)
  t.same(await signIn(first), { asked: true, session: true }, 'the forgotten browser is asked again')
  await first.gql(SIGN_OUT)
  t.same(await signIn(first), { asked: false, session: true }, 'and remembered again from then on')

  t.equal((await fresh.gql(SIGN_OUT, { everywhere: true })).data?.signOut, true, 'a sign-out everywhere')
  t.equal((await first.gql(DEVICES)).data?.devices ?? null, null, 'ended this browser too')
  t.same(await signIn(first), { asked: true, session: true }, 'the question is back for every browser')
  t.equal((await first.gql(DEVICES)).data?.devices?.length, 1, 'every device was forgotten; this sign-in made a new one')
})

t.test('device cookies that do not stand: copied without the password, tampered, another user\'s', async (t) => {
  const { first, browser, signIn, email, user } = await devicePool(t, false)
  const thief = browser()
  thief.jar.set(DEVICE_COOKIE, first.jar.get(DEVICE_COOKIE) ?? '')
  const stolen = await thief.gql(SIGN_IN_STEP_DOC, { email, password: 'Wrong-Horse-99' })
  failsWith(t, stolen, 'INVALID_CREDENTIALS')
  t.same([...thief.jar.keys()], [DEVICE_COOKIE], 'no session, no challenge')

  const tampered = browser()
  const cookie = first.jar.get(DEVICE_COOKIE) ?? ''
  tampered.jar.set(DEVICE_COOKIE, cookie.slice(0, -4) + (cookie.endsWith('AAAA') ? 'BBBB' : 'AAAA'))
  t.same(await signIn(tampered), { asked: true, session: true }, 'a tampered cookie is ignored: the second factor is asked')

  const other = await user()
  const shared = browser()
  shared.jar.set(DEVICE_COOKIE, cookie)
  const res = await shared.gql(SIGN_IN_STEP_DOC, { email: other, password: PASSWORD })
  t.equal(res.data?.signIn?.__typename, 'Session', 'another user\'s device cookie is ignored, never an error')
  t.not(shared.jar.get(DEVICE_COOKIE), cookie, 'and replaced by this user\'s')
})

t.test('a device Cognito forgot (from another browser) is dropped: the second factor is asked, never an error', async (t) => {
  const { first, browser, signIn } = await devicePool(t, false)
  // This browser's cookie still names the device, which Cognito no longer knows.
  const mine = (await first.gql(DEVICES)).data?.devices?.find((d: { current: boolean }) => d.current)?.id as string
  const other2 = browser()
  t.same(await signIn(other2), { asked: true, session: true })
  t.equal((await other2.gql(FORGET, { id: mine })).data?.forgetDevice, true, 'forgotten by id from another browser')
  await first.gql(SIGN_OUT)
  t.same(await signIn(first), { asked: true, session: true }, 'a device Cognito forgot: the second factor is asked, no error')
  await first.gql(SIGN_OUT)
  t.same(await signIn(first), { asked: false, session: true }, 'and the browser got a new device')
})

t.test('an opt-in pool remembers only when asked, on the MFA answer or later', async (t) => {
  const { first, browser, signIn } = await devicePool(t, true)
  t.equal((await first.gql(DEVICES)).data?.devices?.[0]?.remembered, false, 'confirmed, not remembered')
  await first.gql(SIGN_OUT)
  t.same(await signIn(first, false), { asked: true, session: true }, 'not remembered: asked')
  await first.gql(SIGN_OUT)
  t.same(await signIn(first, true), { asked: true, session: true }, 'asked, and "remember this browser"')
  await first.gql(SIGN_OUT)
  t.same(await signIn(first), { asked: false, session: true }, 'remembered: not asked')

  const later = browser()
  t.same(await signIn(later), { asked: true, session: true })
  const remembered = await later.gql(REMEMBER)
  t.match(remembered.data?.rememberDevice, { remembered: true, current: true }, 'rememberDevice later, for this browser')
  await later.gql(SIGN_OUT)
  t.same(await signIn(later), { asked: false, session: true }, 'from then on not asked')
})

t.test('an administrator\'s sign-out forgets the user\'s devices; remembering and forgetting are audited', async (t) => {
  const { first, browser, user, cognito, emulator } = await devicePool(t, false)
  t.equal((await first.gql(FORGET)).data?.forgetDevice, true)
  const events = await first.gql('{ securityEvents { type } }')
  t.ok(events.data?.securityEvents?.some((e: { type: string }) => e.type === 'device-forgotten'), 'device-forgotten in the user\'s activity')
  t.ok(events.data?.securityEvents?.some((e: { type: string }) => e.type === 'device-remembered'), 'device-remembered (the first sign-in) too')

  const target = await user()
  const victim = browser()
  await victim.gql(SIGN_IN_STEP_DOC, { email: target, password: PASSWORD })
  t.equal((await victim.gql(DEVICES)).data?.devices?.length, 1, 'the target\'s browser is a device')
  const adminEmail = await user()
  await cognito.send(new AdminAddUserToGroupCommand({ UserPoolId: emulator.userPoolId, Username: adminEmail, GroupName: 'admin' }))
  const admin = browser()
  await admin.gql(SIGN_IN_STEP_DOC, { email: adminEmail, password: PASSWORD })
  t.equal((await admin.gql('mutation ($email: String!) { adminSignOutUser(input: { email: $email }) }', { email: target })).data?.adminSignOutUser, true)
  await victim.gql(SIGN_IN_STEP_DOC, { email: target, password: PASSWORD })
  t.equal((await victim.gql(DEVICES)).data?.devices?.length, 1, 'only the new sign-in\'s device: the old one was forgotten')
})

t.test('a password change ends sessions and devices: the old cookies (device cookie included) get nothing', async (t) => {
  const { first, email, app } = await devicePool(t, false)
  const old = first.clone()
  const changed = await first.gql(CHANGE_PASSWORD, { c: PASSWORD, n: 'Battery-Staple-42' })
  t.ok(['Session', 'Challenge'].includes(changed.data?.changePassword?.__typename), 'changed')
  t.equal((await old.gql(ME)).data?.me, null, 'me: no session')
  const route = await app.inject({ method: 'GET', url: '/session', headers: { cookie: old.cookieHeader() } })
  t.equal(route.statusCode, 401, '/session: none')
  failsWith(t, await old.gql(REFRESH), 'UNAUTHENTICATED')
  const again = await old.gql(SIGN_IN_STEP_DOC, { email, password: 'Battery-Staple-42' })
  t.equal(again.data?.signIn?.name, 'SOFTWARE_TOKEN_MFA', 'the old device cookie skips nothing')
})

t.test('the second factor\'s step says whether "remember this browser" is offered: an opt-in pool\'s does, learned without admin credentials too', async (t) => {
  const optIn = await devicePool(t, true)
  const fresh = optIn.browser()
  t.same((await fresh.gql(OFFERED, { email: optIn.email, password: PASSWORD })).data?.signIn, { name: 'SOFTWARE_TOKEN_MFA', rememberDeviceOffered: true }, 'an opt-in pool (read at start): offered')

  const always = await devicePool(t, false)
  t.same((await always.browser().gql(OFFERED, { email: always.email, password: PASSWORD })).data?.signIn, { name: 'SOFTWARE_TOKEN_MFA', rememberDeviceOffered: false }, 'a pool that remembers every device: not offered')

  // No admin credentials: the policy is learned from ConfirmDevice's answer (the first sign-in, in devicePool).
  const learned = await devicePool(t, true, { noAdmin: true })
  t.same((await learned.browser().gql(OFFERED, { email: learned.email, password: PASSWORD })).data?.signIn, { name: 'SOFTWARE_TOKEN_MFA', rememberDeviceOffered: true }, 'learned from ConfirmDevice: offered')
  const learnedAlways = await devicePool(t, false, { noAdmin: true })
  t.same((await learnedAlways.browser().gql(OFFERED, { email: learnedAlways.email, password: PASSWORD })).data?.signIn, { name: 'SOFTWARE_TOKEN_MFA', rememberDeviceOffered: false }, 'learned, every device remembered: not offered')
})

t.test('a pool that tracks no devices never offers it', async (t) => {
  const server = await poolServer(t, { flows: FLOWS })
  const email = await server.user()
  const browser = server.browser()
  await browser.gql(SIGN_IN_STEP_DOC, { email, password: PASSWORD })
  const secret = (await browser.gql(SETUP_TOTP, { p: PASSWORD })).data?.setupTotp?.secret as string
  t.equal((await browser.gql(VERIFY_TOTP, { code: totp(secret) })).errors, undefined, 'TOTP set up')
  t.same((await server.browser().gql(OFFERED, { email, password: PASSWORD })).data?.signIn, { name: 'SOFTWARE_TOKEN_MFA', rememberDeviceOffered: false })
})
