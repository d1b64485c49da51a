// N2: stand-in challenges (for an unknown email, or an account the method does not fit) could be
// told from real ones: a shorter challenge cookie, codes without the three-try limit, passkey
// options without `rpId` until a real challenge was seen, masked digits that changed with
// COOKIE_SECRET; and a pending sign-up could be replaced by an attacker's while its owner confirmed.
import t, { type Test } from 'tap'
import type { FastifyInstance } from 'fastify'
import { failsWith, RELAXED_LIMITS } from '../challenge-helpers.ts'
import { SoftAuthenticator } from '../dev/soft-authenticator.ts'
import { build, Client, CONFIRM_SIGN_UP, emulatorBehindProxy, newEmail, PASSWORD, registerUser, SIGN_IN, SIGN_UP, signedIn } from '../helper.ts'

const LIMITS = { ...JSON.parse(RELAXED_LIMITS.RATE_LIMITS), 'delivery.email': { max: 100 }, 'delivery.address': { max: 100 } }
const SIGN_IN_WITH = 'mutation ($input: SignInInput!) { signIn(input: $input) { __typename ... on Challenge { name codeDelivery { destination } publicKeyOptions } } }'
const RESPOND = 'mutation ($code: String!) { respondToChallenge(input: { name: EMAIL_OTP, code: $code }) { __typename } }'

/** An account with a passkey, registered through the API. */
async function withPasskey (app: FastifyInstance, client: Client): Promise<string> {
  const email = await signedIn(client)
  const options = JSON.parse((await client.gql('mutation { startPasskeyRegistration { publicKeyOptions } }')).data?.startPasskeyRegistration?.publicKeyOptions)
  await client.gql('mutation ($c: String!) { finishPasskeyRegistration(input: { credential: $c }) { id } }', { c: JSON.stringify(new SoftAuthenticator().register(options)) })
  return email
}

/** Starts a sign-in: the challenge answered and the length of the challenge cookie set. */
async function start (app: FastifyInstance, input: Record<string, unknown>, mailbox?: Client['mailbox']) {
  const client = new Client(app, mailbox)
  const res = await client.gql(SIGN_IN_WITH, { input })
  return { client, challenge: res.data?.signIn, cookieLength: (client.jar.get('__Host-challenge') ?? '').length }
}

/** An account signed up and never confirmed: Cognito starts no passwordless sign-in for it, the server a stand-in. */
async function unconfirmed (app: FastifyInstance): Promise<string> {
  const email = newEmail('pending')
  await new Client(app).gql(SIGN_UP, { input: { email, password: PASSWORD } })
  return email
}

t.test('a stand-in challenge cookie is exactly as long as a real one', async (t) => {
  const app = await build(t, { env: { RATE_LIMITS: JSON.stringify(LIMITS) } })
  const account = await withPasskey(app, new Client(app))
  const others = { unknown: newEmail('nobody'), unconfirmed: await unconfirmed(app), 'without a passkey': await registerUser(new Client(app)) }
  for (const input of [{ method: 'PASSKEY' }, { method: 'EMAIL_CODE' }, {}]) {
    const real = await start(app, { ...input, email: account })
    t.ok(real.cookieLength > 0, `${JSON.stringify(input)}: a challenge cookie`)
    for (const [label, email] of Object.entries(others)) {
      t.equal((await start(app, { ...input, email })).cookieLength, real.cookieLength, `${JSON.stringify(input)}: the same length for an account ${label}`)
    }
  }
})

t.test('a stand-in code challenge runs out after three wrong codes, as a real one does', async (t) => {
  const app = await build(t, { env: { RATE_LIMITS: JSON.stringify(LIMITS) } })
  const account = await registerUser(new Client(app))
  const answers: Record<string, unknown[]> = {}
  for (const [who, email] of Object.entries({ real: account, 'stand-in': await unconfirmed(app) })) {
    const { client } = await start(app, { email, method: 'EMAIL_CODE' })
    answers[who] = []
    for (let n = 0; n < 4; n++) {
      const res = await client.gql(RESPOND, { code: '000001' })
      answers[who]?.push([res.codes, client.jar.has('__Host-challenge')])
    }
  }
  t.same(answers.real, [[['CODE_MISMATCH'], true], [['CODE_MISMATCH'], true], [['CODE_MISMATCH'], true], [['CHALLENGE_EXPIRED'], false]], 'three wrong codes, then the challenge is over')
  t.same(answers['stand-in'], answers.real, 'the stand-in the same')
})

