// N9: with refresh-token rotation, a second tab whose request still carried the cookie from before
// another tab's refresh ended the whole session on updateProfile (a false reuse alarm). Cognito's
// grace period is zero here, as the strictest app client has it.
import t from 'tap'
import type { AuditEvent } from '../../src/plugins/app/audit.ts'
import { RELAXED_LIMITS } from '../challenge-helpers.ts'
import { buildBehindProxy, ME, REFRESH, signedIn } from '../helper.ts'

t.test('a profile change sent with the pre-refresh cookie renews from the rotated token and ends nothing', async (t) => {
  const events: AuditEvent[] = []
  const { client } = await buildBehindProxy(t, {
    env: { ...RELAXED_LIMITS, REFRESH_TOKEN_ROTATION: 'true' },
    refreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 0 },
    onAuditEvent: (e) => events.push(e)
  })
  const firstTab = client()
  await signedIn(firstTab)
  const secondTab = firstTab.clone()
  t.same((await firstTab.gql(REFRESH)).errors, undefined, 'the first tab refreshed: the refresh token rotated')
  t.not(firstTab.jar.get('__Host-refresh'), secondTab.jar.get('__Host-refresh'))

  const renamed = await secondTab.gql('mutation { updateProfile(input: { name: "Second tab" }) { name } }')
  t.same(renamed.errors, undefined, 'the change sent with the old cookie succeeds')
  t.equal(renamed.data?.updateProfile?.name, 'Second tab')
  t.notOk(events.some((e) => e.event === 'refresh-token-reused'), 'no reuse alarm')
  // The tabs share the browser's cookie jar: the answer's cookies are the first tab's too.
  firstTab.absorb(renamed.response)
  t.equal((await firstTab.gql(ME)).data?.me?.name, 'Second tab', 'the browser keeps its session')
  t.same((await firstTab.gql(REFRESH)).errors, undefined, 'and refreshes on')
  t.notOk(events.some((e) => e.event === 'refresh-token-reused'), 'still no reuse alarm')
})
