// graphql-request from npm, configured as docs/clients/graphql-request.md says
// (./config/graphql-request.ts is that page's snippet): the journey over POST, queries over GET
// with the preflight header, and the errors as graphql-request shapes them (ClientError).
import { ClientError } from 'graphql-request'
import t from 'tap'
import { createGraphQLRequestClient } from './config/graphql-request.ts'
import { browserFetch, journey, listening, modeEnv, newEmail, OPERATIONS, PASSWORD, type Runner } from './support.ts'

t.test('the journey over POST, with queries over GET', async (t) => {
  const { app, url } = await listening(t, modeEnv('default'))
  const browser = browserFetch()
  const post = createGraphQLRequestClient(url, 'POST', browser.fetch)
  const get = createGraphQLRequestClient(url, 'GET', browser.fetch)
  const runner: Runner = {
    run: async (operation, variables) => await (OPERATIONS[operation].startsWith('query') ? get : post).request(OPERATIONS[operation], variables)
  }
  await journey(t, app, runner, 'graphql-request')
  const gets = browser.sent.filter((request) => request.method === 'GET')
  t.equal(gets.length, 2, 'me went over GET, twice')
  t.ok(gets.every((request) => request.status === 200), 'and ran (the preflight header passes CSRF prevention)')
})

t.test('errors: a ClientError whose response carries the codes', async (t) => {
  const { url } = await listening(t, modeEnv('default'))
  const post = createGraphQLRequestClient(url, 'POST', browserFetch().fetch)
  const failure = await post.request(OPERATIONS.signIn, { input: { email: newEmail('gr'), password: PASSWORD } }).catch((err: unknown) => err)
  t.ok(failure instanceof ClientError, 'a ClientError')
  t.match((failure as ClientError).response.errors, [{ message: 'Incorrect email or password.', extensions: { code: 'INVALID_CREDENTIALS' } }], 'with the code of the API')
})
