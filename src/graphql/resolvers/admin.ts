import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql'
import { AppError } from '../../errors.ts'
import { noteSubject } from '../../plugins/app/audit-subject.ts'
import { MAX_PAGE, type AdminAccount } from '../../plugins/app/cognito.ts'
import type { AdminUser, MutationResolvers, QueryResolvers } from '../generated.ts'
import { endOwnSession, requireSession, type GraphQLContext } from '../context.ts'
import * as input from '../input.ts'

/** Group lookups one `users` page makes at once: a page of 60 costs 60 AdminListGroupsForUser calls, four at a time. */
const GROUP_LOOKUPS_AT_ONCE = 4
const MAX_PREFIX = 254
const MAX_CURSOR = 4096
const MAX_GROUP = 128

/** An email prefix: trimmed and lower-cased as emails are stored; no spaces or control characters (no email has them). */
function emailPrefix (value: string | null | undefined): string | undefined {
  const prefix = value?.trim().toLowerCase()
  if (prefix === undefined || prefix === '') return undefined
  // eslint-disable-next-line no-control-regex
  if (prefix.length > MAX_PREFIX || /[\s\u0000-\u001f\u007f]/.test(prefix)) throw new AppError('BAD_USER_INPUT', 'The filter must be the start of an email address, without spaces.')
  return prefix
}

function pageSize (value: number | null | undefined): number {
  const first = value ?? 20
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) throw new AppError('BAD_USER_INPUT', `first must be between 1 and ${MAX_PAGE}.`)
  return first
}

/** The opaque cursor of a previous page (Cognito's PaginationToken); Cognito refuses one it did not issue (BAD_USER_INPUT). */
function cursor (value: string | null | undefined): string | undefined {
  if (value == null) return undefined
  if (value === '' || value.length > MAX_CURSOR || /\s/.test(value)) throw new AppError('BAD_USER_INPUT', 'after must be the endCursor of a previous page.')
  return value
}

function groupName (value: string): string {
  const group = value.trim()
  if (group === '' || group.length > MAX_GROUP || /\s/.test(group)) throw new AppError('BAD_USER_INPUT', `The group must be a name of 1 to ${MAX_GROUP} characters, without spaces.`)
  return group
}

/** Whether the query asks for `field` on the selection at `path` below the resolved field (fragments followed). */
function selects (info: GraphQLResolveInfo, path: string[], field: string): boolean {
  const visit = (set: SelectionSetNode | undefined, rest: string[]): boolean => (set?.selections ?? []).some((selection) => {
    if (selection.kind === Kind.INLINE_FRAGMENT) return visit(selection.selectionSet, rest)
    if (selection.kind === Kind.FRAGMENT_SPREAD) return visit(info.fragments[selection.name.value]?.selectionSet, rest)
    if (rest.length === 0) return selection.name.value === field
    return selection.name.value === rest[0] && visit(selection.selectionSet, rest.slice(1))
  })
  return info.fieldNodes.some((node) => visit(node.selectionSet, path))
}

/** Runs `tasks` at most `limit` at a time, in order. */
async function bounded<T> (tasks: Array<() => Promise<T>>, limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length)
  let next = 0
  const worker = async () => {
    while (next < tasks.length) {
      const index = next++
      results[index] = await (tasks[index] as () => Promise<T>)()
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker))
  return results
}

/** An account as the schema's AdminUser; its groups are read (one Cognito call) only when the query asks for them. */
async function adminUserOf (ctx: GraphQLContext, account: AdminAccount, withGroups: boolean): Promise<AdminUser> {
  const { username: _username, ...fields } = account
  return { ...fields, groups: withGroups ? await ctx.cognito.groupsOf(account.username) : [] }
}

/** The account named by an admin input, after a change to it: as it is now (null when it is gone). */
async function currentAccount (ctx: GraphQLContext, email: string, info: GraphQLResolveInfo): Promise<AdminUser | null> {
  const account = await ctx.cognito.findAccount(email)
  return account === undefined ? null : await adminUserOf(ctx, account, selects(info, [], 'groups'))
}

/**
 * Adds the named account to a group or takes it out (`change`), then answers the account as it is
 * now; null for an unknown email. The user's next refresh asks Cognito, even one repeated at once
 * (the "user changed" mark): the tokens carry the change.
 */
