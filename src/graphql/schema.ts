import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

const schemaDir = join(import.meta.dirname, '..', '..', 'schema')

/** The SDL of the API: every `schema/*.graphql` file, in name order. */
export function loadSchemaSDL (dir = schemaDir): string {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.graphql'))
    .sort()
    .map((file) => readFileSync(join(dir, file), 'utf8'))
    .join('\n')
}
