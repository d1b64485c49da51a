// Passkeys through GraphQL with a cookie jar against the embedded emulator: registering (behind a
// recent sign-in), listing, removing, and signing in with one, with a software authenticator that
// makes real signatures (test/dev/soft-authenticator.ts).
import t, { type Test } from 'tap'
import { setTimeout as sleep } from 'node:timers/promises'
import type { FastifyInstance } from 'fastify'
import type { AuditEvent } from '../src/plugins/app/audit.ts'
import { SoftAuthenticator } from './dev/soft-authenticator.ts'
import { cookieNames, failsWith, RELAXED_LIMITS } from './challenge-helpers.ts'
import { build, Client, ME, newEmail, PASSWORD, REFRESH, registerUser, SIGN_UP, signedIn } from './helper.ts'

const STEP = `
  __typename
  ... on Session { user { id email } }
  ... on Challenge { name codeDelivery { medium destination } availableMethods publicKeyOptions }
`
const SIGN_IN_WITH = `mutation ($input: SignInInput!) { signIn(input: $input) { ${STEP} } }`
const RESPOND = `mutation ($input: RespondToChallengeInput!) { respondToChallenge(input: $input) { ${STEP} } }`
const START = 'mutation { startPasskeyRegistration { publicKeyOptions } }'
const FINISH = 'mutation ($credential: String!, $name: String) { finishPasskeyRegistration(input: { credential: $credential, name: $name }) { id name createdAt } }'
const DELETE = 'mutation ($id: ID!) { deletePasskey(input: { id: $id }) }'
const PASSKEYS = '{ me { passkeys { id name createdAt } } }'

/** Registers a passkey of `authenticator` for the signed-in client; returns the Passkey answered. */
async function register (t: Test, client: Client, authenticator: SoftAuthenticator): Promise<Record<string, string>> {
  const start = await client.gql(START)
  const options = JSON.parse(start.data?.startPasskeyRegistration?.publicKeyOptions as string)
  const finish = await client.gql(FINISH, { credential: JSON.stringify(authenticator.register(options)) })
  t.same(finish.errors, undefined, 'registered')
  return finish.data?.finishPasskeyRegistration
}

/** Starts a passkey sign-in: the publicKeyOptions, parsed. */
async function startPasskey (client: Client, email: string): Promise<{ challenge: string, rpId?: string, allowCredentials?: unknown, [k: string]: unknown }> {
  const start = await client.gql(SIGN_IN_WITH, { input: { email, method: 'PASSKEY' } })
  if (start.data?.signIn?.name !== 'WEB_AUTHN') throw new Error(`no WEB_AUTHN challenge: ${JSON.stringify(start.errors ?? start.data)}`)
  return JSON.parse(start.data.signIn.publicKeyOptions)
}

const answer = (client: Client, credential: unknown) => client.gql(RESPOND, { input: { name: 'WEB_AUTHN', credential: JSON.stringify(credential) } })

/** A user signed in with a registered passkey. */
async function withPasskey (t: Test, app: FastifyInstance) {
  const client = new Client(app)
  const email = await signedIn(client)
  const authenticator = new SoftAuthenticator()
  const passkey = await register(t, client, authenticator)
  return { client, email, authenticator, passkey }
}

t.test('a passkey is registered, listed, signs in, and once removed signs in no more; a malformed id is BAD_USER_INPUT', async (t) => {
  const app = await build(t, { env: RELAXED_LIMITS })
  const events: AuditEvent[] = []
  app.audit.on('event', (e: AuditEvent) => events.push(e))
  const { client, email, authenticator, passkey } = await withPasskey(t, app)
  t.equal(passkey.id, authenticator.id, 'the passkey is the credential the browser made')
  t.ok(Date.parse(passkey.createdAt ?? '') > Date.now() - 60_000, 'created just now')
  t.same((await client.gql(PASSKEYS)).data?.me?.passkeys, [passkey], 'me lists it')

  const browser = new Client(app)
  const options = await startPasskey(browser, email)
  t.equal(options.allowCredentials, undefined, 'the options name no credential')
  t.equal(options.rpId, 'localhost')
  const done = await answer(browser, authenticator.sign(options.challenge))
  t.equal(done.data?.respondToChallenge?.__typename, 'Session')
  t.equal((await browser.gql(ME)).data?.me?.email, email, 'signed in with the passkey')

  t.equal((await client.gql(DELETE, { id: passkey.id })).data?.deletePasskey, true)
  t.same((await client.gql(PASSKEYS)).data?.me?.passkeys, [], 'gone from the list')
  t.equal((await client.gql(DELETE, { id: passkey.id })).data?.deletePasskey, false, 'removing it again: false')
  failsWith(t, await client.gql(DELETE, { id: ' ' }), 'BAD_USER_INPUT', /passkey id/)
  const after = new Client(app)
  const again = await startPasskey(after, email)
  failsWith(t, await answer(after, authenticator.sign(again.challenge)), 'INVALID_CREDENTIALS')

  t.same(events.filter((e) => e.event.startsWith('passkey-')).map((e) => [e.event, e.outcome]), [['passkey-added', 'success'], ['passkey-removed', 'success'], ['passkey-removed', 'success'], ['passkey-removed', 'failure']])
  t.same(events.filter((e) => e.event === 'sign-in' && e.method === 'PASSKEY').map((e) => e.outcome), ['challenge', 'success', 'challenge', 'failure'])
})

