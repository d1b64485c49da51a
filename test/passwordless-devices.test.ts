// Remembered devices and the sign-ins without a password, through GraphQL on a pool that tracks
// devices: an emailed code, a passkey and the pool's choice (SELECT_CHALLENGE) send this browser's
// device key, so the browser stays one device (its last sign-in moves on) instead of becoming a new
// one at each sign-in; a fresh browser's device is confirmed whatever the method; a device Cognito
// forgot is dropped without an error.
import { setTimeout as sleep } from 'node:timers/promises'
import t, { type Test } from 'tap'
import { AdminUpdateUserAttributesCommand } from '@aws-sdk/client-cognito-identity-provider'
import { SoftAuthenticator } from './dev/soft-authenticator.ts'
import { failsWith, RESPOND } from './challenge-helpers.ts'
import { quizTriggers } from './custom-triggers.ts'
import { type Client, PASSWORD, SIGN_OUT } from './helper.ts'
import { poolServer } from './pool-server.ts'

const FLOWS: Array<'ALLOW_USER_AUTH' | 'ALLOW_USER_SRP_AUTH' | 'ALLOW_CUSTOM_AUTH' | 'ALLOW_REFRESH_TOKEN_AUTH'> = ['ALLOW_USER_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']
const FIREFOX = { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0' }
const SIGN_IN = `mutation ($input: SignInInput!) { signIn(input: $input) {
  __typename ... on Challenge { name availableMethods publicKeyOptions } } }`
const DEVICES = '{ devices { id remembered current lastSignInAt } }'
const FORGET = 'mutation ($id: ID) { forgetDevice(input: { id: $id }) }'
const START_PASSKEY = 'mutation { startPasskeyRegistration { publicKeyOptions } }'
const FINISH_PASSKEY = 'mutation ($credential: String!) { finishPasskeyRegistration(input: { credential: $credential }) { id } }'

// Cognito's dates are whole seconds: sign-ins a second apart tell their last sign-in apart.
interface ListedDevice { id: string, remembered: boolean, current: boolean, lastSignInAt: string }

/** A server on a pool that remembers every device and signs in with codes and passkeys, and a user whose email is verified, signed in once in `first`. */
async function passwordlessPool (t: Test, triggers?: string) {
  const server = await poolServer(t, { triggers, flows: FLOWS, devices: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: false } })
  const email = await server.user('passwordless-devices')
  await server.cognito.send(new AdminUpdateUserAttributesCommand({ UserPoolId: server.emulator.userPoolId, Username: email, UserAttributes: [{ Name: 'email_verified', Value: 'true' }] }))
  const first = server.browser()
  t.equal((await first.gql(SIGN_IN, { input: { email, password: PASSWORD } }, FIREFOX)).data?.signIn?.__typename, 'Session', 'signed in with the password')
  const devices = async (browser: Client): Promise<ListedDevice[]> => (await browser.gql(DEVICES)).data?.devices ?? []
  /** Signs in with an emailed code; `method` undefined: the pool's choice first, then the emailed code. */
  const withCode = async (browser: Client, method?: 'EMAIL_CODE'): Promise<string | undefined> => {
    const start = await browser.gql(SIGN_IN, { input: { email, method } }, FIREFOX)
    if (method === undefined) {
      t.equal(start.data?.signIn?.name, 'SELECT_CHALLENGE', 'the pool\'s choice')
      t.ok(start.data?.signIn?.availableMethods?.includes('EMAIL_CODE'))
      t.equal((await browser.gql(RESPOND, { input: { name: 'SELECT_CHALLENGE', method: 'EMAIL_CODE' } }, FIREFOX)).data?.respondToChallenge?.name, 'EMAIL_OTP')
    } else {
      t.equal(start.data?.signIn?.name, 'EMAIL_OTP', 'a code is emailed')
    }
    const done = await browser.gql(RESPOND, { input: { name: 'EMAIL_OTP', code: await browser.code(email) } }, FIREFOX)
    return done.data?.respondToChallenge?.__typename
  }
  return { ...server, email, first, devices, withCode }
}

t.test('an emailed code and the pool\'s choice sign a remembered browser in as the same device, its last sign-in moved on', async (t) => {
  const { first, devices, withCode, proxy } = await passwordlessPool(t)
  const mine = (await devices(first))[0] as ListedDevice
  t.match(mine, { remembered: true, current: true }, 'the password sign-in confirmed and remembered this browser')
  await first.gql(SIGN_OUT)
  await sleep(1_100)

  const proofs = proxy.count('RespondToAuthChallenge')
  t.equal(await withCode(first, 'EMAIL_CODE'), 'Session', 'signed in with the emailed code')
  t.ok(proxy.count('RespondToAuthChallenge') - proofs >= 3, 'the code, then the device\'s proof (DEVICE_SRP_AUTH, DEVICE_PASSWORD_VERIFIER)')
  const after = await devices(first) as [ListedDevice]
  t.equal(after.length, 1, 'still one device: the browser was recognised, no new device made')
  t.match(after[0], { id: mine.id, current: true, remembered: true })
  t.ok(Date.parse(after[0].lastSignInAt) > Date.parse(mine.lastSignInAt), 'its last sign-in is this one')

  await first.gql(SIGN_OUT)
  await sleep(1_100)
  t.equal(await withCode(first), 'Session', 'signed in through SELECT_CHALLENGE and the emailed code')
  const chosen = await devices(first) as [ListedDevice]
  t.equal(chosen.length, 1, 'the same device again')
  t.match(chosen[0], { id: mine.id, current: true })
  t.ok(Date.parse(chosen[0].lastSignInAt) > Date.parse(after[0].lastSignInAt), 'its last sign-in moved on')
})