t.test('without PUBLIC_ORIGIN, a stand-in\'s passkey options are the pool\'s from the first one on', async (t) => {
  const { emulator } = await emulatorBehindProxy(t)
  const app = await build(t, {
    env: { NODE_ENV: 'production', COGNITO_USER_POOL_ID: emulator.userPoolId, COGNITO_CLIENT_ID: emulator.clientId, COGNITO_ENDPOINT: emulator.endpoint, COOKIE_SECRET: 'c'.repeat(40), PWNED_PASSWORDS: 'off', RATE_LIMITS: JSON.stringify(LIMITS) },
    jwks: emulator.jwks
  })
  t.equal(app.config.publicOrigin, undefined, 'no PUBLIC_ORIGIN')
  const options = (challenge: { publicKeyOptions?: string } | undefined) => {
    const { challenge: _random, ...rest } = JSON.parse(challenge?.publicKeyOptions ?? '{}') as Record<string, unknown>
    return rest
  }
  const withoutPasskey = await registerUser(new Client(app, emulator.mailbox))
  const first = options((await start(app, { email: withoutPasskey, method: 'PASSKEY' })).challenge)
  t.same(first, { timeout: 180000, rpId: 'localhost', userVerification: 'preferred' }, 'the first stand-in names the pool\'s relying party')
  const account = await withPasskey(app, new Client(app, emulator.mailbox))
  t.same(options((await start(app, { email: account, method: 'PASSKEY' })).challenge), first, 'a real challenge shows the same options')
})

t.test('a stand-in\'s masked phone digits stay the same when COOKIE_SECRET rotates (STAND_IN_SECRET)', async (t) => {
  const { emulator } = await emulatorBehindProxy(t)
  const env = { COGNITO_USER_POOL_ID: emulator.userPoolId, COGNITO_CLIENT_ID: emulator.clientId, COGNITO_ENDPOINT: emulator.endpoint, STAND_IN_SECRET: 's'.repeat(40), RATE_LIMITS: JSON.stringify(LIMITS) }
  const before = await build(t, { env: { ...env, COOKIE_SECRET: 'o'.repeat(40) }, jwks: emulator.jwks })
  const after = await build(t, { env: { ...env, COOKIE_SECRET: `${'n'.repeat(40)},${'o'.repeat(40)}` }, jwks: emulator.jwks })
  const email = newEmail('nobody')
  const digits = async (app: FastifyInstance) => (await start(app, { email, method: 'SMS_CODE' })).challenge?.codeDelivery?.destination
  t.match(await digits(before), /^\+\*{7}\d{4}$/)
  t.equal(await digits(after), await digits(before), 'the same made-up number after the rotation')
})

t.test('an attacker\'s sign-up over a pending one minutes old changes nothing: the owner confirms their own', async (t: Test) => {
  const app = await build(t)
  const owner = new Client(app)
  const email = newEmail('owner')
  await owner.gql(SIGN_UP, { input: { email, password: PASSWORD } })
  const attacker = new Client(app)
  t.same((await attacker.gql(SIGN_UP, { input: { email, password: 'Attacker-Horse-7' } })).errors, undefined, 'the attacker\'s sign-up is answered as any')
  t.same((await owner.gql(CONFIRM_SIGN_UP, { email, code: await owner.code(email) })).data, { confirmSignUp: true }, 'the owner confirms with the newest code they received')
  t.equal((await owner.gql(SIGN_IN, { email, password: PASSWORD })).data?.signIn?.__typename, 'Session', 'on the owner\'s password')
  failsWith(t, await attacker.gql(SIGN_IN, { email, password: 'Attacker-Horse-7' }), 'INVALID_CREDENTIALS')
})
