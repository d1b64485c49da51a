// Two instances on one redis-server share the CAPTCHA's failure counts and its spent tokens.
import t from 'tap'
import { Client, newEmail } from '../helper.ts'
import { hasRedis, startRedis, twoInstances } from '../redis-server.ts'
import { siteverify, token, TURNSTILE } from './siteverify.ts'

const SIGN_IN = 'mutation ($input: SignInInput!) { signIn(input: $input) { __typename } }'
const RELAXED = JSON.stringify({ 'signIn.address': { max: 1000 }, 'signIn.email': { max: 1000 }, 'signIn.account': { max: 1000 } })

t.test('two instances share the failure counts and the spent tokens', { skip: !hasRedis && 'redis-server is not installed' }, async (t) => {
  const verify = await siteverify(t)
  const { a, b } = await twoInstances(t, { REDIS_URL: (await startRedis(t)).url, RATE_LIMITS: RELAXED, ...TURNSTILE, CAPTCHA_VERIFY_URL: verify.url })
  const email = newEmail('shared')
  const attempt = async (app: typeof a, captchaToken?: string) =>
    (await new Client(app).gql(SIGN_IN, { input: { email, password: 'Wrong-Guess-1', captchaToken } })).codes
  for (const app of [a, b, a]) t.same(await attempt(app), ['INVALID_CREDENTIALS'])
  t.same(await attempt(b), ['CAPTCHA_REQUIRED'], 'three failures over both instances: the next attempt, on B, needs a token')
  t.same(await attempt(a), ['CAPTCHA_REQUIRED'], 'and on A')
  const good = token()
  t.same(await attempt(a, good), ['INVALID_CREDENTIALS'], 'a valid token passes on A')
  t.same(await attempt(b, good), ['CAPTCHA_REQUIRED'], 'the token spent on A is refused on B')
  t.equal(verify.requests.length, 1, 'B did not ask the provider about the spent token')
})
