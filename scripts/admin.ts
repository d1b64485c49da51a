// `npm run admin -- <command> …`: user administration on the server's user pool, with the AWS
// SDK v3. It reads the pool as the server does (COGNITO_USER_POOL_ID, COGNITO_REGION,
// COGNITO_ENDPOINT, `.env` in development) or, with none configured, finds the embedded emulator
// of a running `npm start` through EMULATOR_DATA_DIR, and signs with that emulator's admin
// credentials (kept in the same directory). `npm run admin -- --help` lists the commands.
import '../src/node-version.ts'
import { existsSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminResetUserPasswordCommand,
  AdminSetUserMFAPreferenceCommand,
  AdminUserGlobalSignOutCommand,
  CognitoIdentityProviderClient,
  ListUsersCommand,
  type AttributeType
} from '@aws-sdk/client-cognito-identity-provider'
import { runWebhooks, WEBHOOKS_USAGE } from './admin-webhooks.ts'
import { ADMIN_CREDENTIALS_FILE, EMULATOR_ADDRESS_FILE, readAdminCredentials, readEmulatorAddress } from '../src/dev/data-dir.ts'
import { emailPrefixFilter } from '../src/plugins/app/cognito/admin.ts'
import { MAX_PAGE } from '../src/plugins/app/cognito/user.ts'
import { DEVICE_TTL_SECONDS } from '../src/time.ts'
import { createRedisClient, openRedis } from '../src/plugins/app/redis.ts'
import { createRedisRevocationStore } from '../src/plugins/app/revocation-redis.ts'
import { createRevocation, type Revocation } from '../src/plugins/app/revocation.ts'

/** Where the commands act: a user pool, and how to reach it. */
export interface PoolTarget {
  region: string
  userPoolId: string
  /** A Cognito-compatible endpoint instead of AWS. */
  endpoint?: string
  /** The SDK's standard chain when absent. */
  credentials?: { accessKeyId: string, secretAccessKey: string }
}

/** An SDK client and the pool it administers. */
export interface PoolAdmin {
  cognito: CognitoIdentityProviderClient
  userPoolId: string
}

/** What a stand-alone emulator on this machine (cognito-local in Docker) accepts: anything. The embedded one wants its own. */
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' }
const isLoopback = (endpoint: string) => /^https?:\/\/(localhost|127\.[\d.]+|\[::1\])(:\d+)?(\/|$)/.test(endpoint)

const dataDirOf = (env: Record<string, string | undefined>) => env.EMULATOR_DATA_DIR ?? '.cognito-local'

/**
 * The credentials for an emulator at `endpoint` on this machine: the admin credentials the
 * embedded emulator keeps in EMULATOR_DATA_DIR, when there are some; else undefined (AWS, or a
 * stand-alone emulator: see cognitoClient).
 */
export function emulatorCredentials (endpoint: string | undefined, env: Record<string, string | undefined> = process.env): PoolTarget['credentials'] {
  return endpoint !== undefined && isLoopback(endpoint) ? readAdminCredentials(dataDirOf(env)) : undefined
}

/** An SDK client for Cognito at `target` (a stand-alone emulator on this machine needs no real credentials). */
export function cognitoClient (target: Omit<PoolTarget, 'userPoolId'>): CognitoIdentityProviderClient {
  const local = target.endpoint !== undefined && isLoopback(target.endpoint)
  return new CognitoIdentityProviderClient({
    region: target.region,
    endpoint: target.endpoint,
    credentials: target.credentials ?? (local && process.env.AWS_ACCESS_KEY_ID === undefined ? LOCAL_CREDENTIALS : undefined),
    // An emulator answers what it does not support with a 500 that must not be retried.
    ...(local ? { maxAttempts: 1 } : {})
  })
}

export function poolAdmin (target: PoolTarget): PoolAdmin {
  return { cognito: cognitoClient(target), userPoolId: target.userPoolId }
}

/** Reads `.env` as the server does in development. */
export function loadDotEnv (env: NodeJS.ProcessEnv = process.env): void {
  if (env.NODE_ENV !== 'production' && existsSync('.env')) process.loadEnvFile('.env')
}

/**
 * The pool of the environment: the configured one, or the embedded emulator of a running
 * server (found through `<EMULATOR_DATA_DIR>/emulator.json`, signed for with its admin
 * credentials, `<EMULATOR_DATA_DIR>/admin-credentials.json`).
 */
