// The doctor's verdict on the admin operations: the credentials may look accounts up (AdminGetUser,
// which every other admin call sits beside), and the pool has the group ADMIN_GROUP names.
import { off, works, type Diagnosis, type Feature } from './feature.ts'
import { judged, lookupRefused, poolCommand, SERVER_ADMIN_ACTIONS } from './fixes.ts'

function admin (d: Diagnosis): Feature {
  const name = 'admin'
  const refused = lookupRefused(d, name, 'the admin operations, sign-up\'s look-up and ending a user\'s sessions need the admin calls', SERVER_ADMIN_ACTIONS)
  if (refused !== undefined) return refused
  const group = d.config.adminGroup
  const groups = d.facts.groups ?? []
  if (!groups.includes(group)) {
    const others = groups.length === 0 ? '' : `, or ADMIN_GROUP=<one of ${groups.join(', ')}>`
    return off(name, `the pool has no group ${group} (ADMIN_GROUP): nobody may use the admin operations`, `${poolCommand(d, 'create-group', `--group-name ${group}`)}${others}`)
  }
  return works(name, `members of ${group} use the admin operations; the credentials may call AdminGetUser (the server also calls ${SERVER_ADMIN_ACTIONS.filter((a) => a !== 'AdminGetUser').join(', ')})`)
}

export const adminVerdict = (d: Diagnosis): Feature => judged(d, 'admin', ['ListGroups'], () => admin(d))