t.test('a fresh browser\'s device is confirmed whatever the method; a device Cognito forgot is dropped, never an error', async (t) => {
  const { first, browser, devices, withCode, emulator, email } = await passwordlessPool(t)
  const fresh = browser()
  t.equal(await withCode(fresh, 'EMAIL_CODE'), 'Session')
  const listed = await devices(fresh)
  t.equal(listed.length, 2, 'the code\'s sign-in confirmed the fresh browser as a device')
  t.match(listed.find((d) => d.current), { remembered: true }, 'remembered, as the pool says')

  const mine = (await devices(first)).find((d) => d.current)?.id
  t.equal((await fresh.gql(FORGET, { id: mine })).data?.forgetDevice, true, 'the first browser forgotten from the fresh one')
  await first.gql(SIGN_OUT)
  const mailed = emulator.mailbox.list(email).length
  t.equal(await withCode(first, 'EMAIL_CODE'), 'Session', 'the forgotten device\'s browser signs in with a code, no error')
  t.equal(emulator.mailbox.list(email).length, mailed + 1, 'one code sent: the start made again without the forgotten key sent no second one')
  const now = await devices(first)
  t.equal(now.length, 2, 'with a new device in place of the forgotten one')
  t.not(now.find((d) => d.current)?.id, mine)
  await first.gql(SIGN_OUT)
  t.equal(await withCode(first, 'EMAIL_CODE'), 'Session')
  t.equal((await devices(first)).length, 2, 'and that one is recognised from then on')
})

t.test('a passkey signs a remembered browser in as the same device', async (t) => {
  const { first, devices, email } = await passwordlessPool(t)
  const authenticator = new SoftAuthenticator()
  const options = JSON.parse((await first.gql(START_PASSKEY)).data?.startPasskeyRegistration?.publicKeyOptions as string)
  t.equal((await first.gql(FINISH_PASSKEY, { credential: JSON.stringify(authenticator.register(options)) })).errors, undefined, 'a passkey registered')
  const mine = (await devices(first))[0] as ListedDevice
  await first.gql(SIGN_OUT)
  await sleep(1_100)

  const start = await first.gql(SIGN_IN, { input: { email, method: 'PASSKEY' } }, FIREFOX)
  t.equal(start.data?.signIn?.name, 'WEB_AUTHN')
  const challenge = (JSON.parse(start.data?.signIn?.publicKeyOptions as string) as { challenge: string }).challenge
  const done = await first.gql(RESPOND, { input: { name: 'WEB_AUTHN', credential: JSON.stringify(authenticator.sign(challenge)) } }, FIREFOX)
  t.equal(done.data?.respondToChallenge?.__typename, 'Session', 'signed in with the passkey')
  const after = await devices(first) as [ListedDevice]
  t.equal(after.length, 1, 'no new device')
  t.match(after[0], { id: mine.id, current: true })
  t.ok(Date.parse(after[0].lastSignInAt) > Date.parse(mine.lastSignInAt), 'its last sign-in is the passkey\'s')

  // A copied device cookie does not stand in for the passkey: a wrong signature is refused.
  const thief = first.clone()
  await thief.gql(SIGN_OUT)
  const again = await thief.gql(SIGN_IN, { input: { email, method: 'PASSKEY' } }, FIREFOX)
  t.equal(again.data?.signIn?.name, 'WEB_AUTHN')
  failsWith(t, await thief.gql(RESPOND, { input: { name: 'WEB_AUTHN', credential: JSON.stringify(new SoftAuthenticator().sign('AAAA')) } }), 'INVALID_CREDENTIALS')
})

t.test('a custom challenge signs a remembered browser in as the same device', async (t) => {
  const { first, devices, email } = await passwordlessPool(t, await quizTriggers())
  const mine = (await devices(first))[0] as ListedDevice
  await first.gql(SIGN_OUT)
  await sleep(1_100)
  const start = await first.gql('mutation ($email: String!) { signIn(input: { email: $email, method: CUSTOM }) { ... on Challenge { name parameters } } }', { email }, FIREFOX)
  t.same(start.data?.signIn, { name: 'CUSTOM_CHALLENGE', parameters: JSON.stringify({ question: 'What colour is the sky? (1)' }) })
  const done = await first.gql('mutation { respondToChallenge(input: { name: CUSTOM_CHALLENGE, answer: "blue" }) { __typename } }', {}, FIREFOX)
  t.equal(done.data?.respondToChallenge?.__typename, 'Session', 'the right answer, then the device\'s proof')
  const after = await devices(first) as [ListedDevice]
  t.equal(after.length, 1, 'no new device')
  t.match(after[0], { id: mine.id, current: true })
  t.ok(Date.parse(after[0].lastSignInAt) > Date.parse(mine.lastSignInAt), 'its last sign-in is the custom challenge\'s')
})
