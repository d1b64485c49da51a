// N7: updateProfile(email) mailed codes to any address outside the delivery limits; N10: wrong
// verifyEmail / verifyTotp codes counted in two buckets per account (by email with cookies, by
// user id with Bearer), twenty guesses where the limit says ten. Both made as the attacks were.
import t from 'tap'
import { failsWith } from '../challenge-helpers.ts'
import { build, Client, newEmail, PASSWORD, signedIn } from '../helper.ts'

const CHANGE_EMAIL = 'mutation ($e: String!, $p: String) { updateProfile(input: { email: $e, currentPassword: $p }) { id } }'
const VERIFY_EMAIL = 'mutation ($code: String!) { verifyEmail(input: { code: $code }) { id } }'
/** Password checks out of the way: the step-up of an email change draws on them. */
const PASSWORD_CHECKS = { 'signIn.address': { max: 1000 }, 'signIn.email': { max: 1000 }, 'signIn.device': { max: 1000 }, 'signIn.account': { max: 1000 } }

t.test('N7: an email change sends within the delivery limits: 20 addresses an hour from one client, 5 codes an hour to one address', async (t) => {
  const app = await build(t, { env: { RATE_LIMITS: JSON.stringify({ ...PASSWORD_CHECKS, 'cognito.user': { max: 1000 } }) } })
  const client = new Client(app)
  await signedIn(client)
  for (let n = 1; n <= 20; n++) {
    t.same((await client.gql(CHANGE_EMAIL, { e: newEmail(`target${n}`), p: PASSWORD })).errors, undefined, `address ${n}: code sent`)
  }
  const next = newEmail('target21')
  failsWith(t, await client.gql(CHANGE_EMAIL, { e: next, p: PASSWORD }), 'TOO_MANY_REQUESTS')
  const mailbox = (await app.inject({ method: 'GET', url: `/dev/mailbox?to=${encodeURIComponent(next)}` })).json() as unknown[]
  t.same(mailbox, [], 'the 21st address got nothing')
  t.same((await client.gql('mutation { updateProfile(input: { name: "Still free" }) { name } }')).errors, undefined, 'a name change sends nothing and is not held back')
})

t.test('N7: one address gets five email-change codes an hour, whoever asks from wherever', async (t) => {
  const app = await build(t, { env: { TRUST_PROXY: '1', RATE_LIMITS: JSON.stringify(PASSWORD_CHECKS) } })
  const victim = newEmail('victim')
  for (let n = 1; n <= 6; n++) {
    const sender = new Client(app)
    await signedIn(sender)
    const res = await sender.gql(CHANGE_EMAIL, { e: victim, p: PASSWORD }, { 'x-forwarded-for': `10.0.0.${n}` })
    if (n <= 5) t.same(res.errors, undefined, `code ${n} to one address`)
    else failsWith(t, res, 'TOO_MANY_REQUESTS')
  }
})

t.test('N10: wrong verifyEmail codes count in one bucket per account, by cookies and by Bearer alike', async (t) => {
  const app = await build(t, { env: { RATE_LIMITS: JSON.stringify({ ...PASSWORD_CHECKS, 'code.address': { max: 1000 } }) } })
  const client = new Client(app)
  await signedIn(client)
  await client.gql(CHANGE_EMAIL, { e: newEmail('moving'), p: PASSWORD })
  const bearer = { authorization: `Bearer ${client.jar.get('__Host-access') as string}` }
  for (let n = 1; n <= 5; n++) failsWith(t, await client.gql(VERIFY_EMAIL, { code: '000000' }), 'CODE_MISMATCH')
  for (let n = 1; n <= 5; n++) failsWith(t, await new Client(app).gql(VERIFY_EMAIL, { code: '000000' }, bearer), 'CODE_MISMATCH')
  failsWith(t, await new Client(app).gql(VERIFY_EMAIL, { code: '000000' }, bearer), 'TOO_MANY_REQUESTS')
  failsWith(t, await client.gql(VERIFY_EMAIL, { code: '000000' }), 'TOO_MANY_REQUESTS')
})
