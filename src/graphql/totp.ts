// Authenticator-app setup (the otpauth URI) and each TOTP code used once.
import { digest } from '../digest.ts'
import { generateURI } from 'otplib'
import { AppError } from '../errors.ts'
import { nowSeconds } from '../time.ts'
import type { GraphQLContext } from './context.ts'
import type { TotpSetup } from './generated.ts'

/**
 * How long a used TOTP code is remembered: Cognito takes a code during its 30-second step and
 * the steps either side of it, so no replay can land after this.
 */
const USED_CODE_SECONDS = 120

/** A secret to set up, with the `otpauth://` URI an authenticator app reads (issuer and account filled in). */
export function totpSetup (ctx: GraphQLContext, email: string, secret: string): TotpSetup {
  const issuer = ctx.request.server.config.totpIssuer
  return { secret, otpauthUri: generateURI({ issuer, label: email, secret }) }
}

/**
 * Accepts a TOTP code of a user once. Cognito would take the same code again
 * within its window, so a code seen over the shoulder or in a log could be replayed; this
 * refuses it with CODE_EXPIRED, across instances when the revocation store is shared. The code
 * is claimed before `use` runs (so two racing requests cannot both spend it) and given back when
 * Cognito refuses it: a mistyped code typed again is CODE_MISMATCH again, not "already used".
 * `username` is Cognito's username: the same for a signed-in user and a sign-in challenge.
 */
export async function useTotpCodeOnce<T> (ctx: GraphQLContext, username: string, code: string, use: () => Promise<T>): Promise<T> {
  const revocation = ctx.request.server.revocation
  const key = `totp:${digest(`${username}\n${code}`)}`
  const until = nowSeconds() + USED_CODE_SECONDS
  if (!(await revocation.claimOnce(key, until))) {
    throw new AppError('CODE_EXPIRED', 'This code was already used: wait for the next one.')
  }
  try {
    return await use()
  } catch (err) {
    // A wrong code, or a challenge Cognito no longer honours (it verified nothing), used nothing up.
    if (err instanceof AppError && (err.code === 'CODE_MISMATCH' || err.code === 'CHALLENGE_EXPIRED')) await revocation.release(key)
    throw err
  }
}
