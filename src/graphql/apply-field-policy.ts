// The field-policy wrapper: every resolver with its table entry applied (FIELD_STEPS folded around it), and app resolvers merged beside ours.
import type { AuditSubject } from '../plugins/app/audit.ts'
import { collectSubject } from '../plugins/app/audit-subject.ts'
import { withDeadline } from '../plugins/app/cognito.ts'
import { PASSWORD_CHECK, type Caller, type LimitName } from '../plugins/app/rate-limits.ts'
import { ConfigError } from '../config.ts'
import { AppError } from '../errors.ts'
import { requestDeadline } from '../time.ts'
import { authorize } from './authorization.ts'
import type { AnyResolver, GraphQLContext } from './context.ts'
import { fieldPolicies, limitsFor, operationOf, type AccountOf, type AppliedPolicy } from './field-policy.ts'
import * as input from './input.ts'
import { outcomeOf, type Outcome } from './resolvers/results.ts'

type ResolverMap = Record<string, unknown>

/**
 * Who is calling, for the buckets `names` count: the address always; the user when signed in;
 * the account the call is about (`account`, see AccountOf), so that every code is charged to
 * the account it belongs to; and whether this browser is a known device of that account.
 */
export async function callerOf (ctx: GraphQLContext, args: Record<string, unknown>, names: readonly LimitName[], account: AccountOf = 'session'): Promise<Caller> {
  const caller: Caller = { address: ctx.request.ip }
  const counts = (...keys: string[]) => names.some((name) => keys.includes(limitsOf(ctx).rules[name].key))
  if (account === 'challenge') {
    caller.email = ctx.sessions.readChallenge(ctx.request)?.email
  } else {
    if (account === 'named') caller.email = input.namedAccount(args.input as Record<string, unknown> | undefined)
    if (counts('user', 'account') || (counts('email') && caller.email === undefined)) {
      // Local verification only: a limit never triggers a refresh.
      const session = await ctx.caller.peek()
      if (session !== null) {
        caller.user = session.userId
        caller.email ??= input.accountNameOf(session.email, session.profile?.phone)
        // One account, one bucket: a Bearer token carries no email, and counting it by the user id
        // instead would give the same account a second budget of code guesses (GetUser, once per request).
        if (caller.email === undefined && counts('account')) {
          const details = await ctx.userDetails(session)
          caller.email = input.accountNameOf(details.email, details.phone)
        }
      }
    }
  }
  if (counts('device') && caller.email !== undefined) caller.device = await ctx.sessions.deviceOf(ctx.request, caller.email)
  return caller
}

/** Runs a password check behind the PASSWORD_CHECK buckets, counting it as a failed sign-in when it fails. */
export async function limitedPasswordCheck<T> (ctx: GraphQLContext, check: () => Promise<T>): Promise<T> {
  const caller = await callerOf(ctx, {}, PASSWORD_CHECK)
  const done = await limitsOf(ctx).enforce(ctx.request, PASSWORD_CHECK, caller)
  try {
    return await check()
  } catch (err) {
    await limitsOf(ctx).recordFailure(ctx.request, PASSWORD_CHECK, caller, err)
    throw err
  } finally {
    done()
  }
}

const limitsOf = (ctx: GraphQLContext) => ctx.request.server.limits

/**
 * The account a successful call changed, for its audit event: the one its resolver noted
 * (noteSubject: an account named by email); else the user a session was started for; else, for a
 * call on the caller's own account, the caller, unless it answered false or null (nothing changed).
 */
async function subjectOf (ctx: GraphQLContext, call: { account: AccountOf, caller: Caller, result: unknown, outcome: Outcome | undefined, noted?: AuditSubject }): Promise<AuditSubject | undefined> {
  const { account, caller, result, outcome, noted } = call
  if (noted !== undefined) return noted
  if (outcome?.kind === 'session') return { userId: outcome.userId, email: caller.email }
  if (account !== 'session' || result === false || result === null) return undefined
  if (caller.user !== undefined) return { userId: caller.user, email: caller.email }
  // A field whose buckets did not need the caller: read (locally) now.
  const session = await ctx.caller.peek()
  return session === null ? undefined : { userId: session.userId, email: session.email }
}

/** When the request's Cognito budget runs out (epoch ms). */
const deadlineOf = (ctx: GraphQLContext) => requestDeadline(ctx.reply, ctx.request.server.config)

