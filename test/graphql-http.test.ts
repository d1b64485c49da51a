// The GraphQL-over-HTTP spec, with the public audit suite of the graphql-http package as the yardstick.
import { auditServer } from 'graphql-http'
import t from 'tap'
import { build, Client } from './helper.ts'

t.test('the graphql-http audit finds no failed MUST (and no failed SHOULD)', async (t) => {
  const app = await build(t)
  const url = await app.listen({ port: 0, host: '127.0.0.1' })
  const results = await auditServer({ url: `${url}/graphql` })
  t.ok(results.length > 40, `${results.length} audits ran`)
  const failed = results.filter((r) => r.status !== 'ok').map((r) => `${r.status} ${r.id} ${r.name}`)
  t.same(failed.filter((f) => f.startsWith('error')), [], 'no MUST fails')
  t.same(failed.filter((f) => f.startsWith('warn')), [], 'no SHOULD fails either')
})

t.test('application/graphql-response+json: its content type, and a 4xx without data for a request that never ran', async (t) => {
  const app = await build(t)
  const client = new Client(app)
  const accept = { accept: 'application/graphql-response+json' }
  const ok = await client.gql('{ me { id } }', undefined, accept)
  t.equal(ok.status, 200)
  t.match(ok.response.headers['content-type'], /^application\/graphql-response\+json/)
  t.same(ok.data, { me: null })

  const invalid = await client.gql('{ me { nope } }', undefined, accept)
  t.equal(invalid.status, 400)
  t.match(invalid.response.headers['content-type'], /^application\/graphql-response\+json/)
  t.notOk('data' in invalid.response.json(), 'no data entry')
  t.same(invalid.codes, ['BAD_USER_INPUT'])

  const legacy = await client.gql('{ me { nope } }')
  t.equal(legacy.status, 200, 'application/json clients read the errors from a 200')
  t.match(legacy.response.headers['content-type'], /^application\/json/)
  t.same(legacy.codes, ['BAD_USER_INPUT'])

  const failedField = await client.gql('mutation { refreshSession { expiresAt } }', undefined, accept)
  t.equal(failedField.status, 200, 'a field error inside an executed operation is still a 200')
  t.same(failedField.codes, ['UNAUTHENTICATED'])
})
