// PROFILE_ATTRIBUTES and PROFILE_ATTRIBUTES_READONLY checked against the pool at start: an
// attribute users could not read or write as configured stops the start with one line naming it.
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { ConfigError } from '../../config.ts'
import { attributeRefusals, refusalText } from '../../profile-attributes.ts'

/**
 * Reads the pool's schema and the app client's lists with the admin credentials (DescribeUserPool,
 * DescribeUserPoolClient). Where they cannot be read, the start goes on unchecked, and says so:
 * an attribute the pool lacks then fails at the first `updateProfile` that names it.
 */
async function profileAttributes (fastify: FastifyInstance): Promise<void> {
  const lists = fastify.config.profileAttributes
  if (lists.writable.length === 0 && lists.readonly.length === 0) return
  const read = await fastify.cognito.describeAttributeAccess()
  if ('unread' in read) {
    fastify.log.warn(`PROFILE_ATTRIBUTES and PROFILE_ATTRIBUTES_READONLY not checked against the pool: ${read.unread} (npm run doctor checks them with credentials that may)`)
    return
  }
  const refusals = attributeRefusals(read.access, lists)
  if (refusals.length > 0) throw new ConfigError(`invalid configuration: ${refusals.map(refusalText).join('; ')} (npm run doctor names the fix)`)
}

export default fp(profileAttributes, { name: 'profile-attributes', dependencies: ['config', 'cognito'] })
