// Reading the environment against its schema the way a person writes it: enum values in any case
// (`COOKIE_SAMESITE=lax`, `LOG_LEVEL=INFO`), and one sentence per bad variable that names it, its
// value and what it may be, instead of ajv's "must be equal to constant" once per allowed value.
import type { TSchema } from '@sinclair/typebox'

/** One of ajv's errors, as env-schema attaches them (`err.errors`). */
interface SchemaError {
  instancePath: string
  keyword: string
  params: Record<string, unknown>
  message?: string
}

/** Values never repeated in a message: they would land in a terminal or a log. */
const SECRET = /SECRET|PASSWORD|TOKEN/

/** The allowed values of a union of literals (TypeBox's `Type.Union([Type.Literal(…)])`), else undefined. */
function literalsOf (schema: TSchema | undefined): string[] | undefined {
  const options = (schema as { anyOf?: Array<{ const?: unknown }> } | undefined)?.anyOf
  if (options === undefined || !options.every((option) => typeof option.const === 'string')) return undefined
  return options.map((option) => option.const as string)
}

const typeOf = (schema: TSchema | undefined) => (schema as { type?: string } | undefined)?.type

/**
 * The environment with every enum and boolean value written in its canonical case (`lax` →
 * `Lax`, `TRUE` → `true`), so that the schema checks what was meant, not how it was typed.
 */
export function canonicalCase (properties: Record<string, TSchema>, source: Record<string, string | undefined>): Record<string, string | undefined> {
  const result = { ...source }
  for (const [name, schema] of Object.entries(properties)) {
    const value = source[name]
    // NODE_ENV stays exact: libraries and tools compare it to 'production' as it is written.
    if (value === undefined || name === 'NODE_ENV') continue
    const allowed = typeOf(schema) === 'boolean' ? ['true', 'false'] : literalsOf(schema)
    const match = allowed?.find((option) => option.toLowerCase() === value.trim().toLowerCase())
    if (match !== undefined) result[name] = match
  }
  return result
}

/** `a`, `a or b`, `a, b or c` */
const either = (values: string[]) => values.length < 2 ? values.join('') : `${values.slice(0, -1).join(', ')} or ${values.at(-1) ?? ''}`

/** What `name` may be, from the first of its errors that says (the enum's values, a type, a bound, a pattern). */
function expectation (schema: TSchema | undefined, errors: SchemaError[]): string {
  const literals = literalsOf(schema)
  if (literals !== undefined) return `one of ${either(literals)}`
  if (typeOf(schema) === 'boolean') return 'true or false'
  const first = errors.find((e) => e.keyword !== 'anyOf') ?? errors[0]
  switch (first?.keyword) {
    case 'type': return first.params.type === 'integer' ? 'a whole number' : `a ${String(first.params.type)}`
    case 'minimum': return `a whole number of at least ${String(first.params.limit)}`
    case 'maximum': return `a whole number of at most ${String(first.params.limit)}`
    case 'minLength': return `at least ${String(first.params.limit)} characters long`
    case 'maxLength': return `at most ${String(first.params.limit)} characters long`
    case 'pattern': return `of the form ${String(first.params.pattern)}`
    default: return first?.message ?? 'valid'
  }
}

/**
 * One sentence per variable the schema refused: `LOG_LEVEL=verbose is not allowed: use one of
 * fatal, error, warn, info, debug, trace or silent`. A secret's value is not repeated.
 */
export function describeEnvErrors (properties: Record<string, TSchema>, source: Record<string, string | undefined>, errors: SchemaError[]): string[] {
  const byVariable = new Map<string, SchemaError[]>()
  for (const error of errors) {
    const name = error.instancePath.replace(/^\//, '').split('/')[0] || String(error.params.missingProperty ?? 'the environment')
    byVariable.set(name, [...(byVariable.get(name) ?? []), error])
  }
  return [...byVariable].map(([name, found]) => {
    const value = source[name]
    const shown = value === undefined ? `${name} (unset)` : SECRET.test(name) ? `${name} (${value.length} characters)` : `${name}=${value}`
    return `${shown} is not allowed: it must be ${expectation(properties[name], found)}`
  })
}
