// N1: an emailed or texted code signed in past the account's second factor (TOTP, SMS or email
// MFA). Now such an account gets the code challenge's stand-in, exactly an unknown email's: no code
// sent, every code wrong, existence and MFA state hidden; the way in through SELECT_CHALLENGE too.
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { adminOf, enableSmsMfa, RELAXED_LIMITS, withTotp } from '../challenge-helpers.ts'
import { build, Client, newEmail, PASSWORD, signedIn } from '../helper.ts'

const LIMITS = { RATE_LIMITS: JSON.stringify({ ...JSON.parse(RELAXED_LIMITS.RATE_LIMITS), 'delivery.email': { max: 100 }, 'delivery.address': { max: 100 } }) }
const STEP = '__typename ... on Session { user { id mfa } } ... on Challenge { name codeDelivery { medium destination } availableMethods publicKeyOptions }'
const SIGN_IN_WITH = `mutation ($input: SignInInput!) { signIn(input: $input) { ${STEP} } }`
const RESPOND = `mutation ($input: RespondToChallengeInput!) { respondToChallenge(input: $input) { ${STEP} } }`

/** Everything the codes the emulator sent to `to` (email or phone). */
async function mailbox (app: FastifyInstance, to: string): Promise<string[]> {
  return ((await app.inject({ method: 'GET', url: `/dev/mailbox?to=${encodeURIComponent(to)}` })).json() as Array<{ code: string }>).map((m) => m.code)
}

/** Starts a code sign-in for `email` (directly, or by choosing the method in SELECT_CHALLENGE) and answers it with `code`. */
async function codeSignIn (app: FastifyInstance, email: string, method: 'EMAIL_CODE' | 'SMS_CODE', how: 'direct' | 'chosen', code: () => Promise<string>) {
  const client = new Client(app)
  let challenge = (await client.gql(SIGN_IN_WITH, { input: how === 'direct' ? { email, method } : { email } })).data?.signIn
  if (how === 'chosen') challenge = (await client.gql(RESPOND, { input: { name: 'SELECT_CHALLENGE', method } })).data?.respondToChallenge
  const answer = await client.gql(RESPOND, { input: { name: challenge?.name, code: await code() } })
  return { challenge, answer: { data: answer.data, codes: answer.codes } }
}

t.test('an account with a second factor is not signed in by an emailed or texted code: it is answered as an unknown email', async (t) => {
  const app = await build(t, { env: LIMITS })
  const admin = adminOf(t, app)
  const totp = (await withTotp(new Client(app))).email
  const emailMfa = new Client(app)
  const emailMfaAddress = await signedIn(emailMfa)
  t.same((await emailMfa.gql('mutation ($p: String!) { enableEmailMfa(input: { currentPassword: $p }) { mfa } }', { p: PASSWORD })).data?.enableEmailMfa?.mfa, ['EMAIL'])
  const sms = await signedIn(new Client(app))
  const phone = '+15550107777'
  await enableSmsMfa(admin, sms, phone)

  for (const [label, email] of Object.entries({ TOTP: totp, 'email MFA': emailMfaAddress })) {
    for (const how of ['direct', 'chosen'] as const) {
      const before = await mailbox(app, email)
      const attempt = await codeSignIn(app, email, 'EMAIL_CODE', how, async () => (await mailbox(app, email))[0] ?? '123456')
      t.same(await mailbox(app, email), before, `${label}, ${how}: no code was sent`)
      t.same(attempt.answer, { data: { respondToChallenge: null }, codes: ['CODE_MISMATCH'] }, `${label}, ${how}: the newest code in the mailbox signs nobody in`)
      const unknown = await codeSignIn(app, newEmail('nobody'), 'EMAIL_CODE', how, async () => '123456')
      t.same(attempt.challenge, { ...unknown.challenge, codeDelivery: attempt.challenge?.codeDelivery }, `${label}, ${how}: the challenge of an unknown email`)
      t.same(attempt.answer, unknown.answer, `${label}, ${how}: and its answer`)
    }
  }

  const before = await mailbox(app, phone)
  const texted = await codeSignIn(app, sms, 'SMS_CODE', 'direct', async () => (await mailbox(app, phone))[0] ?? '123456')
  t.same(await mailbox(app, phone), before, 'SMS MFA: no text was sent')
  t.same(texted.challenge, { __typename: 'Challenge', name: 'SMS_OTP', codeDelivery: { medium: 'SMS', destination: '+*******7777' }, availableMethods: null, publicKeyOptions: null }, 'SMS MFA: the challenge names the account\'s own number, masked, as a real one does')
  t.same(texted.answer.codes, ['CODE_MISMATCH'])

  // Without a second factor, the emailed code signs in as before.
  const plain = await signedIn(new Client(app))
  const signedInByCode = await codeSignIn(app, plain, 'EMAIL_CODE', 'direct', async () => (await mailbox(app, plain))[0] ?? '')
  t.equal(signedInByCode.answer.data?.respondToChallenge?.__typename, 'Session', 'an account without a second factor signs in with the emailed code')
})
