// Resolvers: the steps of a sign-in after the first (respondToChallenge).
import { AppError } from '../../errors.ts'
import type { ChallengeAnswer } from '../../plugins/app/cognito.ts'
import type { StartOptions } from '../../plugins/app/session.ts'
import type { MutationResolvers, RespondToChallengeInput } from '../generated.ts'
import * as input from '../input.ts'
import { useTotpCodeOnce } from '../totp.ts'
import { signInResult } from './results.ts'

/** What each challenge needs from the answer, checked before anything reaches Cognito. */
function answerOf (given: RespondToChallengeInput): ChallengeAnswer {
  switch (given.name) {
    case 'NEW_PASSWORD_REQUIRED':
      return { newPassword: input.password(input.required(given.newPassword, 'new password'), 'new password') }
    case 'SOFTWARE_TOKEN_MFA':
    case 'MFA_SETUP':
      return { code: input.totpCode(given.code) }
    case 'SMS_MFA':
      return { code: input.code(input.required(given.code, 'code')) }
    case 'SELECT_MFA_TYPE':
      return { mfaMethod: input.required(given.mfaMethod, 'MFA method') }
    case 'EMAIL_OTP':
    case 'SMS_OTP':
      return { code: input.code(input.required(given.code, 'code')) }
    case 'WEB_AUTHN':
      return { credential: JSON.stringify(input.webAuthnCredential(given.credential)) }
    case 'CUSTOM_CHALLENGE':
      return { answer: input.customAnswer(given.answer) }
    case 'SELECT_CHALLENGE': {
      const method = input.required(given.method, 'sign-in method')
      // Custom challenges are a flow of their own (signIn with CUSTOM), never one of Cognito's choices.
      if (method === 'CUSTOM') throw new AppError('BAD_USER_INPUT', 'Choose one of the challenge\'s available methods.')
      return method === 'PASSWORD' ? { method, password: input.password(input.required(given.password, 'password')) } : { method }
    }
  }
}

/**
 * How a sign-in that ends with this answer was made: by its first factor, the held challenge's
 * method (a passkey, with the credential it used; a code sent), else the password. A custom
 * challenge counts as a code: what its triggers ask is unknown, so it is no step-up's proof.
 */
function startOf (method: string | undefined, answer: ChallengeAnswer): StartOptions {
  if (method === 'PASSKEY') return { via: 'passkey', passkeyId: (JSON.parse(answer.credential ?? '{}') as { id?: string }).id }
  return { via: method === 'EMAIL_CODE' || method === 'SMS_CODE' || method === 'CUSTOM' ? 'code' : 'password' }
}

/** The steps of a sign-in after the password. */
export const challengeMutations: MutationResolvers = {
  async respondToChallenge (_root, args, ctx) {
    const held = ctx.sessions.readChallenge(ctx.request)
    if (held === undefined) throw new AppError('CHALLENGE_EXPIRED')
    if (args.input.name !== held.name) throw new AppError('BAD_USER_INPUT', `The sign-in step waiting for an answer is ${held.name}.`)
    const answer = answerOf(args.input)
    if (answer.newPassword !== undefined) await ctx.request.server.breachedPasswords.check(ctx, answer.newPassword)
    const code = answer.code
    // A pool that tracks devices proves this browser's device after the second factor, where it has one.
    const device = await ctx.sessions.trackedDevice(ctx.request, held.email)
    const respond = async () => await ctx.cognito.respondToChallenge(held, answer, device)
    const totp = code !== undefined && (held.name === 'SOFTWARE_TOKEN_MFA' || held.name === 'MFA_SETUP')
    // The held challenge gets one answer: a replayed cookie reaches nothing (see answerChallenge).
    const outcome = await ctx.sessions.answerChallenge(ctx.reply, held, async () => totp ? await useTotpCodeOnce(ctx, held.username, code, respond) : await respond())
    return await signInResult(ctx, outcome, held.email, held.username, { ...startOf(held.method, answer), rememberDevice: args.input.rememberDevice === true, device })
  }
}
