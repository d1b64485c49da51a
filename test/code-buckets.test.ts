import t from 'tap'
import { failsWith, RESPOND, SIGN_IN_STEP_DOC, withTotp, wrongTotp } from './challenge-helpers.ts'
import { build, Client, PASSWORD, signedIn } from './helper.ts'

/** Sign-ins out of the way; the per-account code bucket (`code.user`) at its default of ten failures. */
const LIMITS = { RATE_LIMITS: JSON.stringify({ 'signIn.address': { max: 1000 }, 'signIn.email': { max: 1000 }, 'signIn.device': { max: 1000 }, 'signIn.account': { max: 1000 }, 'code.address': { max: 1000 } }) }
const VERIFY_EMAIL = 'mutation ($code: String!) { verifyEmail(input: { code: $code }) { id } }'

t.test('wrong codes on a sign-in challenge count against the challenge\'s account, whoever else is signed in', async (t) => {
  const app = await build(t, { env: LIMITS })
  const { email: victim, secret } = await withTotp(new Client(app))
  const attacker = new Client(app)
  await signedIn(attacker)
  for (let n = 0; n < 10; n++) {
    // The attacker knows the victim's password, not the authenticator: each wrong code ends the challenge.
    const challenge = await attacker.gql(SIGN_IN_STEP_DOC, { email: victim, password: PASSWORD })
    t.equal(challenge.data?.signIn?.name, 'SOFTWARE_TOKEN_MFA')
    const res = await attacker.gql(RESPOND, { input: { name: 'SOFTWARE_TOKEN_MFA', code: wrongTotp(secret) } })
    t.same(res.codes, ['CODE_MISMATCH'], `wrong code ${n + 1}, sent beside the attacker's own session`)
  }
  const owner = new Client(app)
  const challenge = await owner.gql(SIGN_IN_STEP_DOC, { email: victim, password: PASSWORD })
  t.equal(challenge.data?.signIn?.name, 'SOFTWARE_TOKEN_MFA')
  failsWith(t, await owner.gql(RESPOND, { input: { name: 'SOFTWARE_TOKEN_MFA', code: wrongTotp(secret) } }), 'TOO_MANY_REQUESTS')
})

t.test('a Bearer caller\'s code entries count against the Bearer user, not a challenge cookie beside it', async (t) => {
  const app = await build(t, { env: LIMITS })
  const { email: victim, secret } = await withTotp(new Client(app))
  const attacker = new Client(app)
  await signedIn(attacker)
  const bearer = attacker.jar.get('__Host-access') as string
  // A challenge cookie of the victim's, and the attacker's Bearer token.
  const holder = new Client(app)
  t.equal((await holder.gql(SIGN_IN_STEP_DOC, { email: victim, password: PASSWORD })).data?.signIn?.name, 'SOFTWARE_TOKEN_MFA')
  const challengeCookie = [...holder.jar].find(([name]) => name.endsWith('challenge'))
  t.ok(challengeCookie, 'the challenge cookie')
  for (let n = 0; n < 10; n++) {
    const res = await app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}`, cookie: `${challengeCookie?.[0]}=${challengeCookie?.[1]}` },
      payload: JSON.stringify({ query: VERIFY_EMAIL, variables: { code: '000000' } })
    })
    t.notSame(res.json().errors?.[0]?.extensions?.code, 'TOO_MANY_REQUESTS', `wrong email code ${n + 1} is refused, not rate limited yet`)
  }
  const bearerNext = await new Client(app).gql(VERIFY_EMAIL, { code: '000000' }, { authorization: `Bearer ${bearer}` })
  failsWith(t, bearerNext, 'TOO_MANY_REQUESTS')
  // The victim's own budget is untouched.
  const res = await holder.gql(RESPOND, { input: { name: 'SOFTWARE_TOKEN_MFA', code: wrongTotp(secret) } })
  t.same(res.codes, ['CODE_MISMATCH'], 'the victim\'s code entries are not rate limited')
})
