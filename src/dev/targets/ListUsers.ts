import type { ListUsersRequest, ListUsersResponse, UserType } from '@aws-sdk/client-cognito-identity-provider'
import { InvalidParameterError } from 'cognito-local/lib/errors.js'
import { userToResponseObject } from 'cognito-local/lib/targets/responses.js'
import { attributeValue, type User } from 'cognito-local/lib/services/userPoolService.js'
import { poolById } from '../rules/users.ts'
import type { Target } from './target.ts'

/** AWS's largest page, and its default. */
const MAX_LIMIT = 60

/** The attributes AWS lets ListUsers filter on, and how each is read from a stored user. */
const SEARCHABLE: Readonly<Record<string, (user: User) => string | undefined>> = {
  username: (u) => u.Username,
  email: (u) => attributeValue('email', u.Attributes),
  phone_number: (u) => attributeValue('phone_number', u.Attributes),
  name: (u) => attributeValue('name', u.Attributes),
  given_name: (u) => attributeValue('given_name', u.Attributes),
  family_name: (u) => attributeValue('family_name', u.Attributes),
  preferred_username: (u) => attributeValue('preferred_username', u.Attributes),
  'cognito:user_status': (u) => u.UserStatus,
  status: (u) => u.Enabled === false ? 'Disabled' : 'Enabled',
  sub: (u) => attributeValue('sub', u.Attributes)
}

/** AWS's filter grammar: `attribute = "value"` or `attribute ^= "value"`, a quote or backslash in the value escaped by a backslash. */
const FILTER = /^\s*([\w:]+)\s*(\^?=)\s*"((?:[^"\\]|\\.)*)"\s*$/

function matcher (filter: string | undefined): (user: User) => boolean {
  if (filter === undefined || filter.trim() === '') return () => true
  const match = FILTER.exec(filter)
  if (match === null) throw new InvalidParameterError('Error while parsing filter.')
  const [, attribute = '', operator, escaped = ''] = match
  const read = SEARCHABLE[attribute]
  if (read === undefined) throw new InvalidParameterError(`Invalid search attribute: ${attribute}`)
  const value = escaped.replace(/\\(.)/g, '$1')
  return (user) => {
    const actual = read(user)
    return actual !== undefined && (operator === '=' ? actual === value : actual.startsWith(value))
  }
}

/** Where a page ends: the sort key of its last user. */
interface Position { at: number, username: string }
const keyOf = (user: User): Position => ({ at: new Date(user.UserCreateDate).getTime(), username: user.Username })
const after = (user: User, position: Position): boolean => {
  const { at, username } = keyOf(user)
  return at > position.at || (at === position.at && username > position.username)
}

function readToken (token: string | undefined): Position | undefined {
  if (token === undefined) return undefined
  try {
    const position = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Position
    if (typeof position.at === 'number' && typeof position.username === 'string') return position
  } catch {}
  throw new InvalidParameterError('Invalid pagination token.')
}

/**
 * ListUsers with what cognito-local leaves out: `Limit` (1 to 60, default 60) and
 * `PaginationToken`, and a filter value with escaped quotes. Assumed (AWS documents neither):
 * users come oldest first, and a token lists the users after the last one of its page, so a
 * page stays right while users are added or removed.
 */
export const ListUsers: Target<ListUsersRequest, ListUsersResponse> = async (req, bridge) => {
  const limit = req.Limit ?? MAX_LIMIT
  if (!Number.isInteger(limit) || limit < 0 || limit > MAX_LIMIT) throw new InvalidParameterError(`Limit must be between 0 and ${MAX_LIMIT}.`)
  const pool = await poolById(bridge, req.UserPoolId)
  const matches = matcher(req.Filter)
  const from = readToken(req.PaginationToken)
  const users = (await pool.listUsers(bridge.ctx))
    .filter((user) => matches(user) && (from === undefined || after(user, from)))
    .sort((a, b) => keyOf(a).at - keyOf(b).at || (a.Username < b.Username ? -1 : a.Username > b.Username ? 1 : 0))
  const page = users.slice(0, limit === 0 ? MAX_LIMIT : limit)
  const last = page.at(-1)
  const more = users.length > page.length && last !== undefined
  return {
    // cognito-local's response types come from aws-sdk v2, whose UserStatus is a plain string.
    Users: page.map(userToResponseObject) as UserType[],
    ...(more ? { PaginationToken: Buffer.from(JSON.stringify(keyOf(last))).toString('base64url') } : {})
  }
}
