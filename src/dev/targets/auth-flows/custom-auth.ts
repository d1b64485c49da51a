import { InvalidParameterError, NotAuthorizedError, PasswordResetRequiredError, UserNotConfirmedException, UserNotFoundError } from 'cognito-local/lib/errors.js'
import { nextStep, requireTrigger } from '../../rules/custom-challenges.ts'
import type { AuthFlow } from './auth-flow.ts'

/** The flows an app client allows when it names none: AWS's defaults. */
const DEFAULT_FLOWS = ['ALLOW_USER_SRP_AUTH', 'ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']

/**
 * CUSTOM_AUTH, which cognito-local does not know: the app client must allow it (ALLOW_CUSTOM_AUTH,
 * or the legacy CUSTOM_AUTH_FLOW_ONLY), the pool must have a define auth challenge trigger; then
 * the triggers' sequence (../../rules/custom-challenges.ts). An unknown username is
 * UserNotFoundException, or, when the client hides existence, a sequence like anyone's that no
 * answer completes. Assumed: a disabled, unconfirmed or reset user is told so at once (as
 * USER_PASSWORD_AUTH tells them), and a password step (SRP_A) is not emulated.
 */
export const customAuth: AuthFlow = async (req, bridge, pool) => {
  const { ctx, services } = bridge
  const client = await services.cognito.getAppClient(ctx, String(req.ClientId))
  const flows = client?.ExplicitAuthFlows === undefined || client.ExplicitAuthFlows.length === 0 ? DEFAULT_FLOWS : client.ExplicitAuthFlows
  if (!flows.includes('ALLOW_CUSTOM_AUTH') && !flows.includes('CUSTOM_AUTH_FLOW_ONLY')) throw new InvalidParameterError('CUSTOM_AUTH flow not enabled for this client')
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
