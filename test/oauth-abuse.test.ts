// Federated sign-in's routes under abuse, with the server's Redis to see what they store: both
// routes are limited per address before anything is stored, and a callback without a code claims
// nothing; a state is claimed once, apart from the revocations every instance mirrors.
import { Redis } from 'ioredis'
import t, { type Test } from 'tap'
import { CALLBACK, buildFederated, PUBLIC_ORIGIN } from './oauth-helpers.ts'
import { newEmail } from './helper.ts'
import { hasRedis, startRedis } from './redis-server.ts'

const START = `${PUBLIC_ORIGIN}/auth/oauth/DevIdP?redirect=/spa/`
const skip = !hasRedis && 'redis-server is not installed'

/** The app on the emulator's managed login, its Redis, and a connection to look at what it stores. */
async function federatedOnRedis (t: Test, limits: Record<string, { max: number }> = {}) {
  const redis = await startRedis(t)
  const federated = await buildFederated(t, { env: { REDIS_URL: redis.url, RATE_LIMITS: JSON.stringify({ 'signIn.address': { max: 1000 }, ...limits }) } })
  const look = new Redis(redis.url)
  look.on('error', () => {})
  t.teardown(() => look.disconnect())
  return { ...federated, claims: async () => await look.keys('*oauth-state*') }
}

t.test('a callback without a code claims nothing; a sign-in claims its state once, outside what instances mirror', { skip }, async (t) => {
  const { browser, claims } = await federatedOnRedis(t)
  for (const error of ['access_denied', 'server_error', 'invalid_request']) {
    const attacker = browser()
    const state = new URL((await attacker.request(START)).location as string).searchParams.get('state') as string
    const back = await attacker.request(`${CALLBACK}?error=${error}&state=${state}`)
    t.match(back.location, /\/spa\/\?error=(PROVIDER_ERROR|SERVICE_UNAVAILABLE)$/, `error=${error}: refused`)
  }
  const noCode = browser()
  const state = new URL((await noCode.request(START)).location as string).searchParams.get('state') as string
  t.match((await noCode.request(`${CALLBACK}?state=${state}`)).location, /error=PROVIDER_ERROR/, 'no code: refused')
  t.same(await claims(), [], 'none of them stored anything')

  const user = browser()
  const done = await user.signIn(newEmail('federated'))
  t.equal(done.location, '/spa/', 'a sign-in with a code')
  const stored = await claims()
  t.equal(stored.length, 1, 'claims its state')
  t.match(stored[0], /^auth-claim:/, 'as a one-time claim, not among the revocations every instance loads')
})

t.test('both routes are limited per address (oauth.address) before anything is stored', { skip }, async (t) => {
  const { browser, claims } = await federatedOnRedis(t, { 'oauth.address': { max: 3 } })
  const late = browser()
  const atCallback = await late.signInAtDevIdp(newEmail('late'))
  t.match(atCallback.location, /^http:\/\/localhost:3999\/auth\/oauth\/callback\?code=/, 'a sign-in reached the callback with a code (start 1 of 3)')
  for (let i = 2; i <= 3; i++) {
    const started = await browser().request(START)
    t.match(started.location, /\/oauth2\/authorize\?/, `start ${i} of 3: to the managed login`)
  }
  const refused = browser()
  const fourth = await refused.request(START)
  t.equal(fourth.location, '/spa/?error=TOO_MANY_REQUESTS', 'the fourth start from the address: refused')
  t.same([...refused.client.jar.keys()], [], 'with no state cookie')

  const back = await late.request(atCallback.location as string)
  t.equal(back.location, '/spa/?error=TOO_MANY_REQUESTS', 'the callback with a code, over the limit: refused')
  t.same(await claims(), [], 'before its state was claimed or its code redeemed')
})