export function targetFromEnv (env: Record<string, string | undefined> = process.env): PoolTarget {
  const userPoolId = env.COGNITO_USER_POOL_ID
  if (userPoolId !== undefined && userPoolId !== '') {
    const endpoint = env.COGNITO_ENDPOINT || undefined
    const credentials = emulatorCredentials(endpoint, env)
    return { region: env.COGNITO_REGION ?? userPoolId.split('_')[0] ?? '', userPoolId, endpoint, ...(credentials !== undefined ? { credentials } : {}) }
  }
  const dataDir = dataDirOf(env)
  const running = readEmulatorAddress(dataDir)
  if (running !== undefined) {
    const credentials = readAdminCredentials(dataDir)
    if (credentials === undefined) throw new Error(`${dataDir} has ${EMULATOR_ADDRESS_FILE} but no ${ADMIN_CREDENTIALS_FILE}: restart the server (npm start)`)
    return { region: running.region, userPoolId: running.userPoolId, endpoint: running.endpoint, credentials }
  }
  throw new Error('no user pool: set COGNITO_USER_POOL_ID (with COGNITO_ENDPOINT for an emulator), or start the server with its embedded emulator (npm start)')
}

const normalize = (email: string) => email.trim().toLowerCase()

/**
 * The account a command names: by email (every account with that email, a federated one
 * included, whose username is `<Provider>_<id>`), or by its id (Cognito's `sub`, which
 * `list-users` prints) where several accounts have the email. Throws when none, or several, match.
 */
async function accountOf (admin: PoolAdmin, who: string): Promise<{ username: string, sub: string }> {
  const byEmail = who.includes('@')
  const value = byEmail ? normalize(who) : who.trim()
  const found = await admin.cognito.send(new ListUsersCommand({ UserPoolId: admin.userPoolId, Filter: `${byEmail ? 'email' : 'sub'} = "${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`, Limit: MAX_PAGE }))
  const accounts = (found.Users ?? []).flatMap((u) => u.Username === undefined ? [] : [{ username: u.Username, sub: valueOf(u.Attributes, 'sub') ?? '', status: u.UserStatus ?? 'UNKNOWN' }])
  // Named as Cognito names the failure of a look-up by username.
  if (accounts.length === 0) throw Object.assign(new Error(`no account has ${byEmail ? 'the email' : 'the id'} ${value}`), { name: 'UserNotFoundException' })
  if (accounts.length > 1) throw new Error(`${accounts.length} accounts have the email ${value}: name one by its id (${accounts.map((a) => `${a.sub} ${a.status}`).join(', ')})`)
  return accounts[0] as { username: string, sub: string }
}

/** Cognito's username of the account a command names (see accountOf). */
const usernameOf = async (admin: PoolAdmin, who: string): Promise<string> => (await accountOf(admin, who)).username

/**
 * Creates a user with a temporary password, emailed to them (Cognito makes one when none is
 * given). Their email counts as verified; at their first sign-in they choose their own password
 * (the NEW_PASSWORD_REQUIRED challenge).
 */
export async function createUser (admin: PoolAdmin, user: { email: string, name?: string, temporaryPassword?: string }): Promise<{ username: string, status: string }> {
  const email = normalize(user.email)
  const out = await admin.cognito.send(new AdminCreateUserCommand({
    UserPoolId: admin.userPoolId,
    Username: email,
    TemporaryPassword: user.temporaryPassword,
    DesiredDeliveryMediums: ['EMAIL'],
    UserAttributes: [
      { Name: 'email', Value: email },
      { Name: 'email_verified', Value: 'true' },
      ...(user.name !== undefined ? [{ Name: 'name', Value: user.name }] : [])
    ]
  }))
  return { username: out.User?.Username ?? email, status: out.User?.UserStatus ?? 'FORCE_CHANGE_PASSWORD' }
}

/**
 * Adds the user to a group: in their tokens from their next refresh. With `revocation` (the
 * servers' Redis) a refresh a server finished just before is not handed out again either.
 */
export async function addToGroup (admin: PoolAdmin, email: string, group: string, revocation?: Revocation): Promise<void> {
  await admin.cognito.send(new AdminAddUserToGroupCommand({ UserPoolId: admin.userPoolId, Username: await usernameOf(admin, email), GroupName: group }))
  if (revocation !== undefined) await revocation.markUserChanged(await subOf(admin, email))
}

