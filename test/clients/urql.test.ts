// urql from npm (@urql/core and @urql/exchange-persisted), configured as docs/clients/urql.md says
// (./config/urql.ts is that page's snippet), against the server in both persisted modes: queries
// over GET, automatic persisted queries (the retry of a miss is a GET with the text), the
// registered documents of the committed manifest, and the errors as urql shapes them.
import { cacheExchange, Client, CombinedError, fetchExchange } from '@urql/core'
import type { DocumentNode } from 'graphql'
import t from 'tap'
import { createUrqlClient } from './config/urql.ts'
import { browserFetch, DOCUMENTS, journey, listening, mailboxCode, modeEnv, newEmail, PASSWORD, registeredDocuments, type Runner } from './support.ts'

const CSRF_MESSAGE = 'This operation has been blocked as a potential Cross-Site Request Forgery (CSRF).'

/** Runs the journey's operations on an urql client; a failed one rejects with urql's CombinedError. */
function urqlRunner (client: Client, documents: Record<string, DocumentNode> = DOCUMENTS): Runner {
  return {
    async run (operation, variables = {}) {
      const document = documents[operation] as DocumentNode
      const mutation = document.definitions.some((d) => d.kind === 'OperationDefinition' && d.operation === 'mutation')
      const result = mutation
        ? await client.mutation(document, variables).toPromise()
        : await client.query(document, variables, { requestPolicy: 'network-only' }).toPromise()
      if (result.error !== undefined) throw result.error
      return result.data as Record<string, any>
    }
  }
}

/** What a request carried: its method, and whether the document text, a hash, or both. */
function shapeOf (request: { method: string, url: string, body: string | undefined }): string {
  const parameters = request.method === 'GET' ? Object.fromEntries(new URL(request.url).searchParams) : JSON.parse(request.body ?? '{}')
  const extensions = typeof parameters.extensions === 'string' ? JSON.parse(parameters.extensions) : parameters.extensions
  return `${request.method} ${[parameters.query !== undefined ? 'text' : '', extensions?.persistedQuery !== undefined ? 'hash' : ''].filter(Boolean).join('+')}`
}

t.test('default mode: the journey with queries over GET, and automatic persisted queries', async (t) => {
  const { app, url } = await listening(t, modeEnv('default'))
  const browser = browserFetch()
  await journey(t, app, urqlRunner(createUrqlClient({ url, persisted: 'automatic', fetch: browser.fetch })), 'urql')

  const queries = browser.sent.filter((request) => request.method === 'GET')
  t.ok(queries.length >= 3, 'urql sent its queries as GET (me twice, and the retry of the first)')
  t.ok(queries.every((request) => request.status === 200 && request.headers['apollo-require-preflight'] === 'true'), 'with the preflight header, and every GET ran')
  const shapes = browser.sent.map(shapeOf)
  t.equal(shapes[0], 'POST hash', 'the first request: the hash alone')
  t.equal(shapes[1], 'POST text+hash', 'PersistedQueryNotFound: urql sent the text with it')
  t.ok(shapes.includes('GET text+hash'), 'a query\'s retry is a GET with the text (the server registers from GET too)')
  const firstMe = shapes.indexOf('GET hash')
  t.ok(firstMe > 0 && shapes.slice(firstMe + 1).includes('GET hash'), 'and known queries go as GET with the hash alone')
  t.ok(browser.sent.every((request) => request.status === 200), 'no request failed')
})

t.test('urql with its defaults alone: every GET query is refused as a possible CSRF, which is why the configuration sends a preflight header', async (t) => {
  const { url } = await listening(t, modeEnv('default'))
  const browser = browserFetch()
  const bare = new Client({ url, exchanges: [cacheExchange, fetchExchange], fetch: browser.fetch })
  const result = await bare.query(DOCUMENTS.me, {}).toPromise()
  t.equal(browser.sent[0]?.method, 'GET', 'urql sends a query as GET')
  t.equal(browser.sent[0]?.status, 400, 'without a preflight header: 400')
  t.match(result.error?.graphQLErrors, [{ message: CSRF_MESSAGE, extensions: { code: 'BAD_USER_INPUT' } }], 'refused by CSRF prevention, as urql shows it')
})

t.test('errors as urql shapes them: a CombinedError whose graphQLErrors carry the codes', async (t) => {
  const { url } = await listening(t, modeEnv('default'))
  const run = urqlRunner(createUrqlClient({ url, persisted: 'automatic', fetch: browserFetch().fetch })).run
  const failure = await run('signIn', { input: { email: newEmail('urql-errors'), password: PASSWORD } }).then(() => undefined, (err: unknown) => err)
  t.ok(failure instanceof CombinedError, 'a CombinedError')
  t.match((failure as CombinedError).graphQLErrors, [{ message: 'Incorrect email or password.', extensions: { code: 'INVALID_CREDENTIALS' } }], 'with the code of the API')
  const unauthenticated = await run('sessions').then(() => undefined, (err: CombinedError) => err.graphQLErrors.map((e) => e.extensions.code))
  t.same(unauthenticated, ['UNAUTHENTICATED'], 'a field that needs a session')
})

t.test('PERSISTED_OPERATIONS=only: the committed manifest\'s documents by their hashes, queries over GET', async (t) => {
  const { app, url } = await listening(t, modeEnv('only'))
  const browser = browserFetch()
  const client = createUrqlClient({ url, persisted: 'registered', fetch: browser.fetch })
  const documents = registeredDocuments()
  const registered = (name: string) => documents.get(name) as DocumentNode
  const email = newEmail('urql-only')
  const run = async (name: string, variables: Record<string, unknown> = {}) => {
    const document = registered(name)
    const mutation = document.definitions.some((d) => d.kind === 'OperationDefinition' && d.operation === 'mutation')
    const result = mutation ? await client.mutation(document, variables).toPromise() : await client.query(document, variables, { requestPolicy: 'network-only' }).toPromise()
    if (result.error !== undefined) throw result.error
    return result.data as Record<string, any>
  }
  await run('SignUp', { input: { email, password: PASSWORD } })
  t.match(await run('ConfirmSignUp', { input: { email, code: await mailboxCode(app, email) } }), { confirmSignUp: true }, 'confirmSignUp')
  t.match(await run('SignIn', { input: { email, password: PASSWORD } }), { signIn: { __typename: 'Session', user: { email } } }, 'signIn')
  t.match(await run('Me'), { me: { __typename: 'User', email, emailVerified: true } }, 'me')
  t.ok(browser.sent.every((request) => shapeOf(request).endsWith(' hash')), 'every request carried the hash alone')
  t.ok(browser.sent.some((request) => request.method === 'GET'), 'queries over GET')
  t.match(await run('SignOut').then((data) => data.signOut), true, 'signOut')
})
