// The client contract: what a client generates its code from (schema.graphql, the ErrorCode
// enum) agrees with what the server runs, and the committed manifest of persisted operations runs.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { buildClientSchema, buildSchema, getIntrospectionQuery, getOperationAST, GraphQLScalarType, Kind, parse, printSchema, type IntrospectionQuery } from 'graphql'
import t from 'tap'
import { ERROR_MESSAGES } from '../src/errors.ts'
import { authorizationRules } from '../src/graphql/authorization.ts'
import { loadPersistedOperations } from '../src/graphql/persisted-operations.ts'
import { loadSchemaSDL } from '../src/graphql/schema.ts'
import { build, Client } from './helper.ts'

const root = join(import.meta.dirname, '..')

t.test('the ErrorCode enum lists exactly the codes of the error catalogue, each described', async (t) => {
  const app = await build(t)
  const res = await new Client(app).gql<{ __type: { kind: string, enumValues: Array<{ name: string, description: string | null }> } | null }>(
    '{ __type(name: "ErrorCode") { kind enumValues { name description } } }'
  )
  t.equal(res.data?.__type?.kind, 'ENUM', 'introspection shows ErrorCode, though no field has the type')
  const values = res.data?.__type?.enumValues ?? []
  t.same(values.map((value) => value.name), Object.keys(ERROR_MESSAGES), 'the values of ErrorCode (schema/errors.graphql) are the codes of ERROR_MESSAGES (src/errors.ts), in the same order')
  for (const value of values) t.ok((value.description ?? '').length > 0, `${value.name} says when it happens`)
})

t.test('schema.graphql is the schema the server serves, as introspection shows it', async (t) => {
  const app = await build(t)
  const res = await new Client(app).gql<IntrospectionQuery>(getIntrospectionQuery({ descriptions: true, directiveIsRepeatable: true, specifiedByUrl: true }))
  t.equal(res.errors, undefined, 'the introspection query runs')
  const served = buildClientSchema(res.data as IntrospectionQuery)
  const committed = buildSchema(readFileSync(join(root, 'schema.graphql'), 'utf8'))

  // Mercurius copies a scalar resolver's own description over the SDL's: checked on its own.
  for (const type of Object.values(committed.getTypeMap())) {
    const twin = served.getType(type.name)
    if (!(type instanceof GraphQLScalarType) || !(twin instanceof GraphQLScalarType) || type.name.startsWith('__')) continue
    t.equal(twin.description, type.description, `the server describes the scalar ${type.name} as the SDL does`)
  }
  t.equal(printSchema(committed), printSchema(served), 'schema.graphql is what the server serves (regenerate it with `npm run codegen`)')
  t.match(printSchema(committed), /^enum ErrorCode \{/m, 'with ErrorCode')
})

/** The fields an operation document selects at its root. */
function rootFields (document: string): string[] {
  return (getOperationAST(parse(document))?.selectionSet.selections ?? []).flatMap((selection) => selection.kind === Kind.FIELD ? [selection.name.value] : [])
}

t.test('the committed manifest of persisted operations runs on this schema', async (t) => {
  const path = join(root, 'schema', 'persisted-operations.json')
  const operations = loadPersistedOperations(path, buildSchema(loadSchemaSDL()))
  t.ok(operations.size > 0, 'every document is registered under its SHA-256 hex and valid')

  // The server starts on it (the default PERSISTED_OPERATIONS_MANIFEST) and runs its queries by hash,
  // signed out: a query of a field that needs a session runs to its UNAUTHENTICATED answer.
  const app = await build(t, { env: { PERSISTED_OPERATIONS: 'only' } })
  const guarded = authorizationRules()
  const queries = [...operations].filter(([, document]) => getOperationAST(parse(document))?.operation === 'query')
  for (const [hash, document] of queries) {
    const res = await app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: hash } } })
    })
    t.equal(res.statusCode, 200, `query ${hash} runs by hash`)
    const fields = rootFields(document)
    const expected = fields.some((field) => guarded.has(`Query.${field}`)) ? ['UNAUTHENTICATED'] : []
    t.same((res.json().errors ?? []).map((e: { extensions: { code: string } }) => e.extensions.code), expected, `query ${hash} (${fields.join(', ')}): ${expected.length === 0 ? 'no error' : 'UNAUTHENTICATED'}`)
  }
})
