// N12: sessions beyond a user's 50 newest were neither listed nor revocable, yet stayed signed in.
// Now a sign-in past the bound ends the oldest session: its cookies get no session, not even by a
// refresh, and every session the user holds is one they can see and end.
import t from 'tap'
import { MAX_SESSIONS_PER_USER } from '../../src/plugins/app/session-registry.ts'
import { RELAXED_LIMITS } from '../challenge-helpers.ts'
import { build, Client, ME, PASSWORD, REFRESH, SIGN_IN, signedIn } from '../helper.ts'

const SESSIONS = '{ sessions { id current } }'

t.test('a sign-in past the bound ends the oldest session, which nothing brings back', async (t) => {
  const app = await build(t, { env: { ...RELAXED_LIMITS, RATE_LIMITS: JSON.stringify({ ...JSON.parse(RELAXED_LIMITS.RATE_LIMITS), 'signIn.account': { max: 1000 } }) } })
  const oldest = new Client(app)
  const email = await signedIn(oldest)
  const oldestId = ((await oldest.gql(SESSIONS)).data?.sessions as Array<{ id: string, current: boolean }>).find((s) => s.current)?.id
  const browsers = [oldest]
  for (let n = 1; n < MAX_SESSIONS_PER_USER; n++) {
    const browser = new Client(app)
    await browser.gql(SIGN_IN, { email, password: PASSWORD })
    browsers.push(browser)
  }
  t.equal((await oldest.gql(SESSIONS)).data?.sessions.length, MAX_SESSIONS_PER_USER, 'fifty sessions, all listed')
  t.not((await oldest.gql(ME)).data?.me, null, 'the oldest is still signed in at the bound')

  const newest = new Client(app)
  t.equal((await newest.gql(SIGN_IN, { email, password: PASSWORD })).data?.signIn?.__typename, 'Session', 'one more sign-in')
  const listed = (await newest.gql(SESSIONS)).data?.sessions as Array<{ id: string }>
  t.equal(listed.length, MAX_SESSIONS_PER_USER, 'still fifty listed')
  t.notOk(listed.some((s) => s.id === oldestId), 'the oldest is not among them')
  t.same((await oldest.clone().gql(ME)).data, { me: null }, "the oldest session's cookies get no session")
  t.same((await oldest.clone().gql(REFRESH)).codes, ['UNAUTHENTICATED'], 'and cannot be refreshed back')
  t.not((await browsers[1]?.gql(ME))?.data?.me, null, 'the second oldest lives on')
})
