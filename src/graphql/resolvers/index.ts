// Every resolver of the API in one map, by area.
import { GraphQLScalarType, Kind } from 'graphql'
import type { Resolvers } from '../generated.ts'
import { abuseQueries } from './abuse.ts'
import { accountMutations } from './account.ts'
import { adminMutations, adminQueries } from './admin.ts'
import { challengeMutations } from './challenge.ts'
import { deviceMutations, deviceQueries } from './devices.ts'
import { federatedQueries } from './federated.ts'
import { mfaMutations } from './mfa.ts'
import { passkeyMutations } from './passkeys.ts'
import { profileMutations } from './profile.ts'
import { sessionMutations, sessionQueries } from './session.ts'
import { userFields, userQueries } from './user.ts'

// Mercurius copies a scalar resolver's description over the SDL's: the same words as
// schema/scalars.graphql (test/contract.test.ts keeps them equal).
const DateTime = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: 'An instant in time, as an ISO-8601 string in UTC, e.g. `2026-11-21T06:00:00.000Z`.',
  serialize: (value) => (value as Date).toISOString(),
  parseValue: (value) => new Date(String(value)),
  parseLiteral: (ast) => new Date(ast.kind === Kind.STRING ? ast.value : NaN)
})

/**
 * Every resolver of the schema, by area, as it is: each is put behind its field policy (limits,
 * `@auth`, audit; src/graphql/field-policy.ts) by applyFieldPolicies where Mercurius takes them.
 */
export const resolvers: Resolvers = {
  DateTime,
  Query: { ...userQueries, ...sessionQueries, ...deviceQueries, ...federatedQueries, ...adminQueries, ...abuseQueries },
  Mutation: { ...accountMutations, ...sessionMutations, ...challengeMutations, ...mfaMutations, ...passkeyMutations, ...deviceMutations, ...profileMutations, ...adminMutations },
  User: userFields
}