export async function removeFromGroup (admin: PoolAdmin, email: string, group: string, revocation?: Revocation): Promise<void> {
  await admin.cognito.send(new AdminRemoveUserFromGroupCommand({ UserPoolId: admin.userPoolId, Username: await usernameOf(admin, email), GroupName: group }))
  if (revocation !== undefined) await revocation.markUserChanged(await subOf(admin, email))
}

/**
 * The running servers' revocations, reached through their Redis (REDIS_URL): what the script
 * writes there ends sessions on every instance at once, as the API's admin operations do.
 * Undefined without REDIS_URL: a server without Redis keeps its revocations in its own memory,
 * which no other process can reach.
 */
export async function sharedRevocation (env: Record<string, string | undefined>): Promise<(Revocation & { disconnect: () => Promise<void> }) | undefined> {
  const url = env.REDIS_URL
  if (url === undefined || url === '') return undefined
  const settings = { url, cluster: env.REDIS_CLUSTER === 'true' }
  const failures: Error[] = []
  const redis = createRedisClient(settings, (err) => failures.push(err))
  if (!(await openRedis(redis))) {
    redis.disconnect()
    throw new Error(`Redis at REDIS_URL does not answer (${failures[0]?.message ?? 'no answer'}): nothing was done`)
  }
  // The store the server uses, without a mirror of its own: its writes reach every instance's mirror at once.
  const store = createRedisRevocationStore(redis)
  const skew = Number(env.CLOCK_SKEW_SECONDS ?? 5)
  const revocation = createRevocation({ store, maxTokenLifetimeSeconds: 86_400, skewSeconds: Number.isInteger(skew) ? skew : 5, markLifetimeSeconds: DEVICE_TTL_SECONDS })
  return Object.assign(revocation, {
    async disconnect () {
      await revocation.close()
      await redis.quit().catch(() => redis.disconnect())
    }
  })
}

/** The `sub` of the account a command names (see accountOf). */
async function subOf (admin: PoolAdmin, email: string): Promise<string> {
  const { sub } = await accountOf(admin, email)
  if (sub === '') throw new Error(`Cognito named no sub for ${normalize(email)}`)
  return sub
}

/**
 * Ends every session of the user: the "not before" mark in the servers' Redis first (when
 * given: every token issued until now stops working at once), then Cognito's global sign-out
 * (every refresh token revoked).
 */
async function endSessions (admin: PoolAdmin, email: string, revocation?: Revocation): Promise<void> {
  if (revocation !== undefined) await revocation.endAllSessions(await subOf(admin, email))
  await admin.cognito.send(new AdminUserGlobalSignOutCommand({ UserPoolId: admin.userPoolId, Username: await usernameOf(admin, email) }))
}

/** The user can no longer sign in or refresh a session; their sessions end (at once with `revocation`). */
export async function disableUser (admin: PoolAdmin, email: string, revocation?: Revocation): Promise<void> {
  await admin.cognito.send(new AdminDisableUserCommand({ UserPoolId: admin.userPoolId, Username: await usernameOf(admin, email) }))
  await endSessions(admin, email, revocation)
}

export async function enableUser (admin: PoolAdmin, email: string): Promise<void> {
  await admin.cognito.send(new AdminEnableUserCommand({ UserPoolId: admin.userPoolId, Username: await usernameOf(admin, email) }))
}

/** Revokes every refresh token of the user (and, with `revocation`, every token at once): no session of theirs goes on. */
export async function signOutEverywhere (admin: PoolAdmin, email: string, revocation?: Revocation): Promise<void> {
  await endSessions(admin, email, revocation)
}

/**
 * The user must choose a new password: Cognito emails a code for the forgotten-password flow
 * and sign-in answers PasswordResetRequiredException until it is used; their sessions end.
 */
export async function resetPassword (admin: PoolAdmin, email: string, revocation?: Revocation): Promise<void> {
  await admin.cognito.send(new AdminResetUserPasswordCommand({ UserPoolId: admin.userPoolId, Username: await usernameOf(admin, email) }))
  await endSessions(admin, email, revocation)
}

/** A user as `list-users` shows them. */
export interface ListedUser { email: string, status: string, enabled: boolean, groups: string[], createdAt: Date | undefined, id: string }

