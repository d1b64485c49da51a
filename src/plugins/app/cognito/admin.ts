// The adapter: an administrator's reads and operations on other accounts.
import {
  AdminAddUserToGroupCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminResetUserPasswordCommand,
  ListUsersCommand,
  type AdminListGroupsForUserCommandOutput,
  type AttributeType,
  type ListUsersCommandOutput
} from '@aws-sdk/client-cognito-identity-provider'
import { AppError } from '../../../errors.ts'
import { exceptionName } from './errors.ts'
import { attributeOfName } from './sign-in-names.ts'
import { attributeFilter, MAX_PAGE } from './user.ts'
import { attribute, type CognitoClient } from './client.ts'

/** An account as an administrator sees it, in the API's vocabulary (Cognito's username kept for the calls that follow). */
export interface AdminAccount {
  /** Cognito's username: what the admin calls name the user by. */
  username: string
  /** Cognito's `sub`. */
  id: string
  email: string
  emailVerified: boolean
  name: string | null
  enabled: boolean
  /** Cognito's UserStatus: UNCONFIRMED, CONFIRMED, FORCE_CHANGE_PASSWORD, RESET_REQUIRED … */
  status: string
  createdAt: Date
}

/** A page of ListUsers. */
export interface AccountPage {
  accounts: AdminAccount[]
  /** Cognito's PaginationToken of the next page; undefined on the last. */
  nextToken: string | undefined
}

/** Pages of one user's groups read at most (MAX_PAGE each): a bound on what one account costs. */
const MAX_GROUP_PAGES = 5

/** ListUsers' filter for an email prefix. */
export const emailPrefixFilter = (prefix: string): string => attributeFilter('email', '^=', prefix)

function accountOf (user: { Username?: string, Attributes?: AttributeType[], UserAttributes?: AttributeType[], Enabled?: boolean, UserStatus?: string, UserCreateDate?: Date }): AdminAccount | undefined {
  const attrs = user.Attributes ?? user.UserAttributes
  const id = attribute(attrs, 'sub')
  if (user.Username === undefined || id === undefined) return undefined
  return {
    username: user.Username,
    id,
    email: attribute(attrs, 'email') ?? '',
    emailVerified: attribute(attrs, 'email_verified') === 'true',
    name: attribute(attrs, 'name') ?? null,
    enabled: user.Enabled !== false,
    status: user.UserStatus ?? 'UNKNOWN',
    createdAt: user.UserCreateDate ?? new Date(0)
  }
}

/** A group the pool does not have is the caller's mistake, not Cognito's failure. */
async function withGroup<T> (cognito: CognitoClient, group: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (err) {
    if (err instanceof AppError && err.code === 'INTERNAL_SERVER_ERROR' && exceptionName(err.cause) === 'ResourceNotFoundException') {
      throw new AppError('BAD_USER_INPUT', `The pool has no group named ${JSON.stringify(group)}.`)
    }
    throw err
  }
}

/** An administrator's calls (admin credentials): finding accounts, their groups, and changing their state. */
export function adminOperations (cognito: CognitoClient) {
  const { call, pool } = cognito
  const userPoolId = pool.userPoolId

  return {
    /** One page of the pool's accounts, optionally those whose email starts with `emailPrefix`. */
    async listAccounts ({ emailPrefix, limit, token }: { emailPrefix?: string, limit: number, token?: string }): Promise<AccountPage> {
      const out = await call<ListUsersCommandOutput>(new ListUsersCommand({
        UserPoolId: userPoolId,
        Limit: limit,
        ...(emailPrefix !== undefined && emailPrefix !== '' ? { Filter: emailPrefixFilter(emailPrefix) } : {}),
        ...(token !== undefined ? { PaginationToken: token } : {})
      }))
      return { accounts: (out.Users ?? []).flatMap((u) => accountOf(u) ?? []), nextToken: out.PaginationToken || undefined }
    },

    /**
     * Every account whose email (or phone number, for a name that is one) is `name`: a password
     * account, and federated ones (`<Provider>_<id>`, which Cognito finds by no email of theirs), at most MAX_PAGE.
     */
    async findAccounts (name: string): Promise<AdminAccount[]> {
      const out = await call<ListUsersCommandOutput>(new ListUsersCommand({ UserPoolId: userPoolId, Limit: MAX_PAGE, Filter: attributeFilter(attributeOfName(name), '=', name) }))
      return (out.Users ?? []).flatMap((u) => accountOf(u) ?? [])
    },

    /** The groups of an account (at most MAX_GROUP_PAGES pages of them). */
    async groupsOf (username: string): Promise<string[]> {
      const groups: string[] = []
      let token: string | undefined
      for (let page = 0; page < MAX_GROUP_PAGES; page++) {
        const out = await call<AdminListGroupsForUserCommandOutput>(new AdminListGroupsForUserCommand({ UserPoolId: userPoolId, Username: username, Limit: MAX_PAGE, NextToken: token }))
        groups.push(...(out.Groups ?? []).flatMap((g) => g.GroupName ?? []))
        token = out.NextToken || undefined
        if (token === undefined) break
      }
      return groups
    },

    /** The user can no longer sign in or refresh. */
    async disableAccount (username: string): Promise<void> {
      await call(new AdminDisableUserCommand({ UserPoolId: userPoolId, Username: username }))
    },

    async enableAccount (username: string): Promise<void> {
      await call(new AdminEnableUserCommand({ UserPoolId: userPoolId, Username: username }))
    },

    /** BAD_USER_INPUT for a group the pool does not have. */
    async addToGroup (username: string, group: string): Promise<void> {
      await withGroup(cognito, group, async () => await call(new AdminAddUserToGroupCommand({ UserPoolId: userPoolId, Username: username, GroupName: group })))
    },

    /** BAD_USER_INPUT for a group the pool does not have. */
    async removeFromGroup (username: string, group: string): Promise<void> {
      await withGroup(cognito, group, async () => await call(new AdminRemoveUserFromGroupCommand({ UserPoolId: userPoolId, Username: username, GroupName: group })))
    },

    /**
     * Cognito voids the password (sign-in answers PasswordResetRequiredException) and sends the
     * user a code for ConfirmForgotPassword. Not retried: each attempt sends a code.
     */
    async resetPassword (username: string): Promise<void> {
      await call(new AdminResetUserPasswordCommand({ UserPoolId: userPoolId, Username: username }), { retry: false })
    }
  }
}
