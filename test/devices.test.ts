import t from 'tap'
import { build, Client, PASSWORD, SIGN_IN, SIGN_OUT, signedIn } from './helper.ts'

const deviceCookie = (client: Client) => [...client.jar.keys()].find((name) => name.endsWith('device'))
const wrong = async (client: Client, email: string) => (await client.gql(SIGN_IN, { email, password: 'Wrong-Password-1' })).codes

t.test('a known device dies with a global sign-out (password changes and resets end sessions through the same mark)', async (t) => {
  // Three failures per email from unknown devices; the address limit out of the way.
  const app = await build(t, { env: { RATE_LIMITS: JSON.stringify({ 'signIn.address': { max: 1000 }, 'signIn.email': { max: 3 } }) } })
  const owner = new Client(app)
  const email = await signedIn(owner)
  t.ok(deviceCookie(owner), 'a sign-in makes the browser a known device')
  const stranger = new Client(app)
  for (let n = 0; n < 3; n++) t.same(await wrong(stranger, email), ['INVALID_CREDENTIALS'])
  t.same(await wrong(stranger, email), ['TOO_MANY_REQUESTS'], 'the stranger is stopped')
  t.same(await wrong(owner, email), ['INVALID_CREDENTIALS'], 'the owner\'s device has a bucket of its own')

  t.equal((await owner.gql(SIGN_OUT, { everywhere: true })).data?.signOut, true, 'the owner signs out everywhere')
  t.ok(deviceCookie(owner), 'the browser keeps its device cookie')
  t.same(await wrong(owner, email), ['TOO_MANY_REQUESTS'], 'the device is no longer known: its attempts count as a stranger\'s')
})

t.test('an account has a bounded number of known devices', async (t) => {
  const app = await build(t, { env: { RATE_LIMITS: JSON.stringify({ 'signIn.address': { max: 1000 }, 'device.email': { max: 3 } }) } })
  const email = await signedIn(new Client(app))
  const minted: boolean[] = []
  for (let n = 0; n < 4; n++) {
    const browser = new Client(app)
    t.equal((await browser.gql(SIGN_IN, { email, password: PASSWORD })).data?.signIn?.__typename, 'Session')
    minted.push(deviceCookie(browser) !== undefined)
  }
  t.same(minted, [true, true, false, false], 'the first sign-in and two more made devices; later browsers are not made known devices')
  const again = new Client(app)
  t.equal((await again.gql(SIGN_IN, { email, password: PASSWORD })).data?.signIn?.__typename, 'Session', 'signing in still works')
})

t.test('failures over every known device add up to an account-wide ceiling', async (t) => {
  const app = await build(t, { env: { RATE_LIMITS: JSON.stringify({ 'signIn.address': { max: 1000 }, 'signIn.account': { max: 5 } }) } })
  const email = await signedIn(new Client(app))
  const devices: Client[] = []
  for (let n = 0; n < 3; n++) {
    const browser = new Client(app)
    await browser.gql(SIGN_IN, { email, password: PASSWORD })
    t.ok(deviceCookie(browser), `device ${n + 1}`)
    devices.push(browser)
  }
  const answers: string[] = []
  for (let n = 0; n < 6; n++) answers.push(...await wrong(devices[n % 3] as Client, email))
  t.same(answers, ['INVALID_CREDENTIALS', 'INVALID_CREDENTIALS', 'INVALID_CREDENTIALS', 'INVALID_CREDENTIALS', 'INVALID_CREDENTIALS', 'TOO_MANY_REQUESTS'], 'the sixth failure over three devices is refused')
})
