import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { buildSchema, printSchema } from 'graphql'

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
