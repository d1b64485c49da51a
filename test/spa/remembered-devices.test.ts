// The example SPA in Chromium on a pool that tracks devices and remembers one only when the user
// asks (DeviceOnlyRememberedOnUserPrompt): the authenticator's step offers "Remember this
// browser" (in any browser profile: the server's step says so); ticked, the next sign-in skips the step; the browser is listed as remembered, this one
// marked; forgotten, the step is back; remembered later from the account page, skipped again.
// And the card stays hidden on a pool that tracks no devices.
//
// Without /usr/bin/chromium (CHROMIUM_PATH to use another) the file says so and skips.
import type { AddressInfo } from 'node:net'
import { poolServer } from '../pool-server.ts'
import { browserJourney, checkWording, LIMITS, MANIFEST, openSpa, registered, screenshot, setUpAuthenticator, signIn, signInToAccount, signOut, spaServer, until } from './helpers.ts'

const FLOWS: Array<'ALLOW_USER_SRP_AUTH' | 'ALLOW_REFRESH_TOKEN_AUTH'> = ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']

browserJourney('"Remember this browser" on the authenticator\'s step; the remembered browser listed, forgotten', async (t, browser) => {
  const server = await poolServer(t, {
    flows: FLOWS,
    devices: { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true },
    env: { ...LIMITS, PERSISTED_OPERATIONS: 'only', PERSISTED_OPERATIONS_MANIFEST: MANIFEST }
  })
  await server.app.listen({ port: 0, host: '127.0.0.1' })
  const url = `http://localhost:${(server.app.server.address() as AddressInfo).port}/spa/`
  const email = await server.user()
  const { page, problems } = await openSpa(t, browser, url)

  // The first sign-in (no second step yet): this browser is a device, not remembered; nothing listed.
  await signInToAccount(page, email)
  await until(page, '#devices', { text: 'Remembered browsers' })
  t.match(await page.textContent('#devices'), 'None.', 'no remembered browser yet')
  t.equal(await page.isVisible('#remember-this-browser'), true, 'this browser, tracked, may be remembered from here')

  // An authenticator app, then a sign-in through its step with "Remember this browser" ticked.
  const authenticator = await setUpAuthenticator(page)
  await signOut(page)
  await signIn(page, email)
  await until(page, '#challenge-remember', { text: 'Remember this browser' })
  t.equal(await page.textContent('#challenge-title'), 'Enter the code from your authenticator app', 'the authenticator\'s step')
  t.equal(await page.isChecked('#remember-browser'), false, 'offered, not ticked')
  await checkWording(t, page, 'the authenticator step with "Remember this browser"')
  await screenshot(t, page, 'challenge-remember-browser')
  // A browser profile that never signed in here is offered it too: the step itself says so (rememberDeviceOffered).
  const other = await openSpa(t, browser, url)
  await signIn(other.page, email)
  await until(other.page, '#challenge-remember', { text: 'Remember this browser' })
  t.pass('offered in a browser profile that never signed in here')
  await other.context.close()

  await page.check('#remember-browser')
  await page.fill('#challenge-code-input', await authenticator.code())
  await page.click('#challenge-form button.primary')
  await until(page, '#profile-summary', { text: email })

  // Remembered: the password alone signs in; the browser is listed, marked as this one.
  await signOut(page)
  await signIn(page, email)
  await until(page, '#page-account')
  await until(page, '#profile-summary', { text: email })
  t.pass('signed in without the authenticator\'s step')
  await until(page, '#devices-list li[data-current]', { text: 'This browser' })
  t.equal(await page.locator('#devices-list li').count(), 1, 'one remembered browser')
  t.match(await page.textContent('#devices-list li'), /Chrome on Linux/, 'named by its browser and system')
  await checkWording(t, page, 'the account page with a remembered browser')
  await screenshot(t, page.locator('#sessions'), 'devices')

  // Forgotten: the list empties, and the next sign-in asks for the code again.
  await page.click('#devices-list li[data-current] button')
  await until(page, '#notice', { text: 'ask for the second step again' })
  await until(page, '#devices-empty')
  await signOut(page)
  await signIn(page, email)
  await until(page, '#page-challenge')
  t.equal(await page.textContent('#challenge-title'), 'Enter the code from your authenticator app', 'the step is back')
  t.equal(await page.isVisible('#remember-browser'), true, 'offering to remember this browser again')
  await page.fill('#challenge-code-input', await authenticator.code())
  await page.click('#challenge-form button.primary')
  await until(page, '#profile-summary', { text: email })

  // Not ticked this time: remembered later, from the account page; the step is skipped again.
  await until(page, '#remember-this-browser')
  await page.click('#remember-this-browser')
  await until(page, '#devices-list li[data-current]', { text: 'This browser' })
  t.equal(await page.isVisible('#remember-this-browser'), false, 'remembered: the button is gone')
  await signOut(page)
  await signIn(page, email)
  await until(page, '#profile-summary', { text: email })
  t.pass('remembered from the account page: signed in without the step')
  t.same(problems, [], 'no script error and no console error')
})

browserJourney('a pool that tracks no devices: no remembered-browsers card, no "Remember this browser"', async (t, browser) => {
  const { app, origin, url } = await spaServer(t)
  const email = await registered(app, origin, 'spa-no-devices')
  const { page, problems } = await openSpa(t, browser, url)
  await signInToAccount(page, email)
  await until(page, '#sessions-list li[data-current]')
  await page.click('#refresh-sessions')
  await until(page, '#sessions-list li[data-current]')
  t.equal(await page.isHidden('#devices'), true, 'the card hides itself')
  t.equal(await page.locator('#devices *').count(), 0, 'and holds nothing')
  await setUpAuthenticator(page)
  await signOut(page)
  await signIn(page, email)
  await until(page, '#page-challenge')
  t.equal(await page.isHidden('#challenge-remember'), true, 'the authenticator\'s step offers no "Remember this browser"')
  t.same(problems, [], 'no script error and no console error')
})