async function changeGroup (ctx: GraphQLContext, named: { email: string, group: string }, info: GraphQLResolveInfo, change: (username: string, group: string) => Promise<void>): Promise<AdminUser | null> {
  const email = input.email(named.email)
  const group = groupName(named.group)
  const account = await ctx.cognito.findAccount(email)
  if (account === undefined) return null
  await change(account.username, group)
  noteSubject({ userId: account.id, email: account.email })
  await ctx.sessions.userChanged(account.id)
  return await currentAccount(ctx, email, info)
}

/**
 * Ends every session of `account` at once (the "not before" mark, then Cognito's global
 * sign-out), and the caller's own cookies when the account is the caller's.
 */
async function endSessionsOf (ctx: GraphQLContext, account: AdminAccount): Promise<void> {
  const caller = await requireSession(ctx)
  await ctx.sessions.endAll({ userId: account.id, username: account.username })
  noteSubject({ userId: account.id, email: account.email })
  if (account.id === caller.userId) await endOwnSession(ctx, caller, { revokeAtCognito: false })
}

/** The admin group's reads (see `@auth(requires: ADMIN)` in schema/admin.graphql). */
export const adminQueries: QueryResolvers = {
  async users (_root, args, ctx, info) {
    const page = await ctx.cognito.listAccounts({ emailPrefix: emailPrefix(args.filter), limit: pageSize(args.first), token: cursor(args.after) })
    const withGroups = selects(info, ['nodes'], 'groups')
    const nodes = await bounded(page.accounts.map((account) => async () => await adminUserOf(ctx, account, withGroups)), GROUP_LOOKUPS_AT_ONCE)
    return { nodes, endCursor: page.nextToken ?? null, hasNextPage: page.nextToken !== undefined }
  }
}

/**
 * Operations of the admin group. An unknown email is no error: false, or null for the fields
 * that answer the account (an administrator may know that an account does not exist).
 */
export const adminMutations: MutationResolvers = {
  async adminDeleteUser (_root, args, ctx) {
    const caller = await requireSession(ctx)
    const email = input.email(args.input.email)
    const user = await ctx.cognito.adminFindUser(email)
    if (user === undefined) return false
    // Signed out everywhere first: Cognito's global sign-out needs the user to exist.
    await ctx.sessions.endAll({ userId: user.sub, username: user.username })
    await ctx.cognito.adminDeleteUser(user.username)
    noteSubject({ userId: user.sub, email })
    if (user.sub === caller.userId) await endOwnSession(ctx, caller, { revokeAtCognito: false })
    return true
  },

  async adminDisableUser (_root, args, ctx, info) {
    const email = input.email(args.input.email)
    const account = await ctx.cognito.findAccount(email)
    if (account === undefined) return null
    // Disabled first: no new sign-in or refresh can start a session the mark would not cover.
    await ctx.cognito.disableAccount(account.username)
    await endSessionsOf(ctx, account)
    return await adminUserOf(ctx, { ...account, enabled: false }, selects(info, [], 'groups'))
  },

  async adminEnableUser (_root, args, ctx, info) {
    const account = await ctx.cognito.findAccount(input.email(args.input.email))
    if (account === undefined) return null
    await ctx.cognito.enableAccount(account.username)
    noteSubject({ userId: account.id, email: account.email })
    return await adminUserOf(ctx, { ...account, enabled: true }, selects(info, [], 'groups'))
  },

  async adminAddUserToGroup (_root, args, ctx, info) {
    return await changeGroup(ctx, args.input, info, ctx.cognito.addToGroup)
  },

  async adminRemoveUserFromGroup (_root, args, ctx, info) {
    return await changeGroup(ctx, args.input, info, ctx.cognito.removeFromGroup)
  },

  async adminSignOutUser (_root, args, ctx) {
    const account = await ctx.cognito.findAccount(input.email(args.input.email))
    if (account === undefined) return false
    await endSessionsOf(ctx, account)
    return true
  },

  async adminResetPassword (_root, args, ctx) {
    const account = await ctx.cognito.findAccount(input.email(args.input.email))
    if (account === undefined) return false
    // Reset first: the old password signs nobody in while the sessions end.
    await ctx.cognito.resetPassword(account.username)
    await endSessionsOf(ctx, account)
    return true
  }
}