const valueOf = (attributes: AttributeType[] | undefined, name: string) => attributes?.find((a) => a.Name === name)?.Value

/** Every user (whose email starts with `prefix`), a page of `pageSize` at a time, with their groups. */
export async function * listUsers (admin: PoolAdmin, { prefix, pageSize = MAX_PAGE }: { prefix?: string, pageSize?: number } = {}): AsyncGenerator<ListedUser> {
  let token: string | undefined
  do {
    const page = await admin.cognito.send(new ListUsersCommand({
      UserPoolId: admin.userPoolId,
      Limit: pageSize,
      ...(prefix !== undefined && prefix !== '' ? { Filter: emailPrefixFilter(normalize(prefix)) } : {}),
      ...(token !== undefined ? { PaginationToken: token } : {})
    }))
    for (const user of page.Users ?? []) {
      const groups = await admin.cognito.send(new AdminListGroupsForUserCommand({ UserPoolId: admin.userPoolId, Username: user.Username ?? '', Limit: MAX_PAGE }))
      yield {
        email: valueOf(user.Attributes, 'email') ?? user.Username ?? '',
        status: user.UserStatus ?? 'UNKNOWN',
        enabled: user.Enabled !== false,
        groups: (groups.Groups ?? []).flatMap((g) => g.GroupName ?? []),
        createdAt: user.UserCreateDate,
        id: valueOf(user.Attributes, 'sub') ?? ''
      }
    }
    token = page.PaginationToken || undefined
  } while (token !== undefined)
}

/**
 * Turns off every second factor of a user who lost their authenticator (AWS has no other reset).
 * They sign in with their password alone, or set up a new authenticator where the pool requires MFA.
 */
export async function resetMfa (admin: PoolAdmin, email: string): Promise<void> {
  await admin.cognito.send(new AdminSetUserMFAPreferenceCommand({
    UserPoolId: admin.userPoolId,
    Username: await usernameOf(admin, email),
    SMSMfaSettings: { Enabled: false, PreferredMfa: false },
    SoftwareTokenMfaSettings: { Enabled: false, PreferredMfa: false }
  }))
}

const USAGE = `usage: npm run admin -- <command> <email> [options]

  list-users [email-prefix] [--page-size N]
                                 the users (whose email starts with the prefix): email, status, enabled, groups, created, id
  create-user <email> [--name NAME] [--temporary-password PASSWORD]
                                 create a user; the temporary password is emailed (generated when not given)
  add-to-group <email> [group]   add the user to a group (default: ADMIN_GROUP, or admin); in their tokens from their next refresh
  remove-from-group <email> [group]
  disable <email>                the user can no longer sign in; their sessions end
  enable <email>
  sign-out <email>               end every session of the user (also: sign-out-everywhere)
  reset-password <email>         the user must choose a new password (a code is emailed); their sessions end
  reset-mfa <email>              turn off the user's second factors (a lost authenticator)
${WEBHOOKS_USAGE}
  help, -h, --help               this text

<email> names every account with that email, a federated one (status EXTERNAL_PROVIDER) too;
where several have it (a password account and a federated one), name the account by its id
(the last column of list-users) instead: the command refuses to guess.

The pool: COGNITO_USER_POOL_ID (COGNITO_REGION, COGNITO_ENDPOINT), or the embedded emulator of
a running \`npm start\` (EMULATOR_DATA_DIR, default .cognito-local). AWS credentials: the SDK's
chain; for the embedded emulator, the admin credentials in its EMULATOR_DATA_DIR.

Ending sessions: with REDIS_URL (the servers' Redis) every session ends at once, as through the
API. Without it only Cognito is told: no session can be refreshed, but access tokens a server
already verified stay good until they expire (a server without Redis keeps its revocations in
its own memory, which this process cannot reach).`

/** Said after a command that ends sessions when the servers' Redis is not reachable from here. */
const NO_REDIS_NOTE = 'note: REDIS_URL is not set, so only Cognito was told: the sessions cannot be refreshed, but access tokens a server already verified stay good until they expire (use the API\'s admin operations, or REDIS_URL, to end them at once)'

/** Commands that end the user's sessions. */
const ENDS_SESSIONS = new Set(['disable', 'sign-out', 'sign-out-everywhere', 'reset-password'])
/** Commands that tell the servers (through their Redis, when reachable) that the user changed. */
const CHANGES_USER = new Set(['add-to-group', 'remove-from-group'])

