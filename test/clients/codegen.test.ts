// The codegen recipe of docs/clients.md (./config/codegen.ts is that snippet), run by
// @graphql-codegen/cli over an app's documents: its persisted-documents.json (hashes written as
// sha256:<hex>) is a manifest the server starts with under PERSISTED_OPERATIONS=only, and the
// generated documents run there through Apollo Client and urql by the hashes in their __meta__.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { generate } from '@graphql-codegen/cli'
import { build, type Plugin } from 'esbuild'
import type { DocumentNode } from 'graphql'
import t from 'tap'
import { createApolloClient } from './config/apollo.ts'
import config from './config/codegen.ts'
import { createUrqlClient } from './config/urql.ts'
import { browserFetch, listening, mailboxCode, modeEnv, newEmail, PASSWORD } from './support.ts'

const root = join(import.meta.dirname, '..', '..')

/** The generated files import TypedDocumentNode's types without `import type`: nothing to bundle. */
const typesOnly: Plugin = {
  name: 'types-only',
  setup (build) {
    build.onResolve({ filter: /^@graphql-typed-document-node\/core$/ }, () => ({ path: 'types', namespace: 'types-only' }))
    build.onLoad({ filter: /.*/, namespace: 'types-only' }, () => ({ contents: 'export {}', loader: 'ts' }))
  }
}

/** An app's own source, as graphql-codegen's client preset reads it: `graphql(…)` calls. */
const APP_SOURCE = `import { graphql } from './gql'

export const SignUp = graphql(\`mutation SignUp($input: SignUpInput!) { signUp(input: $input) { userConfirmed } }\`)
export const ConfirmSignUp = graphql(\`mutation ConfirmSignUp($input: ConfirmSignUpInput!) { confirmSignUp(input: $input) }\`)
export const SignIn = graphql(\`
  mutation SignIn($input: SignInInput!) { signIn(input: $input) { ...SignInStep } }
  fragment SignInStep on SignInResult { ... on Session { expiresAt user { id email } } ... on Challenge { name } }
\`)
export const Me = graphql(\`query Me { me { id email emailVerified } }\`)
`

t.test('the recipe\'s manifest starts a server under only, and Apollo Client and urql run its documents', async (t) => {
  // Inside the repository, where the preset is found as an app's node_modules would hold it (not
  // t.testdir(): the app's build takes that for the emulator's data).
  mkdirSync(join(root, '.tap'), { recursive: true })
  const dir = mkdtempSync(join(root, '.tap', 'codegen-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  copyFileSync(join(root, 'schema.graphql'), join(dir, 'schema.graphql'))
  mkdirSync(join(dir, 'src', 'gql'), { recursive: true })
  writeFileSync(join(dir, 'src', 'app.ts'), APP_SOURCE)
  await generate({ ...config, cwd: dir, silent: true }, true)

  const manifestFile = join(dir, 'src', 'gql', 'persisted-documents.json')
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as Record<string, string>
  t.equal(Object.keys(manifest).length, 4, 'one entry per operation')
  t.ok(Object.keys(manifest).every((hash) => /^sha256:[0-9a-f]{64}$/.test(hash)), 'keyed sha256:<hex>, the client preset\'s default')
  t.ok(Object.values(manifest).every((document) => document.includes('__typename')), 'every document selects __typename')

  // The server starts on it (it refused this form before) and runs its documents by hash.
  const { app, url } = await listening(t, modeEnv('only', manifestFile))
  // Bundled as an app's bundler would (the preset's imports name no file extension).
  await build({ entryPoints: [join(dir, 'src', 'app.ts')], bundle: true, format: 'esm', platform: 'neutral', outfile: join(dir, 'app.mjs'), logLevel: 'silent', plugins: [typesOnly] })
  const generated = await import(pathToFileURL(join(dir, 'app.mjs')).href) as Record<'SignUp' | 'ConfirmSignUp' | 'SignIn' | 'Me', DocumentNode & { __meta__: { hash: string } }>
  t.match(generated.Me.__meta__.hash, /^sha256:/, 'the generated document carries its hash')

  const apolloRequests = browserFetch()
  const apollo = createApolloClient({ uri: url, persisted: 'registered', fetch: apolloRequests.fetch })
  const email = newEmail('codegen')
  await apollo.mutate({ mutation: generated.SignUp, variables: { input: { email, password: PASSWORD } } })
  await apollo.mutate({ mutation: generated.ConfirmSignUp, variables: { input: { email, code: await mailboxCode(app, email) } } })
  const signIn = await apollo.mutate({ mutation: generated.SignIn, variables: { input: { email, password: PASSWORD } } })
  t.match(signIn.data, { signIn: { __typename: 'Session', user: { email } } }, 'Apollo: signIn by hash')
  t.match((await apollo.query({ query: generated.Me, fetchPolicy: 'network-only' })).data, { me: { email, emailVerified: true } }, 'Apollo: me by hash')
  t.ok(apolloRequests.sent.every((request) => JSON.parse(request.body ?? '{}').extensions.persistedQuery.sha256Hash.startsWith('sha256:')), 'Apollo sent the sha256:<hex> hashes')

  const urqlRequests = browserFetch()
  const urql = createUrqlClient({ url, persisted: 'registered', fetch: urqlRequests.fetch })
  await urql.mutation(generated.SignIn, { input: { email, password: PASSWORD } }).toPromise()
  const me = await urql.query(generated.Me, {}, { requestPolicy: 'network-only' }).toPromise()
  t.match(me.data, { me: { email } }, 'urql: me by hash, over GET')
  t.equal(urqlRequests.sent.at(-1)?.method, 'GET', 'the query went as GET')
  t.ok(urqlRequests.sent.every((request) => request.status === 200), 'and every request ran')
})
