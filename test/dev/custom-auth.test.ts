// CUSTOM_AUTH in the emulator, driven by a triggers module's define, create and verify auth
// challenge functions as AWS drives them: a right answer signs in, a wrong one is refused, a
// three-round sequence ends in tokens, an unknown username gets a challenge of the same shape
// that no answer completes, the app client and the pool must allow the flow, and a client with a
// secret needs SECRET_HASH on the start and on every answer.
import t from 'tap'
import { CreateUserPoolClientCommand, InitiateAuthCommand, RespondToAuthChallengeCommand } from '@aws-sdk/client-cognito-identity-provider'
import { startTestEmulator } from './pool.ts'
import { claimsOf, createPool, secretHashOf } from './pools.ts'

// A quiz: the answer is the user's favourite colour (custom:colour), or "blue" for nobody; users
// whose email starts with "three" answer three questions; one wrong answer ends the sequence.
const TRIGGERS = `
const seen = (globalThis.customAuthEvents ??= [])
const rounds = (event) => event.request.userAttributes.email?.startsWith('three') ? 3 : 1
export const defineAuthChallenge = async (event) => {
  seen.push(structuredClone(event))
  const session = event.request.session
  if (session.some((r) => r.challengeResult === false)) event.response.failAuthentication = true
  else if (session.length >= rounds(event)) event.response.issueTokens = true
  else event.response.challengeName = 'CUSTOM_CHALLENGE'
  return event
}
export const createAuthChallenge = async (event) => {
  seen.push(structuredClone(event))
  const round = event.request.session.length + 1
  event.response.publicChallengeParameters = { question: 'What is your favourite colour? (' + round + ')' }
  event.response.privateChallengeParameters = { answer: event.request.userAttributes['custom:colour'] ?? 'blue' }
  event.response.challengeMetadata = 'QUIZ-' + round
  return event
}
export const verifyAuthChallengeResponse = async (event) => {
  seen.push(structuredClone(event))
  event.response.answerCorrect = event.request.challengeAnswer === event.request.privateChallengeParameters.answer
  return event
}
`

const env = await startTestEmulator(t, { triggers: TRIGGERS })
const { cognito } = env
const pool = await createPool(env, {
  pool: { UsernameAttributes: ['email'], AutoVerifiedAttributes: ['email'], Schema: [{ Name: 'colour', AttributeDataType: 'String' }] }
})
const events = (): Array<Record<string, any>> => (globalThis as { customAuthEvents?: Array<Record<string, any>> }).customAuthEvents ?? []
let n = 0

async function member (prefix = 'quiz') {
  const email = `${prefix}${++n}-${Date.now()}@example.com`
  await pool.signUp(email, { 'custom:colour': 'green' })
  await pool.confirm(email)
  return email
}
const start = (email: string) => pool.initiate('CUSTOM_AUTH', { USERNAME: email })
const answer = (previous: { Session?: string }, email: string, value: string) => pool.respond(previous, 'CUSTOM_CHALLENGE', { USERNAME: email, ANSWER: value })

t.test('the right answer signs in; the events are AWS\'s', async (t) => {
  const email = await member()
  const challenge = await start(email)
  t.equal(challenge.ChallengeName, 'CUSTOM_CHALLENGE')
  t.same(challenge.ChallengeParameters, { question: 'What is your favourite colour? (1)', USERNAME: email }, 'the public parameters and the name the app gave')
  t.match(events().find((e) => e.triggerSource === 'DefineAuthChallenge_Authentication'), { request: { session: [], userNotFound: false, userAttributes: { email } } })
  const done = await answer(challenge, email, 'green')
  t.ok(done.AuthenticationResult?.AccessToken)
  t.equal(claimsOf(done.AuthenticationResult?.IdToken).email, email)
  t.match(events().filter((e) => e.triggerSource === 'VerifyAuthChallengeResponse_Authentication').at(-1), { request: { challengeAnswer: 'green', privateChallengeParameters: { answer: 'green' } } })
  t.match(events().filter((e) => e.triggerSource === 'DefineAuthChallenge_Authentication').at(-1), {
    request: { session: [{ challengeName: 'CUSTOM_CHALLENGE', challengeResult: true, challengeMetadata: 'QUIZ-1' }] }
  })
  await t.rejects(answer(challenge, email, 'green'), { name: 'NotAuthorizedException' }, 'a session answers once')
})

t.test('a wrong answer is refused', async (t) => {
  const email = await member()
  await t.rejects(answer(await start(email), email, 'red'), { name: 'NotAuthorizedException', message: 'Incorrect username or password.' })
})

