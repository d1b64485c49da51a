// N11: with FEDERATION=true, `_entities` whose representation names no entity type, sent by anyone
// (no session), is the caller's mistake: BAD_USER_INPUT, never a 500 with an error-level stack.
import t from 'tap'
import { build, Client } from '../helper.ts'

const ENTITIES = 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on User { id } } }'

t.test('_entities without a usable __typename: BAD_USER_INPUT, nothing logged at error level', async (t) => {
  const logs: string[] = []
  const app = await build(t, { env: { FEDERATION: 'true' }, logs })
  const anonymous = new Client(app)
  for (const representation of [{ id: 'x' }, { __typename: 'Query', id: 'x' }, { __typename: 'Nothing' }, { __typename: 7 }, 'User', ['User']]) {
    const res = await anonymous.gql(ENTITIES, { r: [representation] })
    t.not(res.status, 500, `${JSON.stringify(representation)}: no 500`)
    t.same(res.codes, ['BAD_USER_INPUT'], `${JSON.stringify(representation)}: BAD_USER_INPUT`)
    t.match(res.errors?.[0]?.message, /__typename/, 'the message says what is missing')
  }
  t.same((await anonymous.gql(ENTITIES, { r: [{ __typename: 'User', id: 'x' }] })).data, { _entities: [null] }, 'a well-formed representation is answered as before')
  t.same(logs.filter((line) => JSON.parse(line).level >= 50), [], 'no error-level log line')
})
