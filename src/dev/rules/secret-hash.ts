// SECRET_HASH as AWS checks it, on every operation that takes one, when the app client has a
// secret: Base64(HMAC-SHA256(client secret, name + client id)), over the name AWS uses for each
// operation (the username given; for a refresh, Cognito's username of the token's user).
// Missing or wrong: NotAuthorizedException with AWS's messages.
import { createHmac, timingSafeEqual } from 'node:crypto'
import { NotAuthorizedError } from 'cognito-local/lib/errors.js'
import type { Bridge } from './bridge.ts'

/** What an operation's SECRET_HASH is checked over: the client, the name it hashes, the hash given. */
interface Hashed { clientId: unknown, name: unknown, hash: unknown }

// `any`: each operation's request has its own shape; these read the few fields AWS hashes over.
type Reader = (req: any, bridge: Pick<Bridge, 'tokens'>) => Hashed | undefined

const REFRESH_FLOWS = new Set(['REFRESH_TOKEN_AUTH', 'REFRESH_TOKEN'])

/** InitiateAuth and AdminInitiateAuth: USERNAME, or the refresh token's user (an unreadable token is the flow's to refuse). */
const authParameters: Reader = (req, { tokens }) => {
  const params = req.AuthParameters ?? {}
  if (!REFRESH_FLOWS.has(String(req.AuthFlow))) return { clientId: req.ClientId, name: params.USERNAME, hash: params.SECRET_HASH }
  const claims = tokens.read(params.REFRESH_TOKEN, 'refresh')
  return typeof claims === 'object' ? { clientId: req.ClientId, name: claims['cognito:username'], hash: params.SECRET_HASH } : undefined
}

/** RespondToAuthChallenge and AdminRespondToAuthChallenge: the USERNAME of the answer. */
const challengeResponses: Reader = (req) => ({ clientId: req.ClientId, name: req.ChallengeResponses?.USERNAME, hash: req.ChallengeResponses?.SECRET_HASH })

/** The operations with a SecretHash member: their Username. */
const secretHashMember: Reader = (req) => ({ clientId: req.ClientId, name: req.Username, hash: req.SecretHash })

/** Every operation that takes a SECRET_HASH, and where it is. */
const OPERATIONS: ReadonlyMap<string, Reader> = new Map([
  ['InitiateAuth', authParameters],
  ['AdminInitiateAuth', authParameters],
  ['RespondToAuthChallenge', challengeResponses],
  ['AdminRespondToAuthChallenge', challengeResponses],
  ['SignUp', secretHashMember],
  ['ConfirmSignUp', secretHashMember],
  ['ResendConfirmationCode', secretHashMember],
  ['ForgotPassword', secretHashMember],
  ['ConfirmForgotPassword', secretHashMember]
])

/** The SECRET_HASH of `name` for a client with `secret`. */
export const secretHash = (secret: string, name: string, clientId: string): string =>
  createHmac('sha256', secret).update(`${name}${clientId}`).digest('base64')

/**
 * Refuses `operation`'s request when its app client has a secret and the SECRET_HASH is missing
 * or not the one of the name AWS hashes for it. Other operations, clients without a secret
 * (assumed: a hash they are sent is ignored) and unknown clients (the operation's to refuse) pass.
 */
export async function checkSecretHash (operation: string, req: unknown, bridge: Pick<Bridge, 'ctx' | 'services' | 'tokens'>): Promise<void> {
  const reader = OPERATIONS.get(operation)
  const hashed = reader?.(req ?? {}, bridge)
  if (hashed === undefined || typeof hashed.clientId !== 'string') return
  const client = await bridge.services.cognito.getAppClient(bridge.ctx, hashed.clientId)
  if (client?.ClientSecret === undefined) return
  if (typeof hashed.hash !== 'string' || hashed.hash === '') throw new NotAuthorizedError(`Client ${client.ClientId} is configured for secret but secret was not received`)
  const expected = Buffer.from(secretHash(client.ClientSecret, String(hashed.name ?? ''), client.ClientId))
  const given = Buffer.from(hashed.hash)
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new NotAuthorizedError(`Unable to verify secret hash for client ${client.ClientId}`)
}
