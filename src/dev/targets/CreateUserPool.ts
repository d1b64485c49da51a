// The emulator's CreateUserPool operation: AWS's request in, its response out, its named errors thrown.
import type { CreateUserPoolRequest, CreateUserPoolResponse } from '@aws-sdk/client-cognito-identity-provider'
import { describedPool, newPoolId, newPoolOptions } from '../rules/pools.ts'
import type { Target } from './target.ts'

/**
 * CreateUserPool: a pool with an id of AWS's form in the emulator's region (cognito-local's
 * `local_…` would give tokens an issuer no verifier accepts), every setting of the request kept
 * and checked as AWS checks it (../rules/pools.ts), the schema with its custom attributes.
 * Assumed: the account id in the pool's ARN is 000000000000.
 */
export const CreateUserPool: Target<CreateUserPoolRequest, CreateUserPoolResponse> = async (req, bridge) => {
  const { ctx, services } = bridge
  // The emulator's region is in its issuer, https://cognito-idp.<region>.amazonaws.com.
  const region = /cognito-idp\.([^.]+)\./.exec(services.config.TokenConfig.IssuerDomain ?? '')?.[1] ?? 'eu-west-1'
  const options = newPoolOptions(req, newPoolId(region), services.clock.get())
  await services.cognito.createUserPool(ctx, options)
  // cognito-local merges its defaults into a new pool (lists item by item): the stored record is made exactly this one.
  const pool = await services.cognito.getUserPool(ctx, options.Id)
  await pool.updateOptions(ctx, options)
  return { UserPool: describedPool(options, 0, bridge.triggers) }
}
