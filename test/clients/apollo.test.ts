// Apollo Client 4 from npm, configured as docs/clients/apollo.md says (./config/apollo.ts is that
// page's snippet), against the server in both persisted modes, in Node (test/clients/browser.test.ts
// runs it in Chromium): the whole journey, its errors as Apollo shapes them, automatic persisted
// queries, the registered documents of the committed manifest, and the cache around a session.
import { ApolloClient, CombinedGraphQLErrors, InMemoryCache, type DocumentNode } from '@apollo/client'
import t from 'tap'
import { wrongTotp } from '../challenge-helpers.ts'
import { createApolloClient } from './config/apollo.ts'
import { browserFetch, DOCUMENTS, journey, listening, mailboxCode, modeEnv, newEmail, PASSWORD, registeredDocuments, totp, type Runner } from './support.ts'

/** Runs the journey's operations on an Apollo client: queries from the network, as a page load would. */
function apolloRunner (client: ApolloClient, documents: Record<string, DocumentNode> = DOCUMENTS): Runner {
  return {
    async run (operation, variables) {
      const document = documents[operation] as DocumentNode
      const mutation = document.definitions.some((d) => d.kind === 'OperationDefinition' && d.operation === 'mutation')
      const result = mutation
        ? await client.mutate({ mutation: document, variables })
        : await client.query({ query: document, variables, fetchPolicy: 'network-only' })
      return result.data as Record<string, any>
    }
  }
}

/** The error Apollo rejects with, as a client reads it: the codes and extensions of its GraphQL errors. */
async function refusal (promise: Promise<unknown>): Promise<{ name: string, errors: Array<Record<string, unknown>> }> {
  try {
    await promise
  } catch (err) {
    return { name: (err as Error).name, errors: CombinedGraphQLErrors.is(err) ? err.errors.map((e) => ({ message: e.message, ...e.extensions })) : [] }
  }
  throw new Error('expected a refusal')
}

t.test('default mode: automatic persisted queries, the whole journey, hashes only once each document is known', async (t) => {
  const { app, url } = await listening(t, modeEnv('default'))
  const browser = browserFetch()
  const client = createApolloClient({ uri: url, persisted: 'automatic', fetch: browser.fetch })
  await journey(t, app, apolloRunner(client), 'apollo')

  const bodies = browser.sent.map((request) => JSON.parse(request.body ?? '{}') as { operationName: string, query?: string, extensions: { persistedQuery?: { sha256Hash: string } } })
  t.ok(bodies.every((body) => body.extensions.persistedQuery?.sha256Hash !== undefined), 'every request names its document by hash')
  const withText = bodies.filter((body) => body.query !== undefined).map((body) => body.operationName)
  t.same([...withText].sort(), [...new Set(withText)].sort(), 'the text went once per document: the answer PersistedQueryNotFound made Apollo send it, and the server kept it')
  t.same([...new Set(withText)].sort(), ['ConfirmSignUp', 'Me', 'RespondToChallenge', 'SetupTotp', 'SignIn', 'SignOut', 'SignUp', 'VerifyTotp'], 'every operation of the journey')
  t.ok(browser.sent.every((request) => request.status === 200), 'and every answer was a 200')

  // A second client (another tab, another instance's user) finds every document known already.
  const second = browserFetch()
  const again = createApolloClient({ uri: url, persisted: 'automatic', fetch: second.fetch })
  t.same(await apolloRunner(again).run('me'), { me: null }, 'a fresh client runs me')
  t.same(second.sent.map((request) => JSON.parse(request.body ?? '{}').query), [undefined], 'by hash alone')
  t.equal(second.sent[0]?.headers['apollographql-client-name'], 'web', 'with the client-awareness headers')
})

