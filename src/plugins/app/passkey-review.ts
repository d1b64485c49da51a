// After a compromise, the passkeys added shortly before it go: every way of ending a user's
// sessions (a password change or reset, a sign-out everywhere, an administrator's sign-out, reset
// or disabling) sets the user's "not before" mark, and the next session of that user, whoever
// starts it and however, first removes the passkeys created in PASSKEY_REMOVAL_WINDOW before the
// mark. Cognito removes a passkey only with the user's own access token, which a reset or an
// administrator does not hold: the next session's is the first there is.
import { AppError } from '../../errors.ts'
import { DEVICE_TTL_SECONDS, nowSeconds } from '../../time.ts'
import type { CognitoAdapter } from './cognito.ts'
import type { Revocation } from './revocation.ts'
import type { Session } from './session-model.ts'

export interface PasskeyReviewOptions {
  cognito: Pick<CognitoAdapter, 'listPasskeys' | 'deletePasskey'>
  revocation: Revocation
  /** Seconds before the mark within which an added passkey is removed; 0: none is. */
  windowSeconds: number
}

/** What a review did: the passkeys it removed, and whether the sign-in it ran for used one of them. */
export interface PasskeyReviewResult {
  removed: string[]
  /** The session was signed in with a passkey the review removed: it must not start. */
  refused: boolean
}

/**
 * The review, run as a session starts (`usedPasskey`: the credential a passkey sign-in used). Once
 * per mark: the claim that records it lives as long as a mark does; a review that failed (Cognito
 * down) gives it back, and the session does not start.
 */
export function createPasskeyReview ({ cognito, revocation, windowSeconds }: PasskeyReviewOptions) {
  /** The user's passkeys; none on an endpoint without passkeys (moto, say: NOT_SUPPORTED), where none can have been added. */
  async function passkeysOf (accessToken: string): Promise<Awaited<ReturnType<CognitoAdapter['listPasskeys']>>> {
    try {
      return await cognito.listPasskeys(accessToken)
    } catch (err) {
      if (err instanceof AppError && err.code === 'NOT_SUPPORTED') return []
      throw err
    }
  }

  return async function review (session: Session, usedPasskey?: string): Promise<PasskeyReviewResult> {
    const none = { removed: [], refused: false }
    if (windowSeconds <= 0) return none
    const mark = await revocation.markOf(session.userId)
    if (mark === 0) return none
    const claim = `passkey-review:${session.userId}:${mark}`
    if (!(await revocation.claimOnce(claim, nowSeconds() + DEVICE_TTL_SECONDS))) return none
    try {
      const recent = (await passkeysOf(session.accessToken)).filter((passkey) => {
        const created = passkey.createdAt.getTime() / 1000
        return created <= mark && created > mark - windowSeconds
      })
      for (const passkey of recent) await cognito.deletePasskey(session.accessToken, passkey.id)
      return { removed: recent.map((passkey) => passkey.id), refused: usedPasskey !== undefined && recent.some((passkey) => passkey.id === usedPasskey) }
    } catch (err) {
      await revocation.release(claim)
      throw err instanceof AppError ? err : new AppError('SERVICE_UNAVAILABLE')
    }
  }
}

export type PasskeyReview = ReturnType<typeof createPasskeyReview>