t.test('assertions refused: replayed, signed for another origin (another localhost port included) or relying party, for another user\'s challenge, by an unknown key; a refusal ends the challenge', async (t) => {
  const app = await build(t, { env: RELAXED_LIMITS })
  const { email, authenticator } = await withPasskey(t, app)
  const other = await withPasskey(t, app)

  const first = new Client(app)
  const signed = authenticator.sign((await startPasskey(first, email)).challenge)
  t.equal((await answer(first, signed)).data?.respondToChallenge?.__typename, 'Session')
  const replay = new Client(app)
  await startPasskey(replay, email)
  failsWith(t, await answer(replay, signed), 'INVALID_CREDENTIALS', /Incorrect/)
  failsWith(t, await answer(replay, authenticator.sign('x')), 'CHALLENGE_EXPIRED', undefined)

  const elsewhere = new Client(app)
  failsWith(t, await answer(elsewhere, authenticator.sign((await startPasskey(elsewhere, email)).challenge, { origin: 'https://evil.example' })), 'INVALID_CREDENTIALS')
  // A page of another local server (relying party localhost too) asks the browser for the passkey and hands the assertion on.
  const otherPort = new Client(app)
  failsWith(t, await answer(otherPort, authenticator.sign((await startPasskey(otherPort, email)).challenge, { origin: 'http://localhost:8080' })), 'INVALID_CREDENTIALS')
  const otherRp = new Client(app)
  failsWith(t, await answer(otherRp, authenticator.sign((await startPasskey(otherRp, email)).challenge, { rpId: 'evil.example' })), 'INVALID_CREDENTIALS')

  // The other user's passkey, over this user's challenge; and this user's passkey over the other's.
  const crossed = new Client(app)
  failsWith(t, await answer(crossed, other.authenticator.sign((await startPasskey(crossed, email)).challenge)), 'INVALID_CREDENTIALS')
  const theirs = new Client(app)
  failsWith(t, await answer(theirs, authenticator.sign((await startPasskey(theirs, other.email)).challenge)), 'INVALID_CREDENTIALS')
  const stranger = new Client(app)
  failsWith(t, await answer(stranger, new SoftAuthenticator().sign((await startPasskey(stranger, email)).challenge)), 'INVALID_CREDENTIALS')

  const malformed = new Client(app)
  await startPasskey(malformed, email)
  failsWith(t, await malformed.gql(RESPOND, { input: { name: 'WEB_AUTHN', credential: 'not json' } }), 'BAD_USER_INPUT', /JSON/)
  failsWith(t, await malformed.gql(RESPOND, { input: { name: 'WEB_AUTHN' } }), 'BAD_USER_INPUT', /credential is required/)
  t.equal((await answer(malformed, authenticator.sign((await startPasskey(malformed, email)).challenge))).data?.respondToChallenge?.__typename, 'Session', 'bad input spends nothing')
})

t.test('existence stays hidden for PASSKEY: unknown, unconfirmed, without a passkey, with one: the same options, the same error', async (t) => {
  const app = await build(t, { env: RELAXED_LIMITS })
  const unconfirmed = newEmail('unconfirmed')
  await new Client(app).gql(SIGN_UP, { input: { email: unconfirmed, password: PASSWORD } })
  const states = { unknown: newEmail('nobody'), unconfirmed, withoutPasskey: await registerUser(new Client(app)), withPasskey: (await withPasskey(t, app)).email }
  const shapes: Record<string, unknown> = {}
  for (const [state, email] of Object.entries(states)) {
    const client = new Client(app)
    const options = await startPasskey(client, email)
    t.match(options.challenge, /^[\w-]{16,}$/, `${state}: a challenge`)
    shapes[state] = { ...options, challenge: 'x' }
    t.same(cookieNames(client), ['__Host-challenge'])
    failsWith(t, await answer(client, new SoftAuthenticator().sign(options.challenge)), 'INVALID_CREDENTIALS')
  }
  for (const state of ['unknown', 'unconfirmed', 'withoutPasskey']) t.same(shapes[state], shapes.withPasskey, `${state} looks like an account with a passkey`)
})

