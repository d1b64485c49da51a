// The doctor's verdict on PROFILE_ATTRIBUTES and PROFILE_ATTRIBUTES_READONLY: every attribute they
// name is in the pool's schema, users may write the writable ones, and the app client lets them.
import { attributeAccessOf } from '../plugins/app/cognito/attributes.ts'
import { attributeRefusals, refusalText, type AttributeRefusal } from '../profile-attributes.ts'
import { change, off, works, type Diagnosis, type Feature } from './feature.ts'
import { clientUpdate, judged, poolCommand } from './fixes.ts'

/** The fix of a refusal: an AWS CLI command, or a change of the variables. */
function fixOf (d: Diagnosis, { attribute, write, reason, listed = [] }: AttributeRefusal): string {
  const variable = write ? 'PROFILE_ATTRIBUTES' : 'PROFILE_ATTRIBUTES_READONLY'
  switch (reason) {
    case 'missing': {
      const add = attribute.startsWith('custom:')
        ? `, or add it: ${poolCommand(d, 'add-custom-attributes', `--custom-attributes Name=${attribute.slice('custom:'.length)},AttributeDataType=String,Mutable=true`)}`
        : ''
      return `take ${attribute} out of ${variable}${add}`
    }
    case 'developer-only': return `take ${attribute} out of ${variable}`
    case 'immutable': return `move ${attribute} to PROFILE_ATTRIBUTES_READONLY`
    case 'client': return clientUpdate(d, `${write ? '--write-attributes' : '--read-attributes'} ${[...listed, attribute].join(' ')}`)
  }
}

function attributes (d: Diagnosis): Feature {
  const name = 'attributes'
  const { writable, readonly } = d.config.profileAttributes
  if (writable.length === 0 && readonly.length === 0) {
    const custom = (d.facts.pool?.SchemaAttributes ?? []).flatMap((a) => a.Name?.startsWith('custom:') === true ? [a.Name] : [])
    const has = custom.length === 0 ? '' : ` (the pool has ${custom.join(', ')})`
    return off(name, 'PROFILE_ATTRIBUTES and PROFILE_ATTRIBUTES_READONLY are empty: users see and change their name and email only', `PROFILE_ATTRIBUTES=<attributes users may change>${has}`)
  }
  const refusals = attributeRefusals(attributeAccessOf(d.facts.pool, d.facts.client), d.config.profileAttributes)
  if (refusals.length > 0) return change(name, refusals.map(refusalText).join('; '), refusals.map((r) => fixOf(d, r)).join('; '))
  const read = readonly.length === 0 ? '' : `; they read ${readonly.join(', ')}`
  return works(name, `users read and write ${writable.length === 0 ? 'no attribute beyond name and email' : writable.join(', ')}${read}`)
}

export const attributesVerdict = (d: Diagnosis): Feature => judged(d, 'attributes', ['DescribeUserPool', 'DescribeUserPoolClient'], () => attributes(d))
