import { withDeadline } from '../plugins/app/cognito.ts'
import { AUDITED_FIELDS } from '../plugins/app/audit.ts'
import { FIELD_LIMITS, PASSWORD_CHECK, type Caller, type LimitName } from '../plugins/app/rate-limits.ts'
import { AppError } from '../errors.ts'
import { requestDeadline } from '../time.ts'
import * as input from './input.ts'
import type { AnyResolver, GraphQLContext } from './context.ts'

type ResolverMap = Record<string, unknown>

/** The email an operation names, normalised, when it is a valid one (anything else is no identity to count or log). */
function namedEmail (args: Record<string, unknown>): string | undefined {
  const email = (args.input as { email?: unknown } | undefined)?.email
  if (typeof email !== 'string') return undefined
  try {
    return input.email(email)
  } catch {
    return undefined
  }
}

/** The fields whose codes belong to the user of the held sign-in challenge, whoever else is signed in. */
const CHALLENGE_FIELDS = new Set(['respondToChallenge'])

/**
 * Who is calling, for the buckets `names` count: the address always; the user when signed in;
 * the account the operation is about, so that every code is charged to the account it belongs
 * to: the held challenge's user for a challenge answer, else the email the operation names,
 * else the session's user (never an identity merely present on the request, such as a session
 * cookie beside a challenge cookie, or a challenge cookie beside a Bearer token); and whether
 * this browser is a known device of that account.
 */
export async function callerOf (ctx: GraphQLContext, args: Record<string, unknown>, names: readonly LimitName[], field?: string): Promise<Caller> {
  const caller: Caller = { address: ctx.request.ip }
  const counts = (...keys: string[]) => names.some((name) => keys.includes(limitsOf(ctx).rules[name].key))
  if (field !== undefined && CHALLENGE_FIELDS.has(field)) {
    caller.email = ctx.sessions.readChallenge(ctx.request)?.email
  } else {
    caller.email = namedEmail(args)
    if (counts('user', 'account') || (counts('email') && caller.email === undefined)) {
      // Local verification only: a limit never triggers a refresh.
      const session = await ctx.sessions.verify(ctx.request)
      if (session !== null) {
        caller.user = session.userId
        caller.email ??= session.email
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

/** The fields whose `Session` answer completes a sign-in with the password. */
const TRUSTS_DEVICE = new Set(['signIn', 'respondToChallenge', 'changePassword'])

/** When the request's Cognito budget runs out (epoch ms). */
const deadlineOf = (ctx: GraphQLContext) => requestDeadline(ctx.reply, ctx.request.server.config)

/** The user a field's answer is about: the session of a sign-in result, or the caller. */
function userIdOf (result: unknown, caller: Caller | undefined): string | undefined {
  const user = (result as { user?: { id?: string } } | null)?.user
  return user?.id ?? caller?.user
}

/**
 * Runs one field under the request's Cognito budget, behind its rate limits when FIELD_LIMITS
 * lists it (checked per invocation, so each alias counts, before
 * anything reaches Cognito), and records an audit event when AUDITED_FIELDS lists it.
 */
function guard (field: string, resolve: AnyResolver): AnyResolver {
  const names = FIELD_LIMITS[field] ?? []
  const event = AUDITED_FIELDS[field]
  if (names.length === 0 && event === undefined) {
    // Mutations run under the request's budget; the read path (`me`, `User` fields) bounds its few
    // Cognito calls itself (session refresh, user details), so it pays for no async context.
    return field.includes('.') ? resolve : (root, args, ctx, info) => withDeadline(deadlineOf(ctx), () => resolve(root, args, ctx, info))
  }
  return async (root, args, ctx, info) => {
    const audit = ctx.request.server.audit
    const caller = await callerOf(ctx, args, names, field)
    let done: () => void
    try {
      done = await limitsOf(ctx).enforce(ctx.request, names, caller)
    } catch (err) {
      if (err instanceof AppError && err.code === 'TOO_MANY_REQUESTS') {
        audit.record(ctx.request, { event: 'rate-limited', outcome: 'failure', code: err.code, operation: field, userId: caller.user, email: caller.email })
      }
      throw err
    }
    try {
      const result = await withDeadline(deadlineOf(ctx), () => resolve(root, args, ctx, info))
      const typename = (result as { __typename?: string, name?: string } | null)?.__typename
      // A browser that completed a sign-in becomes a known device of the account.
      const userId = userIdOf(result, caller)
      if (TRUSTS_DEVICE.has(field) && caller.email !== undefined && userId !== undefined && typename === 'Session') {
        const account = { email: caller.email, userId }
        await ctx.sessions.trustDevice(ctx.request, ctx.reply, account, async () => await limitsOf(ctx).take(ctx.request, 'device.email', caller))
      }
      if (event !== undefined) {
        const challenge = typename === 'Challenge' ? (result as { name: string }).name : undefined
        audit.record(ctx.request, { event, outcome: challenge === undefined ? 'success' : 'challenge', code: challenge, operation: field, userId, email: caller.email })
      }
      return result
    } catch (err) {
      await limitsOf(ctx).recordFailure(ctx.request, names, caller, err)
      if (event !== undefined) {
        audit.record(ctx.request, { event, outcome: 'failure', code: err instanceof AppError ? err.code : 'INTERNAL_SERVER_ERROR', operation: field, userId: caller.user, email: caller.email })
      }
      throw err
    } finally {
      done()
    }
  }
}

/** Wraps every field resolver of the map (scalars and `__resolveType` are left as they are). */
export function guardResolvers<T extends Record<string, unknown>> (resolvers: T): T {
  const guarded: Record<string, unknown> = {}
  for (const [typeName, fields] of Object.entries(resolvers)) {
    if (typeof fields !== 'object' || fields === null || fields.constructor !== Object) {
      guarded[typeName] = fields
      continue
    }
    const wrapped: ResolverMap = {}
    for (const [name, value] of Object.entries(fields as ResolverMap)) {
      wrapped[name] = typeof value === 'function' && !name.startsWith('__')
        ? guard(typeName === 'Mutation' ? name : `${typeName}.${name}`, value as AnyResolver)
        : value
    }
    guarded[typeName] = wrapped
  }
  return guarded as T
}
