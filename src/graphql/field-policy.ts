// The field-policy table: per GraphQL field, its rate-limit buckets, audit event, device trust and whose account it is about.
import type { AuditEventName } from '../plugins/app/audit-events.ts'
import { CODE_ENTRY, DELIVERY, PASSWORD_CHECK, type LimitName } from '../plugins/app/rate-limits.ts'
import { authorizationRules } from './authorization.ts'
import type { GraphQLContext } from './context.ts'
import type { Role } from './generated.ts'

/**
 * Whose account a field's call is about, and so whose buckets its codes and failures count
 * against and whose email its audit event names: the user of the held sign-in challenge
 * (whoever else is signed in); the email the input names, else the session's user; or the
 * session's user. Never an identity merely present on the request, such as a session cookie
 * beside a challenge cookie, or a challenge cookie beside a Bearer token.
 */
export type AccountOf = 'challenge' | 'named' | 'session'

/**
 * Buckets that depend on the input, for a field whose inputs do different things (a `signIn` that
 * checks a password, or one that sends a code): `pick` names, from the arguments, which of
 * `choices` an invocation draws on.
 */
export interface LimitsByInput {
  choices: Readonly<Record<string, readonly LimitName[]>>
  pick: (args: Record<string, unknown>) => string
}

/** What happens around one GraphQL field, beside its resolver (applied by src/graphql/apply-field-policy.ts). */
export interface FieldPolicy {
  /** Whose account the call is about; 'session' when not given. */
  account?: AccountOf
  /** The rate-limit buckets each invocation draws on (src/rate-limit-rules.ts defines them), or a choice of them by the input. */
  limits?: readonly LimitName[] | LimitsByInput
  /** The audit event every call is (src/plugins/app/audit.ts records it). */
  audit?: AuditEventName
  /** The sign-in method of the call (from its input or its held challenge), for the audit event. */
  auditMethod?: (args: Record<string, unknown>, ctx: GraphQLContext) => string | undefined
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

/** The `method` an input names (signIn's, or a SELECT_CHALLENGE answer's). */
const methodOf = (args: Record<string, unknown>): unknown => (args.input as { method?: unknown } | undefined)?.method
const SENDS_CODE = new Set(['EMAIL_CODE', 'SMS_CODE'])

/**
 * signIn: a start that sends a code draws on the delivery buckets (it must not become a mail
 * cannon or an SMS bill), and so does a custom challenge's start (its create trigger may send
 * one); a password, a passkey start and the pool's choice on the sign-in ones. A custom answer,
 * like a code, is on the code buckets (ANSWER_LIMITS).
 */
const SIGN_IN_LIMITS: LimitsByInput = {
  choices: { password: PASSWORD_CHECK, delivery: DELIVERY },
  pick: (args) => SENDS_CODE.has(String(methodOf(args))) || methodOf(args) === 'CUSTOM' ? 'delivery' : 'password'
}

/**
 * respondToChallenge: a code on the code buckets; a passkey, or a password chosen in
 * SELECT_CHALLENGE, on the sign-in ones; choosing a method that sends a code on the delivery ones.
 */
const ANSWER_LIMITS: LimitsByInput = {
  choices: { code: CODE_ENTRY, password: PASSWORD_CHECK, delivery: DELIVERY },
  pick: (args) => {
    const name = (args.input as { name?: unknown } | undefined)?.name
    if (name === 'WEB_AUTHN') return 'password'
    if (name !== 'SELECT_CHALLENGE') return 'code'
    return SENDS_CODE.has(String(methodOf(args))) ? 'delivery' : 'password'
  }
}

/**
 * updateProfile: a new email or phone number draws on the delivery buckets too, since Cognito
 * sends a code to it (counted by the address or number named, and by the client's): a profile
 * change must not be a mail or SMS cannon.
 */
const PROFILE_LIMITS: LimitsByInput = {
  choices: { profile: COGNITO_USER, delivery: [...COGNITO_USER, ...DELIVERY] },
  pick: (args) => {
    const input = args.input as { email?: unknown, phone?: unknown } | undefined
    return input?.email != null || input?.phone != null ? 'delivery' : 'profile'
  }
}

/** signIn's method: the one given, else a password's. */
function signInMethod (args: Record<string, unknown>): string | undefined {
  const method = methodOf(args)
  if (typeof method === 'string') return method
  return (args.input as { password?: unknown } | undefined)?.password != null ? 'PASSWORD' : undefined
}

/** The method a challenge answer signs in with: the one chosen, or the held challenge's (none for a second factor's steps). */
function answerMethod (args: Record<string, unknown>, ctx: GraphQLContext): string | undefined {
  const name = (args.input as { name?: unknown } | undefined)?.name
  if (name === 'SELECT_CHALLENGE') return typeof methodOf(args) === 'string' ? String(methodOf(args)) : undefined
  return ctx.sessions.readChallenge(ctx.request)?.method
}

/** The buckets an invocation with `args` draws on. */
export function limitsFor (limits: FieldPolicy['limits'], args: Record<string, unknown>): readonly LimitName[] {
  if (limits === undefined) return []
  if (!('choices' in limits)) return limits
  return limits.choices[limits.pick(args)] ?? []
}

/** Every bucket a field may draw on, whatever its input. */
const allLimits = (limits: FieldPolicy['limits']): readonly LimitName[] =>
  limits === undefined ? [] : 'choices' in limits ? [...new Set(Object.values(limits.choices).flat())] : limits

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
  'Mutation.signIn': { account: 'named', limits: SIGN_IN_LIMITS, audit: 'sign-in', auditMethod: signInMethod, trustsDevice: true },
  'Mutation.respondToChallenge': { account: 'challenge', limits: ANSWER_LIMITS, audit: 'sign-in', auditMethod: answerMethod, trustsDevice: true },
  'Mutation.refreshSession': { audit: 'refresh' },
  'Mutation.signOut': { limits: COGNITO_USER, audit: 'sign-out' },
  'Mutation.changePassword': { limits: [...PASSWORD_CHECK, 'cognito.user'], audit: 'password-changed', trustsDevice: true },
  'Mutation.revokeSession': { limits: COGNITO_USER, audit: 'session-revoked' },
  'Query.sessions': {},
  'Mutation.revokeOtherSessions': { limits: COGNITO_USER, audit: 'sessions-revoked' },
  // The caller's own activity, from the audit stream (src/plugins/app/security-events.ts): no Cognito call.
  'Query.securityEvents': {},
  'Mutation.setupTotp': { limits: COGNITO_USER, audit: 'mfa-changed' },
  'Mutation.verifyTotp': { limits: CODE_ENTRY, audit: 'mfa-changed' },
  'Mutation.disableTotp': { limits: COGNITO_USER, audit: 'mfa-changed' },
  'Mutation.enableEmailMfa': { limits: COGNITO_USER, audit: 'mfa-changed' },
  'Mutation.disableEmailMfa': { limits: COGNITO_USER, audit: 'mfa-changed' },
  'Mutation.setPreferredMfa': { limits: COGNITO_USER, audit: 'mfa-changed' },
  'Mutation.startPasskeyRegistration': { limits: COGNITO_USER },
  'Mutation.finishPasskeyRegistration': { limits: COGNITO_USER, audit: 'passkey-added' },
  'Mutation.deletePasskey': { limits: COGNITO_USER, audit: 'passkey-removed' },
  'Query.devices': { limits: COGNITO_USER },
  'Mutation.rememberDevice': { limits: COGNITO_USER, audit: 'device-remembered' },
  'Mutation.forgetDevice': { limits: COGNITO_USER, audit: 'device-forgotten' },
  // The email (else the phone number) named is the new one, when the change names one: its delivery bucket is that one's.
  'Mutation.updateProfile': { account: 'named', limits: PROFILE_LIMITS, audit: 'profile-changed' },
  'Mutation.verifyEmail': { limits: CODE_ENTRY, audit: 'profile-changed' },
  'Mutation.resendEmailVerificationCode': { limits: DELIVERY },
  'Mutation.verifyPhone': { limits: CODE_ENTRY, audit: 'profile-changed' },
  'Mutation.resendPhoneVerificationCode': { limits: DELIVERY },
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
  // (src/graphql/federation.ts), which applyFieldPolicies leaves as it is: it applies its own rule.
  'Query.me': {},
  'Query.signInProviders': {},
  'Query.captcha': {},
  'User.id': {},
  'User.groups': {},
  'User.email': {},
  'User.emailVerified': {},
  'User.name': {},
  'User.phone': {},
  'User.phoneVerified': {},
  'User.mfa': {},
  'User.preferredMfa': {},
  'User.attributes': {},
  // Cognito's ListWebAuthnCredentials for the user, under their limit.
  'User.passkeys': { limits: COGNITO_USER }
}

/** A field's name in audit events, logs and docs/configuration.md: a mutation's own name, else `Type.field`. */
export const operationOf = (path: string): string => path.startsWith('Mutation.') ? path.slice('Mutation.'.length) : path

/** The buckets each limited field draws on, by its operation name (docs/configuration.md names them so). */
export const FIELD_LIMITS: Readonly<Record<string, readonly LimitName[]>> = Object.fromEntries(
  Object.entries(FIELD_POLICIES).flatMap(([path, { limits }]) => allLimits(limits).length > 0 ? [[operationOf(path), allLimits(limits)]] : [])
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
