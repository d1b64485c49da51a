import { buildFederationSchema } from '@mercuriusjs/federation'
import { Kind, parse, print, type ConstDirectiveNode, type GraphQLSchema } from 'graphql'
import type { Resolvers } from './generated.ts'
import { userReference } from './resolvers/user.ts'

/** `@key(fields: "id")`: other subgraphs name a user by its id. */
const KEY_BY_ID: ConstDirectiveNode = {
  kind: Kind.DIRECTIVE,
  name: { kind: Kind.NAME, value: 'key' },
  arguments: [{ kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: 'fields' }, value: { kind: Kind.STRING, value: 'id' } }]
}

/**
 * The API's SDL as a subgraph's: `User` keyed by its id. Written onto the type here, not in
 * schema/, so that the federation directives stay out of the API's own contract (schema.graphql).
 */
export function federatedSDL (sdl: string): string {
  const document = parse(sdl)
  let keyed = false
  const definitions = document.definitions.map((definition) => {
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
  return buildFederationSchema(federatedSDL(sdl))
}

/**
 * The resolvers with `User.__resolveReference`, which `_entities` calls. guardResolvers leaves
 * `__`-prefixed resolvers as they are: this one applies its own rule (only the caller's own user).
 */
export function federatedResolvers (resolvers: Resolvers): Resolvers {
  return { ...resolvers, User: { ...resolvers.User, ...userReference } as Resolvers['User'] }
}
