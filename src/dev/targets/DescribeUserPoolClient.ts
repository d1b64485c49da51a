// The emulator's DescribeUserPoolClient operation: AWS's request in, its response out, its named errors thrown.
import type { DescribeUserPoolClientRequest, DescribeUserPoolClientResponse } from '@aws-sdk/client-cognito-identity-provider'
import { ResourceNotFoundError } from 'cognito-local/lib/errors.js'
import { clientResponse, type StoredClient } from '../rules/app-clients.ts'
import type { Target } from './target.ts'

/** DescribeUserPoolClient with the settings cognito-local's answer leaves out (RefreshTokenRotation, AuthSessionValidity). */
export const DescribeUserPoolClient: Target<DescribeUserPoolClientRequest, DescribeUserPoolClientResponse> = async (req, bridge) => {
  const client = await bridge.services.cognito.getAppClient(bridge.ctx, String(req.ClientId)) as StoredClient | null
  if (client === null || client.UserPoolId !== req.UserPoolId) throw new ResourceNotFoundError()
  return { UserPoolClient: clientResponse(client) }
}
