import type { DescribeUserPoolRequest, DescribeUserPoolResponse } from '@aws-sdk/client-cognito-identity-provider'
import { poolById } from '../rules/users.ts'
import type { Target } from './target.ts'

/** DescribeUserPool: with the pool's UserAttributeUpdateSettings, which cognito-local stores (and acts on) but leaves out. */
export const DescribeUserPool: Target<DescribeUserPoolRequest, DescribeUserPoolResponse> = async (req, bridge) => {
  const res = await bridge.next(req)
  const pool = await poolById(bridge, req.UserPoolId)
  return { ...res, UserPool: { ...res.UserPool, UserAttributeUpdateSettings: pool.options.UserAttributeUpdateSettings } }
}