t.test('three rounds, each its own session, then tokens', async (t) => {
  const email = await member('three')
  let step = await start(email)
  for (const round of [1, 2]) {
    t.equal(step.ChallengeParameters?.question, `What is your favourite colour? (${round})`)
    const next = await answer(step, email, 'green')
    t.equal(next.ChallengeName, 'CUSTOM_CHALLENGE')
    t.not(next.Session, step.Session)
    step = next
  }
  t.equal(step.ChallengeParameters?.question, 'What is your favourite colour? (3)')
  t.ok((await answer(step, email, 'green')).AuthenticationResult?.AccessToken)
})

t.test('an unknown username: the same shape of challenge, userNotFound for the triggers, and no answer signs in', async (t) => {
  const nobody = `nobody${Date.now()}@example.com`
  const challenge = await start(nobody)
  t.equal(challenge.ChallengeName, 'CUSTOM_CHALLENGE')
  t.same(Object.keys(challenge.ChallengeParameters ?? {}).sort(), ['USERNAME', 'question'])
  t.equal(challenge.ChallengeParameters?.USERNAME, nobody)
  t.match(events().filter((e) => e.triggerSource === 'CreateAuthChallenge_Authentication').at(-1), { userName: nobody, request: { userNotFound: true, userAttributes: {} } })
  await t.rejects(answer(challenge, nobody, 'blue'), { name: 'NotAuthorizedException', message: 'Incorrect username or password.' }, 'even the answer the triggers take')
})

t.test('the flow must be allowed: by the app client, by a pool with a define trigger', async (t) => {
  const strict = await createPool(env, { pool: { UsernameAttributes: ['email'] }, client: { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] } })
  await t.rejects(cognito.send(new InitiateAuthCommand({ ClientId: strict.clientId, AuthFlow: 'CUSTOM_AUTH', AuthParameters: { USERNAME: 'a@example.com' } })),
    { name: 'InvalidParameterException', message: 'CUSTOM_AUTH flow not enabled for this client' })
  const plain = await startTestEmulator(t)
  const untriggered = await createPool(plain, { pool: { UsernameAttributes: ['email'] } })
  await t.rejects(untriggered.initiate('CUSTOM_AUTH', { USERNAME: 'a@example.com' }), { name: 'InvalidParameterException', message: 'Custom auth lambda trigger is not configured for the user pool.' })
  const legacy = await createPool(env, { pool: { UsernameAttributes: ['email'] }, client: { PreventUserExistenceErrors: 'LEGACY' } })
  await t.rejects(legacy.initiate('CUSTOM_AUTH', { USERNAME: 'nobody@example.com' }), { name: 'UserNotFoundException' }, 'a client that does not hide existence')
  await t.rejects(pool.respond(await start(await member()), 'CUSTOM_CHALLENGE', { USERNAME: 'x@example.com' }), { name: 'InvalidParameterException', message: 'Missing required parameter ANSWER' })
})

t.test('a client with a secret: SECRET_HASH on the start and on each answer, as for any flow', async (t) => {
  const { UserPoolClient } = await cognito.send(new CreateUserPoolClientCommand({
    UserPoolId: pool.poolId, ClientName: 'secret', GenerateSecret: true, ExplicitAuthFlows: ['ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']
  }))
  const clientId = UserPoolClient?.ClientId ?? ''
  const hash = (name: string) => secretHashOf(UserPoolClient?.ClientSecret ?? '', name, clientId)
  const email = await member()
  const initiate = (parameters: Record<string, string>) => cognito.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'CUSTOM_AUTH', AuthParameters: { USERNAME: email, ...parameters } }))
  await t.rejects(initiate({}), { name: 'NotAuthorizedException' }, 'no SECRET_HASH')
  await t.rejects(initiate({ SECRET_HASH: hash('someone-else@example.com') }), { name: 'NotAuthorizedException' }, 'the hash of another name')
  const challenge = await initiate({ SECRET_HASH: hash(email) })
  t.equal(challenge.ChallengeName, 'CUSTOM_CHALLENGE')
  const respond = (responses: Record<string, string>) => cognito.send(new RespondToAuthChallengeCommand({
    ClientId: clientId, ChallengeName: 'CUSTOM_CHALLENGE', Session: challenge.Session, ChallengeResponses: { USERNAME: email, ANSWER: 'green', ...responses }
  }))
  await t.rejects(respond({}), { name: 'NotAuthorizedException' }, 'an answer without SECRET_HASH')
  const done = await respond({ SECRET_HASH: hash(email) })
  t.equal(claimsOf(done.AuthenticationResult?.AccessToken).client_id, clientId, 'the refused answer left the session to the right one')
})
