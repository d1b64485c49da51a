// Apollo Federation: the SDL as a subgraph, and User as an entity other subgraphs resolve through _entities.
import { buildFederationSchema } from '@mercuriusjs/federation'
import { isObjectType, isUnionType, Kind, parse, print, type ConstDirectiveNode, type DefinitionNode, type GraphQLFieldResolver, type GraphQLSchema, type ObjectTypeExtensionNode } from 'graphql'
import { AppError } from '../errors.ts'
import type { Resolvers } from './generated.ts'
import { userReference } from './resolvers/user.ts'

/** `@key(fields: "id")`: other subgraphs name a user by its id. */
const KEY_BY_ID: ConstDirectiveNode = {
  kind: Kind.DIRECTIVE,
  name: { kind: Kind.NAME, value: 'key' },
  arguments: [{ kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: 'fields' }, value: { kind: Kind.STRING, value: 'id' } }]
}

/** The root types a gateway routes field by field. */
const ROOTS = new Set(['Query', 'Mutation'])

/**
 * The API's SDL as a subgraph's: `User` keyed by its id, and the root types written as extensions.
 * A gateway (@mercuriusjs/gateway) routes to a subgraph only the root fields it declares with
 * `extend type`: a scalar field of a base `type Mutation` (confirmSignUp's Boolean) it would
 * resolve "from the parent", answering null without asking anyone. Written here, not in schema/,
 * so that the federation directives stay out of the API's own contract (schema.graphql).
 */
export function federatedSDL (sdl: string): string {
  const document = parse(sdl)
  let keyed = false
  const definitions = document.definitions.map((definition): DefinitionNode => {
    if (definition.kind === Kind.OBJECT_TYPE_DEFINITION && ROOTS.has(definition.name.value)) {
      const { description: _description, ...rest } = definition
      return { ...rest, kind: Kind.OBJECT_TYPE_EXTENSION } satisfies ObjectTypeExtensionNode
    }
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION || definition.name.value !== 'User') return definition
    keyed = true
    return { ...definition, directives: [...(definition.directives ?? []), KEY_BY_ID] }
  })
  if (!keyed) throw new Error('the schema has no `type User` to make an entity of')
  return print({ ...document, definitions })
}

/**
 * The schema of a federation subgraph (`_service`, `_entities`), given to Mercurius in place of
 * the SDL so that every other option of ours (validation rules, error formatter, context, CSRF
 * prevention, limits) applies to it as it does to the plain API.
 */
export function federationSchema (sdl: string): GraphQLSchema {
  const schema = buildFederationSchema(federatedSDL(sdl))
  const entities = schema.getQueryType()?.getFields()._entities
  const union = schema.getType('_Entity')
  if (entities?.resolve !== undefined && isUnionType(union)) {
    entities.resolve = checkedRepresentations(entities.resolve, new Set(union.getTypes().map((type) => type.name)))
  }
  return schema
}

/**
 * `_entities` refuses, as the caller's mistake, a representation that names no entity type: the
 * federation library would throw on it (a 500 with an error-level stack, for a request anybody
 * can send) or hand the representation back as an object of another type.
 */
function checkedRepresentations (resolve: GraphQLFieldResolver<unknown, unknown>, entityTypes: ReadonlySet<string>): GraphQLFieldResolver<unknown, unknown> {
  return (source, args, context, info) => {
    const representations = (args as { representations?: unknown }).representations
    const named = Array.isArray(representations) && representations.every((r: unknown) => {
      const typename = typeof r === 'object' && r !== null && !Array.isArray(r) ? (r as { __typename?: unknown }).__typename : undefined
      return typeof typename === 'string' && entityTypes.has(typename) && isObjectType(info.schema.getType(typename))
    })
    if (!named) throw new AppError('BAD_USER_INPUT', `Every representation must be an object whose "__typename" names an entity type (${[...entityTypes].join(', ')}).`)
    return resolve(source, args, context, info)
  }
}

/**
 * The resolvers with `User.__resolveReference`, which `_entities` calls. applyFieldPolicies leaves
 * `__`-prefixed resolvers as they are: this one applies its own rule (only the caller's own user).
 */
export function federatedResolvers (resolvers: Resolvers): Resolvers {
  return { ...resolvers, User: { ...resolvers.User, ...userReference } as Resolvers['User'] }
}
