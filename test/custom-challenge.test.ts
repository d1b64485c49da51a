// Custom challenges through GraphQL against an emulator pool whose define, create and verify auth
// challenge triggers come from a triggers module, on an app client with a secret made through
// Cognito's API: the right answer starts a session, a wrong one is refused (or asked again where
// the trigger gives another round), three rounds end in a session, an unknown email gets a
// challenge of the same shape that no answer passes, a long answer never reaches Cognito, and a
// client without ALLOW_CUSTOM_AUTH refuses the method.
import t, { type Test } from 'tap'
import { AdminDisableUserCommand } from '@aws-sdk/client-cognito-identity-provider'
import { cookieNames, failsWith } from './challenge-helpers.ts'
import { quizTriggers } from './custom-triggers.ts'
import type { AuditEvent } from '../src/plugins/app/audit.ts'
import { build, Client, ME, newEmail, PASSWORD, registerUser } from './helper.ts'
import { poolServer, type PoolServerOptions } from './pool-server.ts'

const STEP = `
  __typename
  ... on Session { user { email } }
  ... on Challenge { name parameters codeDelivery { medium destination } mfaOptions availableMethods publicKeyOptions }
`
const START = `mutation ($email: String!) { signIn(input: { email: $email, method: CUSTOM }) { ${STEP} } }`
const ANSWER = `mutation ($answer: String) { respondToChallenge(input: { name: CUSTOM_CHALLENGE, answer: $answer }) { ${STEP} } }`

/** The server on a client with a secret, on a pool with the quiz's triggers. */
const customServer = async (t: Test, options: PoolServerOptions = {}) => await poolServer(t, { triggers: await quizTriggers(), ...options })

/** The session cookies in the browser's jar (the challenge cookie is none). */
const sessionCookies = (browser: Client): string[] => cookieNames(browser).filter((name) => !name.includes('challenge'))

/** What a challenge shows, without its question's round. */
const shape = (challenge: Record<string, unknown>) => ({ ...challenge, parameters: Object.keys(JSON.parse(String(challenge.parameters)) as object) })

t.test('on a client that hides existence (PreventUserExistenceErrors)', async (t) => {
  const server = await customServer(t, { hideExistence: true })

  const events: AuditEvent[] = []
  server.app.audit.on('event', (e: AuditEvent) => events.push(e))

  t.test('the right answer: a session (cookies set, `me` answers), over CUSTOM_AUTH', async (t) => {
    const email = await server.user()
    const browser = server.browser()
    const started = await browser.gql(START, { email })
    t.same(started.data?.signIn, {
      __typename: 'Challenge', name: 'CUSTOM_CHALLENGE', parameters: JSON.stringify({ question: 'What colour is the sky? (1)' }), codeDelivery: null, mfaOptions: null, availableMethods: null, publicKeyOptions: null
    }, 'the trigger\'s public parameters, without Cognito\'s USERNAME')
    t.ok(server.proxy.authFlows.includes('CUSTOM_AUTH'), 'Cognito was asked for CUSTOM_AUTH (with SECRET_HASH: the client has a secret)')
    t.same(sessionCookies(browser), [], 'no session yet')
    const done = await browser.gql(ANSWER, { answer: 'blue' })
    t.same(done.data?.respondToChallenge, { __typename: 'Session', user: { email } })
    t.ok(sessionCookies(browser).length > 0, 'session cookies set')
    t.equal((await browser.gql(ME)).data?.me?.email, email, '`me` answers')
    t.same(events.filter((e) => e.email === email && e.event === 'sign-in').map((e) => [e.outcome, e.method]), [['challenge', 'CUSTOM'], ['success', 'CUSTOM']], 'audited as a CUSTOM sign-in')
  })

  t.test('a wrong answer the define trigger ends: INVALID_CREDENTIALS, no session, the challenge gone', async (t) => {
    const email = await server.user()
    const browser = server.browser()
    await browser.gql(START, { email })
    failsWith(t, await browser.gql(ANSWER, { answer: 'green' }), 'INVALID_CREDENTIALS')
    t.same(sessionCookies(browser), [])
    failsWith(t, await browser.gql(ANSWER, { answer: 'blue' }), 'CHALLENGE_EXPIRED', /./)
    t.equal((await browser.gql(ME)).data?.me ?? null, null, 'not signed in')
  })

  t.test('three rounds, each a new CUSTOM_CHALLENGE, then a session', async (t) => {
    const email = await server.user('three')
    const browser = server.browser()
    let step = (await browser.gql(START, { email })).data?.signIn
    for (const round of [1, 2, 3]) {
      t.equal(step?.name, 'CUSTOM_CHALLENGE')
      t.same(JSON.parse(step?.parameters), { question: `What colour is the sky? (${round})` }, `round ${round}'s question`)
      step = (await browser.gql(ANSWER, { answer: 'blue' })).data?.respondToChallenge
    }
    t.same(step, { __typename: 'Session', user: { email } })
    t.equal((await browser.gql(ME)).data?.me?.email, email)
  })

  t.test('a wrong answer the trigger gives another round: a new CUSTOM_CHALLENGE, then the right one signs in', async (t) => {
    const email = await server.user('retry')
    const browser = server.browser()
    await browser.gql(START, { email })
    const again = await browser.gql(ANSWER, { answer: 'green' })
    t.same(again.data?.respondToChallenge?.name, 'CUSTOM_CHALLENGE')
    t.same(JSON.parse(again.data?.respondToChallenge?.parameters), { question: 'What colour is the sky? (2)' })
    t.same((await browser.gql(ANSWER, { answer: 'blue' })).data?.respondToChallenge, { __typename: 'Session', user: { email } })
  })

  t.test('an unknown email: a challenge of the same shape, which no answer passes', async (t) => {
    const known = server.browser()
    const real = (await known.gql(START, { email: await server.user() })).data?.signIn
    const stranger = server.browser()
    const unknown = await stranger.gql(START, { email: newEmail('nobody') })
    t.same(unknown.data?.signIn, real, 'the same fields and parameters as a real first round')
    t.same(cookieNames(stranger), cookieNames(known), 'the same cookies')
    failsWith(t, await stranger.gql(ANSWER, { answer: 'blue' }), 'INVALID_CREDENTIALS')
    t.same(sessionCookies(stranger), [], 'the trigger\'s right answer signs nobody in')
  })

  t.test('a disabled or unconfirmed account: the same challenge (a sequence of nobody\'s stands in), which no answer passes', async (t) => {
    const real = (await server.browser().gql(START, { email: await server.user() })).data?.signIn
    const disabled = await server.user()
    await server.cognito.send(new AdminDisableUserCommand({ UserPoolId: server.emulator.userPoolId, Username: disabled }))
    const unconfirmed = newEmail('unconfirmed')
    const signedUp = await server.browser().gql('mutation ($email: String!, $password: String!) { signUp(input: { email: $email, password: $password }) { __typename } }', { email: unconfirmed, password: PASSWORD })
    t.equal(signedUp.errors, undefined, 'signed up, not confirmed')
    for (const email of [disabled, unconfirmed]) {
      const browser = server.browser()
      t.same((await browser.gql(START, { email })).data?.signIn, real, `${email.split('.')[0]}: the same fields and parameters`)
      failsWith(t, await browser.gql(ANSWER, { answer: 'blue' }), 'INVALID_CREDENTIALS')
      t.same(sessionCookies(browser), [])
    }
  })

  t.test('an answer over 2,048 characters: BAD_USER_INPUT before Cognito; 2,048 reach it', async (t) => {
    const browser = server.browser()
    await browser.gql(START, { email: await server.user() })
    const before = server.proxy.count('RespondToAuthChallenge')
    failsWith(t, await browser.gql(ANSWER, { answer: 'x'.repeat(2049) }), 'BAD_USER_INPUT', /2048/)
    failsWith(t, await browser.gql(ANSWER, {}), 'BAD_USER_INPUT', /answer/)
    t.equal(server.proxy.count('RespondToAuthChallenge'), before, 'Cognito was not asked')
    failsWith(t, await browser.gql(ANSWER, { answer: 'x'.repeat(2048) }), 'INVALID_CREDENTIALS')
    t.equal(server.proxy.count('RespondToAuthChallenge'), before + 1, 'the longest answer was judged by the trigger')
  })
})

