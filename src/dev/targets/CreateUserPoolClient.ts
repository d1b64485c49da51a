// The emulator's CreateUserPoolClient operation: AWS's request in, its response out, its named errors thrown.
import type { CreateUserPoolClientRequest, CreateUserPoolClientResponse } from '@aws-sdk/client-cognito-identity-provider'
import { clientResponse, clientSettings, newClientSecret, type StoredClient } from '../rules/app-clients.ts'
import { poolById } from '../rules/users.ts'
import type { Target } from './target.ts'

/**
 * CreateUserPoolClient with AWS's rules for what cognito-local stores loosely: ExplicitAuthFlows
 * known ones (AWS's default SRP, custom and refresh when left out), token validities within AWS's
 * limits in their units (hours, hours and days by default), a 51-character secret with
 * GenerateSecret, and RefreshTokenRotation and AuthSessionValidity kept.
 */
export const CreateUserPoolClient: Target<CreateUserPoolClientRequest, CreateUserPoolClientResponse> = async (req, bridge) => {
  const pool = await poolById(bridge, req.UserPoolId)
  const settings = clientSettings(req)
  const { UserPoolClient } = await bridge.next({ ...req, ...settings, GenerateSecret: false })
  const client: StoredClient = {
    ...(await bridge.services.cognito.getAppClient(bridge.ctx, String(UserPoolClient?.ClientId))) as StoredClient,
    ...settings,
    ...(req.GenerateSecret === true ? { ClientSecret: newClientSecret() } : {})
  }
  await pool.saveAppClient(bridge.ctx, client)
  return { UserPoolClient: clientResponse(client) }
}