/** One step around a field's resolver: wraps `next` (the steps inside it, then the resolver), or returns it as it is where it does not apply. */
type FieldStep = (next: AnyResolver, field: { path: string, policy: AppliedPolicy }) => AnyResolver

/** An app's field finds its caller in ctx.user; our own fields never pay for reading it. */
const appCaller: FieldStep = (next, { policy }) => policy.app !== true
  ? next
  : async (root, args, ctx, info) => {
    ctx.user = await ctx.currentUser()
    return await next(root, args, ctx, info)
  }

/** The role the SDL's `@auth` gives the field. */
const authorization: FieldStep = (next, { policy: { role } }) => role === undefined
  ? next
  : async (root, args, ctx, info) => {
    await authorize(ctx, role)
    return await next(root, args, ctx, info)
  }

/** A mutation runs the steps inside under the request's Cognito deadline (the read path, `me` and `User` fields, bounds its few Cognito calls itself and pays for no async context). */
const budget: FieldStep = (next, { path }) => path.startsWith('Mutation.')
  ? (root, args, ctx, info) => withDeadline(deadlineOf(ctx), () => next(root, args, ctx, info))
  : next

/**
 * The steps around every field, outermost first, said once (docs/architecture.md lists them and
 * test/architecture.test.ts holds it to this list); applyPolicy folds them around the resolver:
 *  - limits-and-audit: the caller (whose account the call is about, the entry's `account`, as far
 *    as its buckets need); the entry's rate limits (for this input, where they depend on it),
 *    checked per invocation (so each alias counts) before anything reaches Cognito, a refusal
 *    audited as `rate-limited`; then, after the steps inside, device trust (a session answered by
 *    a field that completes a sign-in with the password makes this browser a known device of the
 *    account, with the device Cognito confirmed for it, if any) and the entry's audit event (a
 *    success or a challenge, as the answer's outcome says, with the account a success changed,
 *    subjectOf); on a failure inside, the failure counts against the failure-only buckets, then is
 *    audited;
 *  - budget, authorization, app-caller: as their functions say;
 * then the resolver (an app's field, authServer's `schema`, with the caller in `ctx.user` first).
 */
export const FIELD_STEPS: ReadonlyArray<{ name: string, wrap: FieldStep }> = [
  { name: 'limits-and-audit', wrap: limitedAndAudited },
  { name: 'budget', wrap: budget },
  { name: 'authorization', wrap: authorization },
  { name: 'app-caller', wrap: appCaller }
]

/** One field's resolver with its policy applied: FIELD_STEPS folded around it, the first outermost. */
function applyPolicy (path: string, policy: AppliedPolicy, resolver: AnyResolver): AnyResolver {
  return FIELD_STEPS.reduceRight((next, step) => step.wrap(next, { path, policy }), resolver)
}

/** The field's caller, rate limits, device trust and audit event (FIELD_STEPS' first); a field with neither buckets nor an audit event skips it. */
function limitedAndAudited (next: AnyResolver, { path, policy }: { path: string, policy: AppliedPolicy }): AnyResolver {
  const { account = 'session', audit: event, auditMethod, trustsDevice = false } = policy
  const operation = operationOf(path)
  if (policy.limits === undefined && event === undefined) return next
  return async (root, args, ctx, info) => {
    const audit = ctx.request.server.audit
    const limits = limitsFor(policy.limits, args)
    const method = auditMethod?.(args, ctx)
    const caller = await callerOf(ctx, args, limits, account)
    let done: () => void
    try {
      done = await limitsOf(ctx).enforce(ctx.request, limits, caller)
    } catch (err) {
      if (err instanceof AppError && err.code === 'TOO_MANY_REQUESTS') {
        audit.record(ctx.request, { event: 'rate-limited', outcome: 'failure', code: err.code, operation, userId: caller.user, email: caller.email })
      }
      throw err
    }
    try {
      const { result, subject: noted } = await collectSubject(async () => await next(root, args, ctx, info))
      const outcome = outcomeOf(result)
      const userId = outcome?.kind === 'session' ? outcome.userId : caller.user
      if (trustsDevice && outcome?.kind === 'session' && caller.email !== undefined) {
        const device = { email: caller.email, userId: outcome.userId }
        await ctx.sessions.trustDevice(ctx.request, ctx.reply, device, async () => await limitsOf(ctx).take(ctx.request, 'device.email', caller), outcome.device)
      }
      if (event !== undefined) {
        const challenge = outcome?.kind === 'challenge' ? outcome.name : undefined
        const subject = challenge === undefined ? await subjectOf(ctx, { account, caller, result, outcome, noted }) : undefined
        audit.record(ctx.request, { event, outcome: challenge === undefined ? 'success' : 'challenge', code: challenge, operation, userId, email: caller.email, method, ...(subject !== undefined ? { subject } : {}) })
      }
      return result
    } catch (err) {
      await limitsOf(ctx).recordFailure(ctx.request, limits, caller, err)
      if (event !== undefined) {
        audit.record(ctx.request, { event, outcome: 'failure', code: err instanceof AppError ? err.code : 'INTERNAL_SERVER_ERROR', operation, userId: caller.user, email: caller.email, method })
      }
      throw err
    } finally {
      done()
    }
  }
}