t.test('on a client that tells unknown users apart (LEGACY): Cognito refuses, the server answers a stand-in', async (t) => {
  const server = await customServer(t, { hideExistence: false })
  const known = server.browser()
  const real = (await known.gql(START, { email: await server.user() })).data?.signIn
  const stranger = server.browser()
  const unknown = (await stranger.gql(START, { email: newEmail('nobody') })).data?.signIn
  t.same(shape(unknown), { ...shape(real), parameters: [] }, 'the same fields, a JSON object of parameters (the trigger\'s are unknown without a sequence)')
  t.same(cookieNames(stranger), cookieNames(known), 'the same cookies')
  failsWith(t, await stranger.gql(ANSWER, { answer: 'blue' }), 'INVALID_CREDENTIALS')
  t.same(sessionCookies(stranger), [])
})

t.test('a client that does not allow CUSTOM_AUTH: BAD_USER_INPUT naming the method, for every email', async (t) => {
  const server = await customServer(t, { flows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'], hideExistence: true })
  failsWith(t, await server.browser().gql(START, { email: await server.user() }), 'BAD_USER_INPUT', /ALLOW_CUSTOM_AUTH/)
  failsWith(t, await server.browser().gql(START, { email: newEmail('nobody') }), 'BAD_USER_INPUT', /ALLOW_CUSTOM_AUTH/)
})

t.test('a start draws on the delivery buckets, as an emailed code\'s does', async (t) => {
  const server = await customServer(t, { hideExistence: true, env: { RATE_LIMITS: JSON.stringify({ 'delivery.email': { max: 2 } }) } })
  const email = await server.user()
  for (const n of [1, 2]) t.equal((await server.browser().gql(START, { email })).data?.signIn?.name, 'CUSTOM_CHALLENGE', `start ${n}`)
  failsWith(t, await server.browser().gql(START, { email }), 'TOO_MANY_REQUESTS')
})

t.test('CUSTOM is no choice of Cognito\'s choice-based sign-in (SELECT_CHALLENGE)', async (t) => {
  const app = await build(t)
  const browser = new Client(app)
  const start = await browser.gql('mutation ($email: String!) { signIn(input: { email: $email }) { ... on Challenge { name availableMethods } } }', { email: await registerUser(new Client(app)) })
  t.equal(start.data?.signIn?.name, 'SELECT_CHALLENGE')
  t.notOk(start.data?.signIn?.availableMethods.includes('CUSTOM'), 'not offered')
  failsWith(t, await browser.gql('mutation { respondToChallenge(input: { name: SELECT_CHALLENGE, method: CUSTOM }) { __typename } }'), 'BAD_USER_INPUT', /available methods/)
})
