// Resolvers: the signed-in user's passkeys.
import { AppError } from '../../errors.ts'
import type { MutationResolvers } from '../generated.ts'
import * as input from '../input.ts'
import { requireStepUp } from '../step-up.ts'

/** The signed-in user's passkeys: adding and removing one need the step-up of a change to the ways in (step-up.ts). */
export const passkeyMutations: MutationResolvers = {
  async startPasskeyRegistration (_root, args, ctx) {
    const session = await requireStepUp(ctx, args.input?.currentPassword)
    return { publicKeyOptions: await ctx.cognito.startPasskeyRegistration(session.accessToken) }
  },

  async finishPasskeyRegistration (_root, args, ctx) {
    const session = await requireStepUp(ctx, args.input.currentPassword)
    // Cognito names a passkey itself (FriendlyCredentialName) and keeps no name given to it.
    if (args.input.name != null) throw new AppError('BAD_USER_INPUT', 'A passkey is named by the identity service (after its authenticator): leave out the name.')
    return await ctx.cognito.finishPasskeyRegistration(session.accessToken, input.webAuthnCredential(args.input.credential))
  },

  async deletePasskey (_root, args, ctx) {
    const id = args.input.id.trim()
    if (id === '' || id.length > 1024) throw new AppError('BAD_USER_INPUT', 'The passkey id is not valid.')
    const session = await requireStepUp(ctx, args.input.currentPassword)
    return await ctx.cognito.deletePasskey(session.accessToken, id)
  }
}
