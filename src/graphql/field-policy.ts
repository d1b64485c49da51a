import { CODE_ENTRY, DELIVERY, PASSWORD_CHECK, type LimitName } from '../plugins/app/rate-limits.ts'
import { authorizationRules } from './authorization.ts'
import type { Role } from './generated.ts'

/**
 * Whose account a field's call is about, and so whose buckets its codes and failures count
 * against and whose email its audit event names: the user of the held sign-in challenge
 * (whoever else is signed in); the email the input names, else the session's user; or the
 * session's user. Never an identity merely present on the request, such as a session cookie
 * beside a challenge cookie, or a challenge cookie beside a Bearer token.
 */
export type AccountOf = 'challenge' | 'named' | 'session'

/** What happens around one GraphQL field, beside its resolver (applied by src/graphql/guard.ts). */
export interface FieldPolicy {
  /** Whose account the call is about; 'session' when not given. */
  account?: AccountOf
  /** The rate-limit buckets each invocation draws on (src/rate-limit-rules.ts defines them). */
  limits?: readonly LimitName[]
  /** The audit event every call is (src/plugins/app/audit.ts records it). */
  audit?: string
  /** The field completes a sign-in with the password: a session it answers makes this browser a known device of the account. */
  trustsDevice?: true
}

/** A field's policy as applied: its entry, and the role the SDL's `@auth` gives it. */
export interface AppliedPolicy extends FieldPolicy {
  role?: Role
  /** An app's field (authServer's `schema`): its resolver finds the caller in `ctx.user`. */
  app?: true
}

const COGNITO_USER: LimitName[] = ['cognito.user']

/**
 * Every field with a resolver, by `Type.field`. The role is not written here: the SDL's `@auth`
 * is the one place of authorization, and fieldPolicies() reads it at start. Fields not limited
 * here still draw on buckets elsewhere: every refresh (explicit or transparent) on
 * `refresh.address` in the session manager, every step-up password check on PASSWORD_CHECK
 * (src/graphql/step-up.ts), and Cognito's user details on `cognito.user` (the context).
 */
export const FIELD_POLICIES: Readonly<Record<string, FieldPolicy>> = {
  'Mutation.signUp': { account: 'named', limits: ['signUp.address'], audit: 'sign-up' },
  'Mutation.confirmSignUp': { account: 'named', limits: CODE_ENTRY, audit: 'sign-up-confirmed' },
  'Mutation.resendConfirmationCode': { account: 'named', limits: DELIVERY },
  'Mutation.forgotPassword': { account: 'named', limits: DELIVERY, audit: 'password-reset-requested' },
  'Mutation.confirmForgotPassword': { account: 'named', limits: CODE_ENTRY, audit: 'password-reset' },
  'Mutation.signIn': { account: 'named', limits: PASSWORD_CHECK, audit: 'sign-in', trustsDevice: true },
  'Mutation.respondToChallenge': { account: 'challenge', limits: CODE_ENTRY, audit: 'sign-in', trustsDevice: true },
  'Mutation.refreshSession': { audit: 'refresh' },
  'Mutation.signOut': { limits: COGNITO_USER, audit: 'sign-out' },
  'Mutation.changePassword': { limits: [...PASSWORD_CHECK, 'cognito.user'], audit: 'password-changed', trustsDevice: true },
  'Mutation.revokeSession': { limits: COGNITO_USER, audit: 'session-revoked' },
  'Query.sessions': {},
  'Mutation.setupTotp': { limits: COGNITO_USER, audit: 'mfa-changed' },
  'Mutation.verifyTotp': { limits: CODE_ENTRY, audit: 'mfa-changed' },
  'Mutation.disableTotp': { limits: COGNITO_USER, audit: 'mfa-changed' },
  // The email named is the new address, when the change names one.
  'Mutation.updateProfile': { account: 'named', limits: COGNITO_USER, audit: 'profile-changed' },
  'Mutation.verifyEmail': { limits: CODE_ENTRY, audit: 'profile-changed' },
  'Mutation.resendEmailVerificationCode': { limits: DELIVERY },
  'Mutation.deleteAccount': { limits: COGNITO_USER, audit: 'account-deleted' },
  // The email named is the account deleted, not the administrator's.
  'Mutation.adminDeleteUser': { account: 'named', limits: COGNITO_USER, audit: 'account-deleted' },
  // The same for the other admin operations: the caller's id, the target account's email.
  'Mutation.adminDisableUser': { account: 'named', limits: COGNITO_USER, audit: 'account-disabled' },
  'Mutation.adminEnableUser': { account: 'named', limits: COGNITO_USER, audit: 'account-enabled' },
  'Mutation.adminAddUserToGroup': { account: 'named', limits: COGNITO_USER, audit: 'groups-changed' },
  'Mutation.adminRemoveUserFromGroup': { account: 'named', limits: COGNITO_USER, audit: 'groups-changed' },
  'Mutation.adminSignOutUser': { account: 'named', limits: COGNITO_USER, audit: 'signed-out-by-admin' },
  'Mutation.adminResetPassword': { account: 'named', limits: COGNITO_USER, audit: 'password-reset-by-admin' },
  'Query.users': { limits: COGNITO_USER, audit: 'users-listed' },
  // The read path: the session manager and the context bound and limit its few Cognito calls.
  // FEDERATION=true adds `_service` and `_entities`, whose resolvers the federation library writes
  // onto the schema, outside this table; `_entities` answers through `User.__resolveReference`
  // (src/graphql/federation.ts), which guardResolvers leaves as it is: it applies its own rule.
  'Query.me': {},
  'User.id': {},
  'User.groups': {},
  'User.email': {},
  'User.emailVerified': {},
  'User.name': {},
  'User.mfa': {},
  'User.preferredMfa': {}
}

/** A field's name in audit events, logs and docs/configuration.md: a mutation's own name, else `Type.field`. */
export const operationOf = (path: string): string => path.startsWith('Mutation.') ? path.slice('Mutation.'.length) : path

/** The buckets each limited field draws on, by its operation name (docs/configuration.md names them so). */
export const FIELD_LIMITS: Readonly<Record<string, readonly LimitName[]>> = Object.fromEntries(
  Object.entries(FIELD_POLICIES).flatMap(([path, { limits = [] }]) => limits.length > 0 ? [[operationOf(path), limits]] : [])
)

/**
 * The policy of every field an app adds (authServer's `schema`): no rate limits and no audit
 * event (the app's own data, not an identity operation), the role its `@auth` gives it, and the
 * budget every field has: a mutation runs under the request's Cognito deadline, and `ctx.user`
 * of a Bearer token reads Cognito under the user's `cognito.user` limit.
 */
export const APP_FIELD_POLICY: Readonly<FieldPolicy> = {}

/**
 * The table with the SDL's roles, by `Type.field`, read once at start, and `appFields` (an
 * app's own fields) under APP_FIELD_POLICY. A role on a field the table does not know is a
 * mistake found at start, not a field left open.
 */
export function fieldPolicies (roles: Map<string, Role> = authorizationRules(), appFields: readonly string[] = []): Map<string, AppliedPolicy> {
  const policies = new Map<string, AppliedPolicy>(Object.entries(FIELD_POLICIES).map(([path, policy]) => [path, { ...policy }]))
  for (const path of appFields) policies.set(path, { ...APP_FIELD_POLICY, app: true })
  for (const [path, role] of roles) {
    const policy = policies.get(path)
    if (policy === undefined) throw new Error(`@auth on ${path}, which has no entry in FIELD_POLICIES`)
    policy.role = role
  }
  return policies
}
