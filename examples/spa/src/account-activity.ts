// The account page's recent security activity: what the server recorded of the account (sign-ins
// and failed ones, changes, ended sessions), newest first, in words.
import type { SecurityEvent, User } from 'cognito-graphql-auth/client'
import { auth } from './auth.ts'
import { onUser } from './session.ts'
import { $, element } from './ui.ts'
import { browserText, dateText, eventText, methodText } from './words.ts'

function item (event: SecurityEvent): HTMLLIElement {
  const how = methodText(event.method)
  const where = [event.userAgent === null ? null : browserText(event.userAgent), event.ip].filter((part) => part !== null).join(' · ')
  return element('li', { 'data-type': event.type, class: event.type === 'sign-in-failed' ? 'warn' : '' },
    element('span', {}, element('strong', {}, eventText(event.type)), how === null ? '' : ` ${how}`, element('br'), element('small', {}, [dateText(event.at), where].filter((part) => part !== '').join(' · '))))
}

export async function load (): Promise<void> {
  const events = await auth.securityEvents({ first: 20 })
  $('#activity-list').replaceChildren(...events.map(item))
  $('#activity-empty').hidden = events.length > 0
}

onUser((user: User | null) => {
  if (user === null) $('#activity-list').replaceChildren()
  else load().catch(() => {})
})
