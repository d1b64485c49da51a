// The browser client's operations and types (cognito-graphql-auth/client), derived from the schema:
// one document per Query and Mutation field, named as the field, selecting the field's whole
// result (`__typename` on every object, for unions and normalising caches), and the TypeScript
// types of exactly those selections. scripts/codegen.ts writes the types and the hash table into
// src/client/generated.ts; scripts/codegen-spa.ts adds the documents to the manifest. A field added
// to the schema becomes a client method by re-running both: nothing here names a field.
import {
  getNamedType, isEnumType, isInputObjectType, isInterfaceType, isLeafType, isListType, isNonNullType,
  isObjectType, isScalarType, isUnionType,
  type GraphQLArgument, type GraphQLField, type GraphQLInputType, type GraphQLNamedType, type GraphQLObjectType,
  type GraphQLOutputType, type GraphQLSchema
} from 'graphql'
import { operationHash } from '../src/graphql/persisted-operations.ts'

/** How a method passes its argument: as the field's `input`, as the field's arguments, or none. */
export type ArgumentShape = 'input' | 'args' | 'none'

/** One method of the client: the field it runs, its document and the manifest key of that document. */
export interface ClientOperation {
  field: GraphQLField<unknown, unknown>
  kind: 'query' | 'mutation'
  document: string
  hash: string
  shape: ArgumentShape
}

/** The client's own methods beside the generated ones: a schema field of one of these names would hide it. */
export const CLIENT_HELPERS = ['onSessionChange', 'registerPasskey', 'signInWithPasskey', 'answerPasskeyChallenge'] as const

/** What the scalars are in JSON, as the client receives and sends them. */
const SCALARS: Readonly<Record<string, string>> = { ID: 'string', String: 'string', Int: 'number', Float: 'number', Boolean: 'boolean', DateTime: 'string' }

/** A field the whole-result selection includes: not deprecated, and callable without arguments. */
function selectable (field: GraphQLField<unknown, unknown>): boolean {
  return field.deprecationReason == null && field.args.every((arg) => !isNonNullType(arg.type) || arg.defaultValue !== undefined)
}

const fieldsOf = (type: GraphQLObjectType): Array<GraphQLField<unknown, unknown>> => Object.values(type.getFields()).filter(selectable)

/** The whole-result selection set of `type` (empty for a leaf); a cycle of types is an error, not a cut. */
function selection (schema: GraphQLSchema, type: GraphQLOutputType, path: readonly string[] = []): string {
  const named = getNamedType(type)
  if (isLeafType(named)) return ''
  if (path.includes(named.name)) throw new Error(`the schema's types form a cycle (${[...path, named.name].join(' → ')}): the client's whole-result documents need a rule for it`)
  const inner = [...path, named.name]
  const fields = (object: GraphQLObjectType) => fieldsOf(object).map((field) => field.name + selection(schema, field.type, inner)).join(' ')
  if (isObjectType(named)) return ` { __typename ${fields(named)} }`
  // A union's or an interface's `__typename` says which member: each member's fields without another.
  return ` { __typename ${possibleTypes(schema, named).map((member) => `... on ${member.name} { ${fields(member)} }`).join(' ')} }`
}

/** The object types a union or an interface may be (none for any other type). */
function possibleTypes (schema: GraphQLSchema, type: GraphQLNamedType): readonly GraphQLObjectType[] {
  return isUnionType(type) || isInterfaceType(type) ? schema.getPossibleTypes(type) : []
}

function shapeOf (field: GraphQLField<unknown, unknown>): ArgumentShape {
  if (field.args.length === 0) return 'none'
  return field.args.length === 1 && field.args[0]?.name === 'input' ? 'input' : 'args'
}

/** Every Query and Mutation field as a client operation, by field name. */
export function clientOperations (schema: GraphQLSchema): ClientOperation[] {
  const roots = [['query', schema.getQueryType()], ['mutation', schema.getMutationType()]] as const
  const operations: ClientOperation[] = []
  for (const [kind, root] of roots) {
    for (const field of Object.values(root?.getFields() ?? {})) {
      if (field.name.startsWith('_')) continue
      if ((CLIENT_HELPERS as readonly string[]).includes(field.name)) throw new Error(`the schema field ${field.name} has the name of a client helper: rename one`)
      const variables = field.args.map((arg) => `$${arg.name}: ${String(arg.type)}`).join(', ')
      const args = field.args.map((arg) => `${arg.name}: $${arg.name}`).join(', ')
      const document = `${kind} ${field.name}${variables === '' ? '' : `(${variables})`} { ${field.name}${args === '' ? '' : `(${args})`}${selection(schema, field.type)} }`
      operations.push({ field, kind, document, hash: operationHash(document), shape: shapeOf(field) })
    }
  }
  return operations.sort((a, b) => a.field.name.localeCompare(b.field.name))
}

/** A JSDoc comment of a description, indented. */
function doc (description: string | null | undefined, indent = ''): string {
  if (description == null || description === '') return ''
  const lines = description.replaceAll('*/', '*\\/').split('\n')
  return lines.length === 1 ? `${indent}/** ${lines[0]} */\n` : `${indent}/**\n${lines.map((line) => `${indent} * ${line}`.trimEnd()).join('\n')}\n${indent} */\n`
}

