// Resolvers: the admin group's reads and operations on other accounts.
import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql'
import { AppError } from '../../errors.ts'
import { noteSubject } from '../../plugins/app/audit-subject.ts'
import { MAX_PAGE, type AdminAccount } from '../../plugins/app/cognito.ts'
import type { AdminUser, MutationResolvers, QueryResolvers } from '../generated.ts'
import { endOwnSession, requireSession, type GraphQLContext } from '../context.ts'
import * as input from '../input.ts'
import { namedBy } from './account.ts'

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

/** What an admin input names an account by: its email or phone number (as the pool signs in), and its id where several have it. */
interface Named { email?: string | null, phone?: string | null, id?: string | null }

/**
 * The account an admin input names: the one account with its email (or phone number), or, where
 * several have it (a password account and a federated one), the one its `id` names; refused when
 * several have it and no id chooses (acting on the wrong one would be worse than asking).
 * Undefined for none.
 */
async function accountNamed (ctx: GraphQLContext, named: Named): Promise<AdminAccount | undefined> {
  const accounts = await ctx.cognito.findAccounts(namedBy(ctx, named))
  if (named.id != null) return accounts.find((account) => account.id === named.id)
  if (accounts.length > 1) throw new AppError('BAD_USER_INPUT', `${accounts.length} accounts have this email or phone number (a password account and a federated one): name the account by its id (AdminUser.id, as users lists it).`)
  return accounts[0]
}

/** An account after a change to it: as it is now (null when it is gone). */
async function currentAccount (ctx: GraphQLContext, named: Named, account: AdminAccount, info: GraphQLResolveInfo): Promise<AdminUser | null> {
  const now = await accountNamed(ctx, { ...named, id: account.id })
  return now === undefined ? null : await adminUserOf(ctx, now, selects(info, [], 'groups'))
}

/**
 * Adds the named account to a group or takes it out (`change`), then answers the account as it is
 * now; null for an unknown email. The user's next refresh asks Cognito, even one repeated at once
 * (the "user changed" mark): the tokens carry the change.
 */
async function changeGroup (ctx: GraphQLContext, named: Named & { group: string }, info: GraphQLResolveInfo, change: (username: string, group: string) => Promise<void>): Promise<AdminUser | null> {
  const group = groupName(named.group)
  const account = await accountNamed(ctx, named)
  if (account === undefined) return null
  await change(account.username, group)
  noteSubject({ userId: account.id, email: account.email })
  await ctx.sessions.userChanged(account.id)
  return await currentAccount(ctx, named, account, info)
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
    const page = await ctx.cognito.listAccounts({ emailPrefix: emailPrefix(args.filter), limit: input.first(args.first, MAX_PAGE), token: cursor(args.after) })
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
    const account = await accountNamed(ctx, args.input)
    if (account === undefined) return false
    // Signed out everywhere first: Cognito's global sign-out needs the user to exist.
    await ctx.sessions.endAll({ userId: account.id, username: account.username })
    await ctx.cognito.adminDeleteUser(account.username)
    noteSubject({ userId: account.id, email: account.email })
    if (account.id === caller.userId) await endOwnSession(ctx, caller, { revokeAtCognito: false })
    return true
  },

  async adminDisableUser (_root, args, ctx, info) {
    const account = await accountNamed(ctx, args.input)
    if (account === undefined) return null
    // Disabled first: no new sign-in or refresh can start a session the mark would not cover.
    await ctx.cognito.disableAccount(account.username)
    await endSessionsOf(ctx, account)
    return await adminUserOf(ctx, { ...account, enabled: false }, selects(info, [], 'groups'))
  },

  async adminEnableUser (_root, args, ctx, info) {
    const account = await accountNamed(ctx, args.input)
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
    const account = await accountNamed(ctx, args.input)
    if (account === undefined) return false
    await endSessionsOf(ctx, account)
    return true
  },

  async adminResetPassword (_root, args, ctx) {
    const account = await accountNamed(ctx, args.input)
    if (account === undefined) return false
    // Reset first: the old password signs nobody in while the sessions end.
    await ctx.cognito.resetPassword(account.username)
    await endSessionsOf(ctx, account)
    return true
  }
}
