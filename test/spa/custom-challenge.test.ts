// The example SPA in Chromium on a pool with custom challenge triggers (the quiz of
// test/custom-triggers.ts): with the page's custom-challenge setting on (`?custom-challenge=on`)
// the sign-in page offers "Sign in by answering a question"; the trigger's question is shown in
// words, answered until a session (one round, three rounds, a second try the trigger allows); a
// refused answer ends the sign-in in words and back at the start. Off (the default), it is not offered.
//
// Without /usr/bin/chromium (CHROMIUM_PATH to use another) the file says so and skips.
import type { AddressInfo } from 'node:net'
import type { Page } from 'playwright-core'
import { quizTriggers } from '../custom-triggers.ts'
import { poolServer } from '../pool-server.ts'
import { browserJourney, checkWording, LIMITS, MANIFEST, openSpa, screenshot, until, untilError } from './helpers.ts'

const FLOWS: Array<'ALLOW_USER_SRP_AUTH' | 'ALLOW_CUSTOM_AUTH' | 'ALLOW_REFRESH_TOKEN_AUTH'> = ['ALLOW_USER_SRP_AUTH', 'ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']
const CUSTOM = '#sign-in-other-methods button[data-method="CUSTOM"]'

/** The email step, then "Sign in by answering a question": the first question. */
async function startCustom (page: Page, email: string): Promise<void> {
  await until(page, '#sign-in-email')
  await page.fill('#sign-in-email-input', email)
  await page.click('#sign-in-email button')
  await until(page, CUSTOM, { text: 'Sign in by answering a question' })
  await page.click(CUSTOM)
  await until(page, '#custom-question')
}

/** Types an answer and continues. */
async function answer (page: Page, text: string): Promise<void> {
  await page.fill('#custom-answer', text)
  await page.click('#challenge-form button.primary')
}

async function signOut (page: Page): Promise<void> {
  await page.click('#sign-out button')
  await until(page, '#page-sign-in')
}

browserJourney('a custom challenge: the trigger\'s question, answered until signed in; a refused answer starts over', async (t, browser) => {
  const server = await poolServer(t, { flows: FLOWS, triggers: await quizTriggers(), hideExistence: true, env: { ...LIMITS, PERSISTED_OPERATIONS: 'only', PERSISTED_OPERATIONS_MANIFEST: MANIFEST } })
  await server.app.listen({ port: 0, host: '127.0.0.1' })
  const url = `http://localhost:${(server.app.server.address() as AddressInfo).port}/spa/`

  // Off by default: the pool's methods only (this client has no choice-based sign-in: the password).
  const plain = await openSpa(t, browser, url)
  await until(plain.page, '#sign-in-email')
  await plain.page.fill('#sign-in-email-input', await server.user())
  await plain.page.click('#sign-in-email button')
  await until(plain.page, '#sign-in-password')
  t.equal(await plain.page.locator(CUSTOM).count(), 0, 'no custom challenge offered without the setting')

  const { page, problems } = await openSpa(t, browser, `${url}?custom-challenge=on`)
  const email = await server.user()
  await startCustom(page, email)
  t.equal(await page.textContent('#challenge-title'), 'Answer the question', 'a title in words')
  t.equal(await page.textContent('#custom-question'), 'What colour is the sky? (1)', 'the trigger\'s question')
  t.equal(await page.isVisible('#challenge-code'), false, 'no code field')
  t.equal(await page.isVisible('#challenge-remember'), false, 'no "Remember this browser" on a custom step')
  await checkWording(t, page, 'the custom challenge step')
  await screenshot(t, page, 'custom-challenge')
  await answer(page, 'blue')
  await until(page, '#profile-summary', { text: email })
  t.pass('the right answer signs in')

  /** Signed out, a new account whose email starts with `label` (the quiz's rounds), its first question. */
  const nextAccount = async (label: string): Promise<string> => {
    await signOut(page)
    const next = await server.user(label)
    await startCustom(page, next)
    return next
  }

  // Three rounds: each question in turn, then the account page.
  const three = await nextAccount('three')
  for (const round of [1, 2, 3]) {
    await until(page, '#custom-question', { text: `(${round})` })
    t.equal(await page.inputValue('#custom-answer'), '', `round ${round}: the answer field is empty`)
    await answer(page, 'blue')
  }
  await until(page, '#profile-summary', { text: three })
  t.pass('three rounds sign in')

  // A second try the trigger allows: the next question, then signed in.
  const retry = await nextAccount('retry')
  await answer(page, 'green')
  await until(page, '#custom-question', { text: '(2)' })
  await answer(page, 'blue')
  await until(page, '#profile-summary', { text: retry })
  t.pass('a missed answer the trigger gives another try for, then signed in')

  // Refused: the sentence in words, back at the sign-in's start.
  await signOut(page)
  await startCustom(page, email)
  await answer(page, 'green')
  t.same(await untilError(page), { code: 'INVALID_CREDENTIALS', sentence: 'The email, the password, the passkey or the answer is not right.' }, 'refused, in words')
  t.equal(await page.isVisible('#page-sign-in'), true, 'back at the sign-in page')
  t.equal(await page.isVisible(CUSTOM), true, 'with the ways to sign in, to start again')
  await checkWording(t, page, 'after a refused answer')

  // An email without an account gets the same step; no answer signs in.
  await page.click('#sign-in-other-email')
  await startCustom(page, `nobody-${Date.now()}@example.com`)
  t.equal(await page.textContent('#custom-question'), 'What colour is the sky? (1)', 'the same question for nobody')
  await answer(page, 'blue')
  t.equal((await untilError(page)).code, 'INVALID_CREDENTIALS', 'and no answer passes')
  t.same([...problems, ...plain.problems], [], 'no script error and no console error')
})