/**
 * Puts every field resolver of the map (scalars and `__resolveType` are left as they are) behind
 * its policy. A resolver without an entry, or an entry without a resolver, is a mistake found at
 * start, not a field left unguarded or a rule left unapplied.
 */
export function applyFieldPolicies<T extends Record<string, unknown>> (resolvers: T, policies = fieldPolicies()): T {
  const guarded: Record<string, unknown> = {}
  const unused = new Set(policies.keys())
  for (const [typeName, fields] of Object.entries(resolvers)) {
    if (typeof fields !== 'object' || fields === null || fields.constructor !== Object) {
      guarded[typeName] = fields
      continue
    }
    const wrapped: ResolverMap = {}
    for (const [name, value] of Object.entries(fields as ResolverMap)) {
      if (typeof value !== 'function' || name.startsWith('__')) {
        wrapped[name] = value
        continue
      }
      const path = `${typeName}.${name}`
      const policy = policies.get(path)
      if (policy === undefined) throw new Error(`${path} has a resolver but no entry in FIELD_POLICIES`)
      unused.delete(path)
      wrapped[name] = applyPolicy(path, policy, value as AnyResolver)
    }
    guarded[typeName] = wrapped
  }
  // An app's field without a resolver of its own is read from its parent, as GraphQL does.
  const [path] = [...unused].filter((path) => policies.get(path)?.app !== true || policies.get(path)?.role !== undefined)
  if (path !== undefined) {
    throw new Error(policies.get(path)?.role !== undefined ? `@auth on ${path}, which has no resolver` : `FIELD_POLICIES names ${path}, which has no resolver`)
  }
  return guarded as T
}

/**
 * Our resolvers with an app's beside them (authServer's `resolvers`), or a ConfigError that names
 * the clash: an app resolves its own fields (`appFields`, from its SDL) and its own scalars and
 * types, never one of ours.
 */
export function mergeAppResolvers (ours: Record<string, unknown>, app: Record<string, unknown>, appFields: readonly string[]): Record<string, unknown> {
  const own = new Set(appFields)
  const merged: Record<string, unknown> = { ...ours }
  const fail = (why: string) => new ConfigError(`authServer option "resolvers": ${why}`)
  for (const [typeName, fields] of Object.entries(app)) {
    if (typeof fields !== 'object' || fields === null || fields.constructor !== Object) {
      if (typeName in ours) throw fail(`${typeName} is the auth server's`)
      merged[typeName] = fields
      continue
    }
    if (typeName in ours && (typeof ours[typeName] !== 'object' || (ours[typeName] as object).constructor !== Object)) throw fail(`${typeName} is the auth server's`)
    const ourFields = (ours[typeName] ?? {}) as ResolverMap
    for (const [name, value] of Object.entries(fields as ResolverMap)) {
      if (name.startsWith('__')) {
        if (name in ourFields) throw fail(`${typeName}.${name} is the auth server's`)
        continue
      }
      if (typeof value !== 'function') continue
      const path = `${typeName}.${name}`
      if (name in ourFields) throw fail(`${path} is the auth server's field`)
      if (!own.has(path)) throw fail(`${path} is not a field of the app's schema (option "schema")`)
    }
    merged[typeName] = { ...ourFields, ...(fields as ResolverMap) }
  }
  return merged
}
