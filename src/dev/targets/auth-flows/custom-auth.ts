// The emulator: the CUSTOM_AUTH AuthFlow of InitiateAuth.
import { InvalidParameterError, NotAuthorizedError, PasswordResetRequiredError, UserNotConfirmedException, UserNotFoundError } from 'cognito-local/lib/errors.js'
import { nextStep, requireTrigger } from '../../rules/custom-challenges.ts'
import type { AuthFlow } from './auth-flow.ts'

/**
 * CUSTOM_AUTH, which cognito-local does not know: once InitiateAuth found the app client allows it
 * (ALLOW_CUSTOM_AUTH, or the legacy CUSTOM_AUTH_FLOW_ONLY: ../../rules/app-clients.ts), the pool
 * must have a define auth challenge trigger; then the triggers' sequence
 * (../../rules/custom-challenges.ts). An unknown username is
 * UserNotFoundException, or, when the client hides existence, a sequence like anyone's that no
 * answer completes. Assumed: a disabled, unconfirmed or reset user is told so at once (as
 * USER_PASSWORD_AUTH tells them), and a password step (SRP_A) is not emulated.
 */
export const customAuth: AuthFlow = async (req, bridge, pool) => {
  const { ctx, services } = bridge
  const client = await services.cognito.getAppClient(ctx, String(req.ClientId))
  const username = req.AuthParameters?.USERNAME
  if (typeof username !== 'string' || username === '') throw new InvalidParameterError('Missing required parameter USERNAME')
  requireTrigger(bridge, 'defineAuthChallenge')
  const user = await pool.getUserByUsername(ctx, username)
  const hidesExistence = client?.PreventUserExistenceErrors === 'ENABLED'
  if (user === null && !hidesExistence) throw new UserNotFoundError('User does not exist.')
  if (user?.Enabled === false) throw new NotAuthorizedError('User is disabled.')
  if (user?.UserStatus === 'UNCONFIRMED') throw new UserNotConfirmedException()
  if (user?.UserStatus === 'RESET_REQUIRED') throw new PasswordResetRequiredError()
  return await nextStep(bridge, pool, { user, username, clientId: req.ClientId, results: [], hidesExistence })
}
