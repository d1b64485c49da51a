// The example SPA in Chromium: the account's devices and sessions. One account signed in from
// three browser profiles; the first sees every session, this browser marked; it ends the second
// from the list, and the second browser finds itself signed out at its next request; it signs
// out every other session at once; the recent security activity tells all of it in words.
//
// Without /usr/bin/chromium (CHROMIUM_PATH to use another) the file says so and skips.
import type { Page } from 'playwright-core'
import { checkWording, browserJourney, openSpa, registered, screenshot, signInToAccount, spaServer, until, untilError } from './helpers.ts'

const listed = async (page: Page): Promise<number> => await page.locator('#sessions-list li').count()

browserJourney('end another session from the list, and that browser is signed out; end every other', async (t, browser) => {
  const { app, origin, url } = await spaServer(t)
  const email = await registered(app, origin, 'spa-sessions', 'Grace Hopper')
  const first = await openSpa(t, browser, url)
  const second = await openSpa(t, browser, url)
  await signInToAccount(first.page, email)
  await signInToAccount(second.page, email)

  // The first browser's list: both sessions, this browser marked.
  await first.page.click('#refresh-sessions')
  await first.page.waitForFunction(() => (globalThis as unknown as { document: { querySelectorAll: (s: string) => ArrayLike<unknown> } }).document.querySelectorAll('#sessions-list li').length === 2)
  t.equal(await first.page.locator('#sessions-list li[data-current]').count(), 1, 'one session is this browser')
  t.match(await first.page.textContent('#sessions-list li[data-current]'), /Chrome on Linux\s*This browser/, 'named by its browser, marked')
  t.ok(await first.page.isVisible('#end-other-sessions'), '"Sign out everywhere else" is offered')
  await checkWording(t, first.page, 'the sessions list')
  await screenshot(t, first.page.locator('#sessions'), 'sessions')

  // End the second browser's session from the list.
  const other = first.page.locator('#sessions-list li:not([data-current])')
  t.match(await other.locator('button').getAttribute('aria-label'), /^End the session of Chrome on Linux, signed in /, 'its button says which session it ends')
  await other.locator('button').click()
  await until(first.page, '#notice', { text: 'is signed out' })
  t.equal(await listed(first.page), 1, 'the list has this browser only')
  t.notOk(await first.page.isVisible('#end-other-sessions'), 'nothing else to end')

  // The second browser: its next request finds the session ended, and the page signs out.
  await second.page.click('#refresh-sessions')
  t.same(await untilError(second.page), { code: 'UNAUTHENTICATED', sentence: 'Your session has ended: please sign in again.' }, 'the second browser is told in words')
  // (The sentence stays shown: wait for the page without failing on it.)
  await second.page.waitForSelector('#page-sign-in', { state: 'visible' })
  t.ok(await second.page.isHidden('#who'), 'and shows nobody signed in')
  await second.page.reload()
  await until(second.page, '#page-sign-in')
  t.pass('a reload stays signed out')

  // Two more sessions elsewhere; "Sign out everywhere else" ends both, this one stays.
  const third = await openSpa(t, browser, url)
  await signInToAccount(second.page, email)
  await signInToAccount(third.page, email)
  await first.page.click('#refresh-sessions')
  await first.page.waitForFunction(() => (globalThis as unknown as { document: { querySelectorAll: (s: string) => ArrayLike<unknown> } }).document.querySelectorAll('#sessions-list li').length === 3)
  await first.page.click('#end-other-sessions')
  await until(first.page, '#notice', { text: '2 other sessions were signed out' })
  t.equal(await listed(first.page), 1, 'only this browser is left')
  for (const [label, page] of [['second', second.page], ['third', third.page]] as const) {
    await page.reload()
    await until(page, '#page-sign-in')
    t.pass(`the ${label} browser is signed out`)
  }
  await first.page.reload()
  await until(first.page, '#profile-summary', { text: email })
  t.pass('the first browser is still signed in')

  // What happened, in the recent security activity, in words.
  await until(first.page, '#activity-list li[data-type=sessions-revoked]')
  const activity = await first.page.locator('#activity-list li strong').allTextContents()
  t.ok(activity.includes('Other sessions were ended'), 'ending every other session')
  t.ok(activity.includes('A session was ended'), 'ending one session')
  t.ok(activity.filter((entry) => entry === 'Signed in').length >= 4, 'each sign-in')
  t.match(await first.page.textContent('#activity-list li[data-type=sign-in]'), /with the password[\s\S]*Chrome on Linux/, 'with the method and the browser')
  await checkWording(t, first.page, 'the activity list')
  await screenshot(t, first.page, 'account-after-sessions')
  for (const { problems } of [first, second, third]) t.same(problems, [], 'no script error and no console error')
})
