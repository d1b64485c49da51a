// The API's SDL: schema/*.graphql read in order, and the printed schema.graphql.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { buildSchema, isObjectType, isTypeDefinitionNode, isTypeExtensionNode, Kind, parse, printSchema, type DocumentNode } from 'graphql'
import { ConfigError } from '../config.ts'

const schemaDir = join(import.meta.dirname, '..', '..', 'schema')

/** The SDL of the API: every `schema/*.graphql` file, in name order. */
export function loadSchemaSDL (dir = schemaDir): string {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.graphql'))
    .sort()
    .map((file) => readFileSync(join(dir, file), 'utf8'))
    .join('\n')
}

/**
 * The whole schema in one SDL document, with its descriptions, as introspection shows it: the
 * `extend`s merged, and types no field uses (`ErrorCode`) kept, as a schema built from SDL keeps them.
 */
export function printApiSchema (sdl = loadSchemaSDL()): string {
  return printSchema(buildSchema(sdl))
}

/** The object types an app's SDL may extend: fields added there are the app's own. */
const EXTENSIBLE = new Set(['Query', 'Mutation', 'User'])

/**
 * Our SDL with an app's SDL after it (authServer's `schema`), or a ConfigError that names the
 * clash: the app adds its own types and extends Query, Mutation and User, and may use `@auth`,
 * but redefines none of our types, fields or directives. Returns the merged SDL and the app's
 * fields (`Type.field`).
 */
export function mergeAppSchema (ours: string, app: string): { sdl: string, appFields: string[] } {
  const schema = buildSchema(ours)
  let document: DocumentNode
  try {
    document = parse(app)
  } catch (err) {
    throw new ConfigError(`authServer option "schema" does not parse: ${(err as Error).message}`)
  }
  const clash = (what: string) => new ConfigError(`authServer option "schema" redefines ${what}, which the auth server defines: rename it${what.includes('.') ? '' : ' (or `extend type` to add fields)'}`)
  const appFields: string[] = []
  for (const definition of document.definitions) {
    if (definition.kind === Kind.DIRECTIVE_DEFINITION) {
      if (schema.getDirective(definition.name.value) != null) throw clash(`the directive @${definition.name.value}`)
      continue
    }
    if (definition.kind === Kind.SCHEMA_DEFINITION || definition.kind === Kind.SCHEMA_EXTENSION) throw clash('the schema definition')
    if (!('name' in definition) || definition.name === undefined) continue
    const name = definition.name.value
    const ourType = schema.getType(name)
    if (isTypeDefinitionNode(definition)) {
      if (ourType != null) throw clash(`type ${name}`)
    } else if (isTypeExtensionNode(definition)) {
      if (ourType != null && !EXTENSIBLE.has(name)) throw clash(`type ${name} (only Query, Mutation and User may be extended)`)
    }
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION) continue
    const ourFields = isObjectType(ourType) ? ourType.getFields() : {}
    for (const field of definition.fields ?? []) {
      if (field.name.value in ourFields) throw clash(`the field ${name}.${field.name.value}`)
      appFields.push(`${name}.${field.name.value}`)
    }
  }
  const sdl = `${ours}\n${app}`
  try {
    buildSchema(sdl)
  } catch (err) {
    throw new ConfigError(`authServer option "schema" does not merge with the auth server's schema: ${(err as Error).message}`)
  }
  return { sdl, appFields }
}
