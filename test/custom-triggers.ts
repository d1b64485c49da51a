// The pool's custom challenge triggers the tests sign in through (EMULATOR_TRIGGERS): a quiz, and
// the module file poolServer's `triggers` takes.
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

// A quiz whose answer is "blue" (for nobody too: only Cognito keeps a ghost from tokens). Emails
// starting with "three" answer three rounds; those starting with "retry" may miss once; any other
// miss ends the sequence.
export const QUIZ_TRIGGERS = `
const email = (event) => event.request.userAttributes?.email ?? ''
export const defineAuthChallenge = async (event) => {
  const session = event.request.session
  const misses = session.filter((r) => !r.challengeResult).length
  const passes = session.length - misses
  if (misses > (email(event).startsWith('retry') ? 1 : 0)) event.response.failAuthentication = true
  else if (passes >= (email(event).startsWith('three') ? 3 : 1)) event.response.issueTokens = true
  else event.response.challengeName = 'CUSTOM_CHALLENGE'
  return event
}
export const createAuthChallenge = async (event) => {
  event.response.publicChallengeParameters = { question: 'What colour is the sky? (' + (event.request.session.length + 1) + ')' }
  event.response.privateChallengeParameters = { answer: 'blue' }
  event.response.challengeMetadata = 'SKY'
  return event
}
export const verifyAuthChallengeResponse = async (event) => {
  event.response.answerCorrect = event.request.challengeAnswer === event.request.privateChallengeParameters.answer
  return event
}
`

/** Writes the quiz into a triggers module of its own; its path, for poolServer's `triggers`. */
export async function quizTriggers (): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'custom-challenge-'))
  const path = join(dir, `triggers-${process.pid}-${Date.now()}.mjs`)
  await writeFile(path, QUIZ_TRIGGERS)
  return path
}
