// The emulator's ListUsers operation: AWS's request in, its response out, its named errors thrown.
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

/** AWS's case rules: username and status compare case-sensitively, every other attribute ignoring case. */
const CASE_SENSITIVE = ['username', 'status']

/** AWS's limit on the filter string. */
const MAX_FILTER = 256

/** AWS's filter grammar: `attribute = "value"` or `attribute ^= "value"`, a quote or backslash in the value escaped by a backslash. */
const FILTER = /^\s*([\w:]+)\s*(\^?=)\s*"((?:[^"\\]|\\.)*)"\s*$/

/** A parsed filter: which users match, and the attribute they are then sorted by. */
interface Filter { matches: (user: User) => boolean, sortKey: (user: User) => string }

function parseFilter (filter: string | undefined): Filter | undefined {
  if (filter === undefined || filter.trim() === '') return undefined
  if (filter.length > MAX_FILTER) throw new InvalidParameterError(`1 validation error detected: Value at 'filter' failed to satisfy constraint: Member must have length less than or equal to ${MAX_FILTER}`)
  const match = FILTER.exec(filter)
  if (match === null) throw new InvalidParameterError('Error while parsing filter.')
  const [, attribute = '', operator, escaped = ''] = match
  const read = SEARCHABLE[attribute]
  if (read === undefined) throw new InvalidParameterError(`Invalid search attribute: ${attribute}`)
  const fold = CASE_SENSITIVE.includes(attribute) ? (v: string) => v : (v: string) => v.toLowerCase()
  const value = fold(escaped.replace(/\\(.)/g, '$1'))
  return {
    matches: (user) => {
      const actual = read(user)
      return actual !== undefined && (operator === '=' ? fold(actual) === value : fold(actual).startsWith(value))
    },
    sortKey: (user) => fold(read(user) ?? '')
  }
}

/** Where a page ends: the sort key of its last user (its filter attribute's value, or its creation time), then its username. */
interface Position { key: string | number, username: string }
const compare = (a: Position, b: Position): number =>
  (a.key < b.key ? -1 : a.key > b.key ? 1 : 0) || (a.username < b.username ? -1 : a.username > b.username ? 1 : 0)

function readToken (token: string | undefined): Position | undefined {
  if (token === undefined) return undefined
  try {
    const position = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Position
    if ((typeof position.key === 'number' || typeof position.key === 'string') && typeof position.username === 'string') return position
  } catch {}
  throw new InvalidParameterError('Invalid pagination token.')
}

/**
 * ListUsers with what cognito-local leaves out: `Limit` (1 to 60, default 60), `PaginationToken`,
 * a filter value with escaped quotes, AWS's case rules (username and status case-sensitive, the
 * rest not), the 256-character limit of the filter, results sorted by the filter's attribute as
 * AWS documents, and `AttributesToGet`. Assumed (AWS does not document it): without a filter users
 * come oldest first, and a token lists the users after the last one of its page, so a page stays
 * right while users are added or removed.
 */
export const ListUsers: Target<ListUsersRequest, ListUsersResponse> = async (req, bridge) => {
  const limit = req.Limit ?? MAX_LIMIT
  if (!Number.isInteger(limit) || limit < 0 || limit > MAX_LIMIT) throw new InvalidParameterError(`Limit must be between 0 and ${MAX_LIMIT}.`)
  const pool = await poolById(bridge, req.UserPoolId)
  const filter = parseFilter(req.Filter)
  const keyOf = (user: User): Position => ({ key: filter === undefined ? new Date(user.UserCreateDate).getTime() : filter.sortKey(user), username: user.Username })
  const from = readToken(req.PaginationToken)
  const users = (await pool.listUsers(bridge.ctx))
    .filter((user) => (filter === undefined || filter.matches(user)) && (from === undefined || compare(keyOf(user), from) > 0))
    .sort((a, b) => compare(keyOf(a), keyOf(b)))
  const page = users.slice(0, limit === 0 ? MAX_LIMIT : limit)
  const last = page.at(-1)
  const more = users.length > page.length && last !== undefined
  const wanted = req.AttributesToGet !== undefined && req.AttributesToGet.length > 0 ? new Set(req.AttributesToGet) : undefined
  return {
    // cognito-local's response types come from aws-sdk v2, whose UserStatus is a plain string.
    Users: page.map((user) => {
      const shown = userToResponseObject(user) as UserType
      return wanted === undefined ? shown : { ...shown, Attributes: (shown.Attributes ?? []).filter((a) => wanted.has(String(a.Name))) }
    }),
    ...(more ? { PaginationToken: Buffer.from(JSON.stringify(keyOf(last))).toString('base64url') } : {})
  }
}