t.test('errors as Apollo Client 4 shapes them: CombinedGraphQLErrors with the codes of the API', async (t) => {
  const { app, url } = await listening(t, modeEnv('default'))
  const client = createApolloClient({ uri: url, persisted: 'automatic', fetch: browserFetch().fetch })
  const run = apolloRunner(client).run
  const email = newEmail('apollo-errors')
  t.match(await refusal(run('signIn', { input: { email, password: PASSWORD } })), { name: 'CombinedGraphQLErrors', errors: [{ code: 'INVALID_CREDENTIALS', message: 'Incorrect email or password.' }] }, 'a wrong password')
  t.match(await refusal(run('signUp', { input: { email: 'not-an-email', password: PASSWORD } })), { errors: [{ code: 'BAD_USER_INPUT' }] }, 'bad input')
  t.match(await refusal(run('sessions')), { errors: [{ code: 'UNAUTHENTICATED' }] }, 'no session')

  // The wrong-code trap: Cognito spends a TOTP challenge on a wrong code, and the answer says so.
  await run('signUp', { input: { email, password: PASSWORD } })
  await run('confirmSignUp', { input: { email, code: await mailboxCode(app, email) } })
  await run('signIn', { input: { email, password: PASSWORD } })
  const { setupTotp } = await run('setupTotp', { input: { currentPassword: PASSWORD } })
  await run('verifyTotp', { input: { code: totp(setupTotp.secret) } })
  await run('signOut')
  t.match(await run('signIn', { input: { email, password: PASSWORD } }), { signIn: { name: 'SOFTWARE_TOKEN_MFA' } })
  t.match(await refusal(run('respondToChallenge', { input: { name: 'SOFTWARE_TOKEN_MFA', code: wrongTotp(setupTotp.secret) } })),
    { errors: [{ code: 'CODE_MISMATCH', challengeEnded: true, message: /sign in again/ }] }, 'a wrong TOTP code: CODE_MISMATCH with challengeEnded')
  t.match(await refusal(run('respondToChallenge', { input: { name: 'SOFTWARE_TOKEN_MFA', code: totp(setupTotp.secret, 1) } })),
    { errors: [{ code: 'CHALLENGE_EXPIRED' }] }, 'so the corrected code finds no challenge: the client starts again, as challengeEnded told it')
  t.match(await run('signIn', { input: { email, password: PASSWORD } }), { signIn: { name: 'SOFTWARE_TOKEN_MFA' } }, 'started again')
  t.match(await run('respondToChallenge', { input: { name: 'SOFTWARE_TOKEN_MFA', code: totp(setupTotp.secret, 1) } }), { respondToChallenge: { user: { email } } }, 'and signed in')
})

t.test('the cache around a session: signing in and out, and UNAUTHENTICATED, as the page says', async (t) => {
  const { app, url } = await listening(t, modeEnv('default'))
  const client = createApolloClient({ uri: url, persisted: 'automatic', fetch: browserFetch().fetch })
  const run = apolloRunner(client).run
  const email = newEmail('apollo-cache')
  await run('signUp', { input: { email, password: PASSWORD } })
  await run('confirmSignUp', { input: { email, code: await mailboxCode(app, email) } })

  // A watched `me`, as a component shows it.
  const seen: unknown[] = []
  const watched = client.watchQuery({ query: DOCUMENTS.me }).subscribe(({ data }) => { if (data != null) seen.push((data as { me?: unknown }).me) })
  t.teardown(() => watched.unsubscribe())
  await client.refetchQueries({ include: 'active' })
  t.equal(seen.at(-1), null, 'signed out: me is null')

  // Sign in, refetching the active `me` (the mutation's Session carries the user, not the root field).
  await client.mutate({ mutation: DOCUMENTS.signIn, variables: { input: { email, password: PASSWORD } }, refetchQueries: 'active', awaitRefetchQueries: true })
  t.match(seen.at(-1), { email }, 'the watched me shows the user at once')

  // Sign out: resetStore drops every cached object of the user and asks the active queries again.
  await client.mutate({ mutation: DOCUMENTS.signOut })
  await client.resetStore()
  t.equal(seen.at(-1), null, 'after the sign-out the watched me is null again')
  t.notOk(Object.keys(client.extract() as object).some((key) => key.startsWith('User:')), 'and no User is left in the cache')

  // A session ended elsewhere: the next field that needs it answers UNAUTHENTICATED, and the
  // configuration's error link clears the store.
  await client.mutate({ mutation: DOCUMENTS.signIn, variables: { input: { email, password: PASSWORD } }, refetchQueries: 'active', awaitRefetchQueries: true })
  t.ok(Object.keys(client.extract() as object).some((key) => key.startsWith('User:')), 'signed in again: the user is cached')
  const elsewhere = createApolloClient({ uri: url, persisted: 'automatic', fetch: browserFetch().fetch })
  await elsewhere.mutate({ mutation: DOCUMENTS.signIn, variables: { input: { email, password: PASSWORD } } })
  await elsewhere.mutate({ mutation: DOCUMENTS.signOut, variables: { input: { everywhere: true } } })
  t.match(await refusal(client.query({ query: DOCUMENTS.sessions, fetchPolicy: 'network-only' })), { errors: [{ code: 'UNAUTHENTICATED' }] }, 'signed out everywhere from another browser')
  await new Promise((resolve) => setTimeout(resolve, 50))
  t.same(client.extract(), {}, 'the error link cleared the store')
})