t.test('SELECT_CHALLENGE then PASSKEY: the passkey challenge, answered', async (t) => {
  const app = await build(t, { env: RELAXED_LIMITS })
  const { email, authenticator } = await withPasskey(t, app)
  const client = new Client(app)
  const select = (await client.gql(SIGN_IN_WITH, { input: { email } })).data?.signIn
  t.same([select?.name, select?.publicKeyOptions], ['SELECT_CHALLENGE', null], 'no passkey options (Cognito sends them to an account with a passkey)')
  const chosen = await client.gql(RESPOND, { input: { name: 'SELECT_CHALLENGE', method: 'PASSKEY' } })
  t.equal(chosen.data?.respondToChallenge?.name, 'WEB_AUTHN')
  const options = JSON.parse(chosen.data?.respondToChallenge?.publicKeyOptions)
  t.equal((await answer(client, authenticator.sign(options.challenge))).data?.respondToChallenge?.user?.email, email)
})

t.test('registering needs a session and a recent sign-in (auth_time, which a refresh keeps); bad registrations', async (t) => {
  const app = await build(t, { env: { ...RELAXED_LIMITS, REAUTHENTICATION_WINDOW: '2s' } })
  failsWith(t, await new Client(app).gql(START), 'UNAUTHENTICATED')
  failsWith(t, await new Client(app).gql(DELETE, { id: 'abc' }), 'UNAUTHENTICATED')
  const client = new Client(app)
  const email = await signedIn(client)
  const authenticator = new SoftAuthenticator()
  const options = JSON.parse((await client.gql(START)).data?.startPasskeyRegistration?.publicKeyOptions)
  t.equal(options.rp?.id, 'localhost', 'the relying party is localhost')
  failsWith(t, await client.gql(FINISH, { credential: JSON.stringify(authenticator.register(options)), name: 'Work laptop' }), 'BAD_USER_INPUT', /name/)
  failsWith(t, await client.gql(FINISH, { credential: JSON.stringify(authenticator.register(options, { origin: 'https://evil.example' })) }), 'BAD_USER_INPUT')
  failsWith(t, await client.gql(FINISH, { credential: '{"id":"x"}' }), 'BAD_USER_INPUT', /JSON/)

  await sleep(2500)
  failsWith(t, await client.gql(START), 'REAUTHENTICATION_REQUIRED', /sign in again/)
  failsWith(t, await client.gql(FINISH, { credential: JSON.stringify(authenticator.register(options)) }), 'REAUTHENTICATION_REQUIRED')
  t.equal((await client.gql(REFRESH)).data?.refreshSession?.user?.email, email, 'refreshed')
  failsWith(t, await client.gql(START), 'REAUTHENTICATION_REQUIRED', undefined)
  t.same((await client.gql(PASSKEYS)).data?.me?.passkeys, [], 'listing and removing need no fresh sign-in')

  const fresh = new Client(app)
  await fresh.gql(SIGN_IN_WITH, { input: { email, password: PASSWORD } })
  const passkey = await register(t, fresh, authenticator)
  t.equal(passkey.id, authenticator.id, 'a fresh sign-in registers')
  failsWith(t, await fresh.gql(FINISH, { credential: JSON.stringify(new SoftAuthenticator().register(options)) }), 'CHALLENGE_EXPIRED', /sign in again|start/i)
})

t.test('rate limits: a PASSKEY start draws on the sign-in buckets, a refused passkey counts as a failed sign-in', async (t) => {
  const app = await build(t, { env: { RATE_LIMITS: JSON.stringify({ 'signIn.address': { max: 3 } }) } })
  const email = newEmail('limited')
  const client = new Client(app)
  for (let i = 0; i < 3; i++) t.equal((await client.gql(SIGN_IN_WITH, { input: { email, method: 'PASSKEY' } })).data?.signIn?.name, 'WEB_AUTHN')
  failsWith(t, await client.gql(SIGN_IN_WITH, { input: { email, method: 'PASSKEY' } }), 'TOO_MANY_REQUESTS')
  failsWith(t, await client.gql(SIGN_IN_WITH, { input: { email, password: PASSWORD } }), 'TOO_MANY_REQUESTS', undefined)

  const failing = await build(t, { env: { RATE_LIMITS: JSON.stringify({ 'signIn.email': { max: 2 } }) } })
  const victim = newEmail('victim')
  for (let i = 0; i < 2; i++) {
    const c = new Client(failing)
    const options = await startPasskey(c, victim)
    failsWith(t, await answer(c, new SoftAuthenticator().sign(options.challenge)), 'INVALID_CREDENTIALS')
  }
  failsWith(t, await new Client(failing).gql(SIGN_IN_WITH, { input: { email: victim, method: 'PASSKEY' } }), 'TOO_MANY_REQUESTS')
})