/** The CLI: runs one command and returns the exit code (0 done, 1 failed, 2 usage). */
export async function runAdmin (argv: string[], env: Record<string, string | undefined> = process.env, print: (line: string) => void = console.log, printError: (line: string) => void = console.error): Promise<number> {
  let parsed
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { name: { type: 'string' }, 'temporary-password': { type: 'string' }, 'page-size': { type: 'string' }, limit: { type: 'string' }, help: { type: 'boolean', short: 'h' } } })
  } catch (err) {
    printError(`${(err as Error).message}\n\n${USAGE}`)
    return 2
  }
  if (parsed.values.help === true) {
    print(USAGE)
    return 0
  }
  const [command, positional, group] = parsed.positionals
  if (command === 'webhooks') return await runWebhooks({ sub: positional, id: group, limit: parsed.values.limit }, env, print, printError, USAGE)
  const email = positional ?? ''
  if (command === undefined || command === 'help' || (positional === undefined && command !== 'list-users')) {
    ;(command === 'help' ? print : printError)(USAGE)
    return command === 'help' ? 0 : 2
  }
  const pageSize = Number(parsed.values['page-size'] ?? MAX_PAGE)
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE) {
    printError(`--page-size must be between 1 and ${MAX_PAGE}\n\n${USAGE}`)
    return 2
  }
  const adminGroup = group ?? env.ADMIN_GROUP ?? 'admin'
  let revocation: Awaited<ReturnType<typeof sharedRevocation>>
  const commands: Record<string, (admin: PoolAdmin) => Promise<string>> = {
    'list-users': async (admin) => {
      const lines: string[] = []
      for await (const user of listUsers(admin, { prefix: positional, pageSize })) {
        lines.push([user.email, user.status, user.enabled ? 'enabled' : 'disabled', user.groups.join(',') || '-', user.createdAt?.toISOString() ?? '-', user.id].join('\t'))
      }
      return lines.length === 0 ? 'no users' : lines.join('\n')
    },
    'create-user': async (admin) => {
      const created = await createUser(admin, { email, name: parsed.values.name, temporaryPassword: parsed.values['temporary-password'] })
      return `created ${normalize(email)} (${created.status}): the temporary password was emailed; a new one is chosen at the first sign-in`
    },
    'add-to-group': async (admin) => { await addToGroup(admin, email, adminGroup, revocation); return `added ${normalize(email)} to ${adminGroup}` },
    'remove-from-group': async (admin) => { await removeFromGroup(admin, email, adminGroup, revocation); return `removed ${normalize(email)} from ${adminGroup}` },
    disable: async (admin) => { await disableUser(admin, email, revocation); return `disabled ${normalize(email)} and ended their sessions` },
    enable: async (admin) => { await enableUser(admin, email); return `enabled ${normalize(email)}` },
    'sign-out': async (admin) => { await signOutEverywhere(admin, email, revocation); return `signed ${normalize(email)} out everywhere` },
    'sign-out-everywhere': async (admin) => { await signOutEverywhere(admin, email, revocation); return `signed ${normalize(email)} out everywhere` },
    'reset-password': async (admin) => { await resetPassword(admin, email, revocation); return `reset the password of ${normalize(email)}: a code was emailed; their sessions ended` },
    'reset-mfa': async (admin) => { await resetMfa(admin, email); return `turned off the second factors of ${normalize(email)}` }
  }
  const run = commands[command]
  if (run === undefined) {
    printError(`unknown command: ${command}\n\n${USAGE}`)
    return 2
  }
  let admin: PoolAdmin | undefined
  try {
    admin = poolAdmin(targetFromEnv(env))
    if (ENDS_SESSIONS.has(command) || CHANGES_USER.has(command)) revocation = await sharedRevocation(env)
    print(await run(admin))
    if (ENDS_SESSIONS.has(command) && revocation === undefined) print(NO_REDIS_NOTE)
    return 0
  } catch (err) {
    const e = err as Error
    printError(`${command} failed: ${e.name === 'Error' ? '' : `${e.name}: `}${e.message}`)
    return 1
  } finally {
    admin?.cognito.destroy()
    await revocation?.disconnect()
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  loadDotEnv()
  process.exitCode = await runAdmin(process.argv.slice(2))
}