/** The TypeScript type of an output or input type, as JSON carries it. */
function tsType (type: GraphQLOutputType | GraphQLInputType): string {
  const nullable = (inner: string) => `${inner} | null`
  const bare = (t: GraphQLOutputType | GraphQLInputType): string => {
    if (isListType(t)) return `Array<${tsType(t.ofType)}>`
    if (isScalarType(t)) return SCALARS[t.name] ?? 'unknown'
    return t.name
  }
  return isNonNullType(type) ? bare(type.ofType) : nullable(bare(type))
}

const optional = (arg: GraphQLArgument | { type: GraphQLInputType, defaultValue?: unknown }) => !isNonNullType(arg.type) || arg.defaultValue !== undefined

/** The named types the operations' selections and arguments reach, and every enum (ErrorCode is one no field has). */
function reachable (schema: GraphQLSchema, operations: ClientOperation[]): GraphQLNamedType[] {
  const seen = new Set<GraphQLNamedType>()
  const visit = (type: GraphQLNamedType) => {
    if (seen.has(type)) return
    seen.add(type)
    if (isObjectType(type)) for (const field of fieldsOf(type)) visit(getNamedType(field.type))
    for (const member of possibleTypes(schema, type)) visit(member)
    if (isInputObjectType(type)) for (const field of Object.values(type.getFields())) visit(getNamedType(field.type))
  }
  for (const { field } of operations) {
    visit(getNamedType(field.type))
    for (const arg of field.args) visit(getNamedType(arg.type))
  }
  for (const type of Object.values(schema.getTypeMap())) if (isEnumType(type) && !type.name.startsWith('__')) visit(type)
  return [...seen].filter((type) => !isScalarType(type)).sort((a, b) => a.name.localeCompare(b.name))
}

/** One named type as TypeScript: an object as an interface with its `__typename`, a union or interface as its members, an enum's values, an input. */
function declaration (schema: GraphQLSchema, type: GraphQLNamedType): string {
  const head = doc(type.description)
  if (isObjectType(type)) {
    const fields = fieldsOf(type).map((field) => `${doc(field.description, '  ')}  ${field.name}: ${tsType(field.type)}`)
    return `${head}export interface ${type.name} {\n  __typename: '${type.name}'\n${fields.join('\n')}\n}`
  }
  if (isUnionType(type) || isInterfaceType(type)) return `${head}export type ${type.name} = ${possibleTypes(schema, type).map((member) => member.name).join(' | ')}`
  if (isEnumType(type)) return `${head}export type ${type.name} =\n${type.getValues().map((value) => `  | '${value.name}'`).join('\n')}`
  if (isInputObjectType(type)) {
    const fields = Object.values(type.getFields()).map((field) => `${doc(field.description, '  ')}  ${field.name}${optional(field) ? '?' : ''}: ${tsType(field.type)}`)
    return `${head}export interface ${type.name} {\n${fields.join('\n')}\n}`
  }
  throw new Error(`the client has no TypeScript for ${type.name}`)
}

/** A method's signature: its argument as the field takes it, its promise of the field's data. */
function signature ({ field, shape }: ClientOperation): string {
  const result = `Promise<${tsType(field.type)}>`
  if (shape === 'none') return `${field.name} (): ${result}`
  if (shape === 'input') {
    const [input] = field.args as [GraphQLArgument]
    return `${field.name} (input${optional(input) ? '?' : ''}: ${tsType(input.type).replace(/ \| null$/, '')}): ${result}`
  }
  const args = field.args.map((arg) => `${doc(arg.description, '    ')}    ${arg.name}${optional(arg) ? '?' : ''}: ${tsType(arg.type)}`).join('\n')
  return `${field.name} (args${field.args.every(optional) ? '?' : ''}: {\n${args}\n  }): ${result}`
}

/** src/client/generated.ts: the schema's types as the client sees them, its methods' signatures, and the hash of each document. */
export function clientModule (schema: GraphQLSchema): string {
  const operations = clientOperations(schema)
  const types = reachable(schema, operations).map((type) => declaration(schema, type))
  const methods = operations.map((operation) => `${doc(operation.field.description, '  ')}  ${signature(operation)}`)
  // Per method: the SHA-256 of its document (the manifest's key), and whether its argument is the field's `input`.
  const table = operations.map(({ field, hash, shape }) => `  ${field.name}: ['${hash}', ${shape === 'input' ? 1 : 0}]`)
  return `/* eslint-disable */
// Generated by \`npm run codegen\` from schema/*.graphql (scripts/client-operations.ts). Do not edit.
// The documents themselves are in schema/persisted-operations.json (\`npm run codegen:spa\`).

${types.join('\n\n')}

/** One method per Query and Mutation field, named as the field: its \`input\` in, its data out. */
export interface AuthOperations {
${methods.join('\n')}
}

/** Each method's document, by the SHA-256 hex of its text, and 1 when its argument is the field's \`input\`. */
export const OPERATIONS: { readonly [Name in keyof AuthOperations]: readonly [hash: string, input: 0 | 1] } = {
${table.join(',\n')}
}
`
}
