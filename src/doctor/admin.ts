// The doctor's verdict on the admin operations: the credentials may look accounts up (AdminGetUser,
// which every other admin call sits beside), and the pool has the group ADMIN_GROUP names.
import { change, off, works, type Diagnosis, type Feature } from './feature.ts'
import { grant, judged, poolCommand, SERVER_ADMIN_ACTIONS } from './fixes.ts'

function admin (d: Diagnosis): Feature {
  const name = 'admin'
  if (d.facts.adminLookup !== true) {
    const why = d.facts.denials.get('AdminGetUser')?.reason === 'denied' ? 'the credentials may not call AdminGetUser' : 'no admin credentials'
    return change(name, `${why}: the admin operations, sign-up's look-up and ending a user's sessions need the admin calls`, grant(d, SERVER_ADMIN_ACTIONS, 'AdminGetUser'))
  }
  const group = d.config.adminGroup
  const groups = d.facts.groups ?? []
  if (!groups.includes(group)) {
    const others = groups.length === 0 ? '' : `, or ADMIN_GROUP=<one of ${groups.join(', ')}>`
    return off(name, `the pool has no group ${group} (ADMIN_GROUP): nobody may use the admin operations`, `${poolCommand(d, 'create-group', `--group-name ${group}`)}${others}`)
  }
  return works(name, `members of ${group} use the admin operations; the credentials may call AdminGetUser (the server also calls ${SERVER_ADMIN_ACTIONS.filter((a) => a !== 'AdminGetUser').join(', ')})`)
}

export const adminVerdict = (d: Diagnosis): Feature => judged(d, 'admin', ['ListGroups'], () => admin(d))
