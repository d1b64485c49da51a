// Resolvers: the signed-in user's profile, email and account deletion.
import { AppError } from '../../errors.ts'
import { noteSubject } from '../../plugins/app/audit-subject.ts'
import type { MutationResolvers } from '../generated.ts'
import { deliveryTo } from '../../plugins/app/cognito.ts'
import type { Session } from '../../plugins/app/session.ts'
import { adoptSession, emailOf, endOwnSession, phoneOf, requireSession, userOf, type GraphQLContext, type UserModel } from '../context.ts'
import * as input from '../input.ts'
import { verifyCurrentPassword } from '../step-up.ts'

/** The user after a change to their account: the session renewed (its tokens carry the change) and the act's subject noted. */
async function renewedUser (ctx: GraphQLContext, session: Session): Promise<UserModel> {
  const renewed = await ctx.sessions.renew(ctx.request, ctx.reply, session)
  adoptSession(ctx, renewed)
  noteSubject({ userId: renewed.userId, email: renewed.email })
  return userOf(ctx, renewed)
}

/** The signed-in user's own account: profile, email, phone number and leaving. */
export const profileMutations: MutationResolvers = {
  async updateProfile (_root, args, ctx) {
    const session = await requireSession(ctx)
    const name = input.name(args.input.name)
    const email = args.input.email == null ? undefined : input.email(args.input.email)
    const phone = args.input.phone == null ? undefined : input.phone(args.input.phone)
    const attributes = input.attributeChanges(args.input.attributes ?? [], ctx.profileAttributes.writable)
    if (name === undefined && email === undefined && phone === undefined && attributes.length === 0) throw new AppError('BAD_USER_INPUT', 'Give a name or an email (or a phone number, or attributes) to change.')
    const newEmail = email !== undefined && email !== (await emailOf(ctx, session)).toLowerCase() ? email : undefined
    const newPhone = phone !== undefined && phone !== (await phoneOf(ctx, session)) ? phone : undefined
    // Checked before anything changes: a wrong password changes nothing. A phone number is a sign-in
    // name (or where SMS codes go), so changing it needs the password as an email change does.
    if (newEmail !== undefined || newPhone !== undefined) await verifyCurrentPassword(ctx, args.input.currentPassword)

    if (name !== undefined) await ctx.cognito.updateName(session.accessToken, name)
    if (attributes.length > 0) await ctx.cognito.changeAttributes(session.accessToken, attributes)
    if (newEmail !== undefined) {
      // Cognito sends a code to the new address and keeps the old one until it is verified. When
      // another account has the address nothing is sent, and the answer is the same all the same.
      const outcome = await ctx.cognito.requestEmailChange(session.accessToken, newEmail)
      ctx.sessions.holdEmailChange(ctx.reply, session, { email: newEmail, taken: outcome === 'taken' })
    }
    // A number another account has is no news to give: nothing changes, and no code can match.
    if (newPhone !== undefined) await ctx.cognito.requestPhoneChange(session.accessToken, newPhone)
    return await renewedUser(ctx, session)
  },

  async verifyEmail (_root, args, ctx) {
    const session = await requireSession(ctx)
    const code = input.code(args.input.code)
    const pending = ctx.sessions.readEmailChange(ctx.request, session)
    // No code was sent for an address another account has: none can match.
    if (pending?.taken === true) throw new AppError('CODE_MISMATCH')
    await ctx.cognito.verifyEmail(session.accessToken, code)
    if (pending !== undefined) ctx.sessions.clearEmailChange(ctx.reply)
    return await renewedUser(ctx, session)
  },

  async resendEmailVerificationCode (_root, _args, ctx) {
    const session = await requireSession(ctx)
    const pending = ctx.sessions.readEmailChange(ctx.request, session)
    if (pending !== undefined) {
      if (!pending.taken) await ctx.cognito.resendEmailVerification(session.accessToken)
      return ctx.cognito.emailDelivery(pending.email)
    }
    // Without a change started in this browser, only an unverified current address has a code to resend.
    const user = userOf(ctx, session)
    const current = user.profile ?? await user.details()
    if (current.emailVerified) throw new AppError('BAD_USER_INPUT', 'There is no email address waiting to be verified.')
    await ctx.cognito.resendEmailVerification(session.accessToken)
    return ctx.cognito.emailDelivery(current.email)
  },

  async verifyPhone (_root, args, ctx) {
    const session = await requireSession(ctx)
    const code = input.code(args.input.code)
    await ctx.cognito.verifyPhone(session.accessToken, code)
    return await renewedUser(ctx, session)
  },

  async resendPhoneVerificationCode (_root, _args, ctx) {
    const session = await requireSession(ctx)
    const user = userOf(ctx, session)
    const current = user.profile ?? await user.details()
    if (current.phone === null || current.phoneVerified) throw new AppError('BAD_USER_INPUT', 'There is no phone number waiting to be verified.')
    await ctx.cognito.resendPhoneVerification(session.accessToken)
    return deliveryTo(current.phone)
  },

  async deleteAccount (_root, args, ctx) {
    const session = await verifyCurrentPassword(ctx, args.input.currentPassword)
    await ctx.cognito.deleteUser(session.accessToken)
    // The account's refresh tokens died with it at Cognito; the tokens this server verifies
    // itself end here, this session's included, and its cookies are cleared.
    await ctx.sessions.endAll({ userId: session.userId })
    await endOwnSession(ctx, session, { revokeAtCognito: false })
    ctx.sessions.clearEmailChange(ctx.reply)
    return true
  }
}
