// N6: reading /metrics around a request must not tell what its answer hides. Before the fix, the
// sign-up's existence look-up counted "no such user" as a failed AdminGetUser (and only a new
// address led on to SignUp): one scrape before and one after a signUp told whether the address
// had an account, whatever the timing floor did.
import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { RELAXED_LIMITS } from '../challenge-helpers.ts'
import { build, Client, newEmail, PASSWORD, registerUser } from '../helper.ts'

const LIMITS = { RATE_LIMITS: JSON.stringify({ ...JSON.parse(RELAXED_LIMITS.RATE_LIMITS), 'delivery.email': { max: 100 }, 'delivery.address': { max: 100 }, 'signUp.address': { max: 100 } }) }

/** The Cognito series of a scrape that count (latency sums and buckets are the timing floor's business). */
async function cognitoCounts (app: FastifyInstance): Promise<Map<string, number>> {
  const counts = new Map<string, number>()
  for (const line of (await app.inject('/metrics')).body.split('\n')) {
    if (!line.startsWith('cognito_request_') || line.includes('_bucket') || line.includes('_sum')) continue
    const space = line.lastIndexOf(' ')
    counts.set(line.slice(0, space), Number(line.slice(space + 1)))
  }
  return counts
}

/** What one request moved in the Cognito series. */
async function moved (app: FastifyInstance, request: () => Promise<unknown>): Promise<Record<string, number>> {
  const before = await cognitoCounts(app)
  await request()
  const after = await cognitoCounts(app)
  return Object.fromEntries([...after].flatMap(([name, value]) => value !== (before.get(name) ?? 0) ? [[name, value - (before.get(name) ?? 0)]] : []))
}

t.test('signUp, forgotPassword, resendConfirmationCode and a passwordless start move /metrics alike for an unknown address and an account', async (t) => {
  const app = await build(t, { env: LIMITS })
  const client = new Client(app)
  const account = await registerUser(client)
  const unconfirmed = newEmail('pending')
  await client.gql('mutation ($i: SignUpInput!) { signUp(input: $i) { userConfirmed } }', { i: { email: unconfirmed, password: PASSWORD } })
  const operations: Record<string, (email: string) => Promise<unknown>> = {
    signUp: async (email) => await new Client(app).gql('mutation ($i: SignUpInput!) { signUp(input: $i) { userConfirmed } }', { i: { email, password: PASSWORD } }),
    forgotPassword: async (email) => await new Client(app).gql('mutation ($e: String!) { forgotPassword(input: { email: $e }) { destination } }', { e: email }),
    resendConfirmationCode: async (email) => await new Client(app).gql('mutation ($e: String!) { resendConfirmationCode(input: { email: $e }) { destination } }', { e: email }),
    'signIn EMAIL_CODE': async (email) => await new Client(app).gql('mutation ($e: String!) { signIn(input: { email: $e, method: EMAIL_CODE }) { __typename } }', { e: email })
  }
  for (const [name, operation] of Object.entries(operations)) {
    const unknown = await moved(app, async () => await operation(newEmail('nobody')))
    t.same(await moved(app, async () => await operation(account)), unknown, `${name}: a confirmed account moves the metrics as an unknown address does`)
    if (name !== 'signUp') t.same(await moved(app, async () => await operation(unconfirmed)), unknown, `${name}: so does an unconfirmed one`)
    t.notOk(Object.keys(unknown).some((series) => series.startsWith('cognito_request_failures_total')), `${name}: nothing counted as a failure`)
  }
  t.same(await moved(app, async () => await operations.signUp?.(newEmail('fresh'))), { 'cognito_request_duration_seconds_count{operation="signUp",outcome="success"}': 1 }, 'a sign-up is one observation, under its own name')
})
