// The account page's devices and sessions: every live session of the user, this browser marked;
// end one, or every other one; and the browsers that skip the second step (devices.ts).
import type { SessionInfo, User } from 'cognito-graphql-auth/client'
import { auth } from './auth.ts'
import { clearDevices, loadDevices } from './devices.ts'
import { onUser, signedOut } from './session.ts'
import { $, actionButton, element, notify, onClick } from './ui.ts'
import { browserText, dateText } from './words.ts'

function item (session: SessionInfo): HTMLLIElement {
  const name = browserText(session.userAgent)
  const details = [`signed in on ${dateText(session.createdAt)}`, session.lastSeenAt === null ? null : `last active on ${dateText(session.lastSeenAt)}`, session.ip]
    .filter((part) => part !== null).join(' · ')
  const label = element('span', {}, element('strong', {}, name), session.current ? element('span', { class: 'badge ok' }, 'This browser') : '', element('br'), element('small', {}, details))
  const end = session.current
    ? actionButton('Sign out', async () => { await auth.signOut(); signedOut('Signed out.') })
    : actionButton('End', async () => { await endSession(session) }, { 'aria-label': `End the session of ${name}, signed in ${dateText(session.createdAt)}` })
  return element('li', { 'data-id': session.id, ...(session.current ? { 'data-current': '' } : {}) }, label, end)
}

async function endSession (session: SessionInfo): Promise<void> {
  const ended = await auth.revokeSession({ id: session.id })
  await load()
  notify(ended === true ? `${browserText(session.userAgent)} is signed out.` : 'That session had ended already.')
}

export async function load (): Promise<void> {
  const sessions = await auth.sessions()
  $('#sessions-list').replaceChildren(...sessions.map(item))
  $('#end-other-sessions').hidden = !sessions.some((session) => !session.current)
  await loadDevices()
}

onUser((user: User | null) => {
  if (user === null) {
    $('#sessions-list').replaceChildren()
    clearDevices()
  } else load().catch(() => {})
})

onClick('#end-other-sessions', async () => {
  const ended = await auth.revokeOtherSessions()
  await load()
  notify(ended === 1 ? 'One other session was signed out.' : `${ended ?? 0} other sessions were signed out.`)
})

onClick('#refresh-sessions', load)
