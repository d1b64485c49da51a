// The emulator: answering CUSTOM_CHALLENGE of RespondToAuthChallenge.
import { InvalidParameterError, NotAuthorizedError } from 'cognito-local/lib/errors.js'
import { judged, nextStep } from '../../rules/custom-challenges.ts'
import type { Challenge } from './challenge.ts'

/**
 * CUSTOM_CHALLENGE, which cognito-local does not know: the ANSWER goes to verify auth challenge
 * response, its verdict joins the rounds, and define auth challenge says what comes next (another
 * challenge under a new session, tokens, or NotAuthorizedException); a sequence of a username
 * nobody has runs the same way and never ends in tokens. Assumed: an answer that is not a
 * string is InvalidParameterException and leaves the session standing.
 */
export const customChallenge: Challenge = {
  checkForm (req) {
    if (typeof req.ChallengeResponses?.ANSWER !== 'string') throw new InvalidParameterError('Missing required parameter ANSWER')
  },
  async answer (req, bridge, { pool, user, held }) {
    if (held.custom === undefined) throw new NotAuthorizedError('Invalid session for the user.')
    const sequence = { user, username: String(req.ChallengeResponses?.USERNAME), clientId: req.ClientId, hidesExistence: held.custom.hidesExistence, clientMetadata: req.ClientMetadata }
    const results = await judged(bridge, pool, sequence, held.custom, String(req.ChallengeResponses?.ANSWER))
    return await nextStep(bridge, pool, { ...sequence, results })
  },
  async answerGhost (req, bridge, { pool, username, held }) {
    if (held.custom === undefined) throw new NotAuthorizedError('Invalid session for the user.')
    const sequence = { user: null, username, clientId: req.ClientId, hidesExistence: held.custom.hidesExistence, clientMetadata: req.ClientMetadata }
    const results = await judged(bridge, pool, sequence, held.custom, String(req.ChallengeResponses?.ANSWER))
    return await nextStep(bridge, pool, { ...sequence, results })
  }
}
