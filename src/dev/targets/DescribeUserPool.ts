// The emulator's DescribeUserPool operation: AWS's request in, its response out, its named errors thrown.
import type { DescribeUserPoolRequest, DescribeUserPoolResponse } from '@aws-sdk/client-cognito-identity-provider'
import { describedPool, type PoolOptions } from '../rules/pools.ts'
import { poolById } from '../rules/users.ts'
import type { Target } from './target.ts'

/**
 * DescribeUserPool: every setting the pool holds, those cognito-local leaves out included
 * (UserAttributeUpdateSettings, DeletionProtection, UserPoolTier, the sign-in policy), the
 * estimated number of users, and the triggers the emulator runs in LambdaConfig.
 */
export const DescribeUserPool: Target<DescribeUserPoolRequest, DescribeUserPoolResponse> = async (req, bridge) => {
  const pool = await poolById(bridge, req.UserPoolId)
  const users = (await pool.listUsers(bridge.ctx)).length
  return { UserPool: describedPool(pool.options as PoolOptions, users, bridge.triggers) }
}
