// The emulator's AddCustomAttributes operation: AWS's request in, its response out, its named errors thrown.
import type { AddCustomAttributesRequest, AddCustomAttributesResponse } from '@aws-sdk/client-cognito-identity-provider'
import { InvalidParameterError } from 'cognito-local/lib/errors.js'
import { schemaOfPool } from '../rules/attributes.ts'
import { limitExceeded } from '../rules/errors.ts'
import { schemaOf } from '../rules/pools.ts'
import { poolById } from '../rules/users.ts'
import type { Target } from './target.ts'

/**
 * AddCustomAttributes: 1 to 25 custom attributes added to the pool's schema as CreateUserPool adds
 * them (`custom:<name>`, or `dev:custom:<name>` when developer-only; cognito-local names both
 * `custom:`), a name the pool has InvalidParameterException, more than 50 in all LimitExceededException.
 */
export const AddCustomAttributes: Target<AddCustomAttributesRequest, AddCustomAttributesResponse> = async (req, bridge) => {
  const given = req.CustomAttributes ?? []
  if (given.length < 1 || given.length > 25) throw new InvalidParameterError('CustomAttributes must hold 1 to 25 attributes.')
  const pool = await poolById(bridge, req.UserPoolId)
  const current = schemaOfPool(pool)
  const standard = new Set(schemaOf([]).map((a) => a.Name))
  const added = schemaOf(given.map((a) => ({ ...a, Name: String(a.Name ?? '').replace(/^custom:/, '') }))).filter((a) => !standard.has(a.Name))
  for (const attribute of added) {
    if (current.some((a) => a.Name === attribute.Name || a.Name === `dev:${String(attribute.Name)}` || `dev:${String(a.Name)}` === attribute.Name)) {
      throw new InvalidParameterError(`${String(attribute.Name)}: Existing attribute already has name ${String(attribute.Name)}.`)
    }
  }
  const schema = [...current, ...added]
  if (schema.filter((a) => !standard.has(a.Name)).length > 50) throw limitExceeded('A user pool can have at most 50 custom attributes.')
  await pool.updateOptions(bridge.ctx, { ...pool.options, SchemaAttributes: schema as never, LastModifiedDate: bridge.services.clock.get() })
  return {}
}
