// The doctor's verdict on PROFILE_ATTRIBUTES and PROFILE_ATTRIBUTES_READONLY: every attribute they
// name is in the pool's schema, users may write the writable ones, and the app client lets them.
import type { SchemaAttributeType } from '@aws-sdk/client-cognito-identity-provider'
import { change, off, works, type Diagnosis, type Feature } from './feature.ts'
import { clientUpdate, judged, poolCommand } from './fixes.ts'

/** Why users cannot read (or, when `write`, write) `attribute` in the pool and client, or undefined. */
function refusal (d: Diagnosis, attribute: string, write: boolean): { detail: string, fix: string } | undefined {
  const schema: SchemaAttributeType | undefined = (d.facts.pool?.SchemaAttributes ?? []).find((a) => a.Name === attribute)
  const variable = write ? 'PROFILE_ATTRIBUTES' : 'PROFILE_ATTRIBUTES_READONLY'
  if (schema === undefined) {
    const add = attribute.startsWith('custom:')
      ? `, or add it: ${poolCommand(d, 'add-custom-attributes', `--custom-attributes Name=${attribute.slice('custom:'.length)},AttributeDataType=String,Mutable=true`)}`
      : ''
    return { detail: `${variable} names ${attribute}, which the pool's schema does not have`, fix: `take ${attribute} out of ${variable}${add}` }
  }
  if (schema.DeveloperOnlyAttribute === true) return { detail: `${attribute} is developer-only: users can neither read nor write it`, fix: `take ${attribute} out of ${variable}` }
  if (write && schema.Mutable === false) return { detail: `${attribute} cannot change once set (not Mutable), but PROFILE_ATTRIBUTES lets users write it`, fix: `move ${attribute} to PROFILE_ATTRIBUTES_READONLY` }
  const client = d.facts.client
  // AWS: a client without a list may read (write) every attribute.
  const listed = write ? client?.WriteAttributes : client?.ReadAttributes
  if (listed !== undefined && listed.length > 0 && !listed.includes(attribute)) {
    const option = write ? '--write-attributes' : '--read-attributes'
    return { detail: `the app client does not let users ${write ? 'write' : 'read'} ${attribute}`, fix: clientUpdate(d, `${option} ${[...listed, attribute].join(' ')}`) }
  }
  return undefined
}

function attributes (d: Diagnosis): Feature {
  const name = 'attributes'
  const { writable, readonly } = d.config.profileAttributes
  if (writable.length === 0 && readonly.length === 0) {
    const custom = (d.facts.pool?.SchemaAttributes ?? []).flatMap((a) => a.Name?.startsWith('custom:') === true ? [a.Name] : [])
    const has = custom.length === 0 ? '' : ` (the pool has ${custom.join(', ')})`
    return off(name, 'PROFILE_ATTRIBUTES and PROFILE_ATTRIBUTES_READONLY are empty: users see and change their name and email only', `PROFILE_ATTRIBUTES=<attributes users may change>${has}`)
  }
  const refusals = [...writable.map((a) => refusal(d, a, true)), ...readonly.map((a) => refusal(d, a, false))].filter((r) => r !== undefined)
  if (refusals.length > 0) return change(name, refusals.map((r) => r.detail).join('; '), refusals.map((r) => r.fix).join('; '))
  const read = readonly.length === 0 ? '' : `; they read ${readonly.join(', ')}`
  return works(name, `users read and write ${writable.length === 0 ? 'no attribute beyond name and email' : writable.join(', ')}${read}`)
}

export const attributesVerdict = (d: Diagnosis): Feature => judged(d, 'attributes', ['DescribeUserPool', 'DescribeUserPoolClient'], () => attributes(d))
