// The emulator's UpdateUserPoolClient operation: AWS's request in, its response out, its named errors thrown.
import type { UpdateUserPoolClientRequest, UpdateUserPoolClientResponse } from '@aws-sdk/client-cognito-identity-provider'
import { ResourceNotFoundError } from 'cognito-local/lib/errors.js'
import { clientResponse, clientSettings, type StoredClient } from '../rules/app-clients.ts'
import { poolById } from '../rules/users.ts'
import type { Target } from './target.ts'

/**
 * UpdateUserPoolClient as AWS runs it: every setting the request leaves out goes back to its
 * default (cognito-local keeps the old one), with the same checks as CreateUserPoolClient; the
 * id, secret, creation date and (when not given) name stay.
 */
export const UpdateUserPoolClient: Target<UpdateUserPoolClientRequest, UpdateUserPoolClientResponse> = async (req, bridge) => {
  const pool = await poolById(bridge, req.UserPoolId)
  const existing = await bridge.services.cognito.getAppClient(bridge.ctx, String(req.ClientId)) as StoredClient | null
  if (existing === null || existing.UserPoolId !== req.UserPoolId) throw new ResourceNotFoundError()
  const { ClientId: _id, ...request } = req
  const client: StoredClient = {
    UserPoolId: existing.UserPoolId,
    ClientId: existing.ClientId,
    ClientName: req.ClientName ?? existing.ClientName,
    ...(existing.ClientSecret === undefined ? {} : { ClientSecret: existing.ClientSecret }),
    CreationDate: existing.CreationDate,
    ...clientSettings({ ...request, ClientName: req.ClientName ?? existing.ClientName }),
    LastModifiedDate: bridge.services.clock.get()
  }
  await pool.saveAppClient(bridge.ctx, client)
  return { UserPoolClient: clientResponse(client) }
}