t.test('PERSISTED_OPERATIONS=only: the committed manifest\'s documents, by the hashes graphql-codegen wrote into them', async (t) => {
  const { app, url } = await listening(t, modeEnv('only'))
  const browser = browserFetch()
  const client = createApolloClient({ uri: url, persisted: 'registered', fetch: browser.fetch })
  const documents = registeredDocuments()
  const registered = (name: string) => documents.get(name) as DocumentNode
  const email = newEmail('apollo-only')
  await client.mutate({ mutation: registered('SignUp'), variables: { input: { email, password: PASSWORD } } })
  t.same((await client.mutate({ mutation: registered('ConfirmSignUp'), variables: { input: { email, code: await mailboxCode(app, email) } } })).data, { __typename: 'Mutation', confirmSignUp: true }, 'confirmSignUp')

  // The SPA's SignIn spreads a fragment on the SignInResult union: with possibleTypes the cache
  // matches it, and with __typename in every selection it keeps every field the server sent.
  const signIn = await client.mutate({ mutation: registered('SignIn'), variables: { input: { email, password: PASSWORD } } })
  t.match(signIn.data, { signIn: { __typename: 'Session', expiresAt: String, user: { __typename: 'User', email, emailVerified: true, groups: [], mfa: [] } } }, 'signIn: the session and its user, every field')
  const me = await client.query({ query: registered('Me'), fetchPolicy: 'network-only' })
  t.match(me.data, { me: { __typename: 'User', id: String, email, emailVerified: true, groups: [], mfa: [], name: null, preferredMfa: null } }, 'me: every field, not {}')
  t.ok(browser.sent.every((request) => JSON.parse(request.body ?? '{}').query === undefined), 'no request carried a document text')
  t.ok(browser.sent.every((request) => documents.has(JSON.parse(request.body ?? '{}').operationName)), 'only registered operations were sent')

  // Why the configuration names possibleTypes: without it the fragment on the union matches nothing.
  const bare = new ApolloClient({ link: createApolloClient({ uri: url, persisted: 'registered', fetch: browserFetch().fetch }).link, cache: new InMemoryCache() })
  const unmatched = await bare.mutate({ mutation: registered('SignIn'), variables: { input: { email, password: PASSWORD } } })
  t.notOk((unmatched.data as { signIn?: { user?: unknown } } | undefined)?.signIn?.user, 'a cache without possibleTypes drops the Session\'s fields (control)')

  // A document the manifest does not have: refused, and Apollo does not fall back to the text.
  const refused = await refusal(client.query({ query: DOCUMENTS.me, fetchPolicy: 'network-only' }))
  t.match(refused, { errors: [{ code: 'BAD_USER_INPUT' }] }, 'a document graphql-codegen did not register is refused, and no text is sent')
  t.notOk(browser.sent.some((request) => JSON.parse(request.body ?? '{}').query !== undefined), 'Apollo did not fall back to the text')
})
