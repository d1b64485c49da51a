// Cognito's side of ending every session of a user: the user's devices forgotten, then the global sign-out.
import type { FastifyBaseLogger } from 'fastify'
import type { AppError } from '../../errors.ts'
import type { CognitoAdapter } from './cognito.ts'

/**
 * What ends a user's sessions at Cognito: with the user's access token when the server holds one
 * (the devices are forgotten before the sign-out revokes it), the admin calls otherwise; undefined
 * with neither. Forgetting every device is stricter than Cognito's global sign-out, which keeps
 * them: a thief's browser must not keep skipping the second factor. It is best effort (logged):
 * the device cookies are bound to the user's "not before" mark as well, so no browser offers its
 * device again after this.
 */
export function signOutEverywhere (cognito: CognitoAdapter, logger: FastifyBaseLogger, user: { accessToken?: string, username?: string }): (() => Promise<void>) | undefined {
  const { accessToken, username } = user
  const forget = accessToken !== undefined
    ? async () => await cognito.forgetAllDevices(accessToken)
    : username !== undefined ? async () => await cognito.adminForgetAllDevices(username) : undefined
  const signOut = accessToken !== undefined
    ? async () => await cognito.globalSignOut(accessToken)
    : username !== undefined ? async () => await cognito.adminGlobalSignOut(username) : undefined
  if (forget === undefined || signOut === undefined) return undefined
  return async () => {
    if (cognito.mayTrackDevices()) {
      try {
        await forget()
      } catch (err) {
        logger.warn({ code: (err as AppError).code }, 'could not forget the devices of a user whose sessions end')
      }
    }
    await signOut()
  }
}
