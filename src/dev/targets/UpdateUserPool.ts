// The emulator's UpdateUserPool operation: AWS's request in, its response out, its named errors thrown.
import type { UpdateUserPoolRequest, UpdateUserPoolResponse } from '@aws-sdk/client-cognito-identity-provider'
import { updatedPoolOptions, type PoolOptions } from '../rules/pools.ts'
import { poolById } from '../rules/users.ts'
import type { Target } from './target.ts'

/**
 * UpdateUserPool as AWS documents it: a setting the request leaves out returns to its default;
 * the sign-in names and the schema cannot change (../rules/pools.ts). Assumed: the pool's
 * SignInPolicy stays unless the request gives one.
 */
export const UpdateUserPool: Target<UpdateUserPoolRequest, UpdateUserPoolResponse> = async (req, bridge) => {
  const pool = await poolById(bridge, req.UserPoolId)
  await pool.updateOptions(bridge.ctx, updatedPoolOptions(pool.options as PoolOptions, req, bridge.services.clock.get()))
  return {}
}
