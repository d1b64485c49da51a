// The caller's devices Cognito tracks: listed, remembered, forgotten (this browser's by default).
import { AppError } from '../../errors.ts'
import type { Device, MutationResolvers, QueryResolvers } from '../generated.ts'
import { emailOf, requireSession, type GraphQLContext } from '../context.ts'
import type { Session } from '../../plugins/app/session.ts'

/** Longest device key taken (Cognito's are `<region>_<UUID>`, 55 characters at most). */
const MAX_KEY = 128

/** This browser's device key, when it is a device of the caller. */
async function currentKey (ctx: GraphQLContext, session: Session): Promise<string | undefined> {
  return (await ctx.sessions.trackedDevice(ctx.request, (await emailOf(ctx, session)).toLowerCase()))?.key
}

/** The device an input names: its id, else this browser's; BAD_USER_INPUT for neither. */
async function keyOf (ctx: GraphQLContext, session: Session, id: string | null | undefined): Promise<string> {
  if (id != null) {
    const key = id.trim()
    if (key === '' || key.length > MAX_KEY) throw new AppError('BAD_USER_INPUT', 'The device id is not valid.')
    return key
  }
  const key = await currentKey(ctx, session)
  if (key === undefined) throw new AppError('BAD_USER_INPUT', 'This browser is no device of yours: give the device id.')
  return key
}

async function listDevices (ctx: GraphQLContext, session: Session): Promise<Device[]> {
  const current = await currentKey(ctx, session)
  return (await ctx.cognito.listDevices(session.accessToken)).map((d) => ({ ...d, current: d.id === current }))
}

export const deviceQueries: QueryResolvers = {
  async devices (_root, _args, ctx) {
    return await listDevices(ctx, await requireSession(ctx))
  }
}

export const deviceMutations: MutationResolvers = {
  async rememberDevice (_root, args, ctx) {
    const session = await requireSession(ctx)
    const key = await keyOf(ctx, session, args.input?.id)
    if (!(await ctx.cognito.rememberDevice(session.accessToken, key))) throw new AppError('BAD_USER_INPUT', 'No device of yours has that id.')
    return (await listDevices(ctx, session)).find((d) => d.id === key) ?? null
  },

  async forgetDevice (_root, args, ctx) {
    const session = await requireSession(ctx)
    const key = await keyOf(ctx, session, args.input?.id)
    const forgotten = await ctx.cognito.forgetDevice(session.accessToken, key)
    // This browser's own device: its keys go too (a forgotten key would only be refused).
    if (key === await currentKey(ctx, session)) {
      await ctx.sessions.trustDevice(ctx.request, ctx.reply, { email: (await emailOf(ctx, session)).toLowerCase(), userId: session.userId }, async () => false, null)
    }
    return forgotten
  }
}
