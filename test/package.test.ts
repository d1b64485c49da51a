// The package as an app installs it, by the README's routes: `npm pack` (its prepare script builds
// dist/) and `npm install <tarball>` (installed once per state of the sources, shared with
// test/example-app.test.ts), or `npm install <checkout path>`, and a plain JavaScript app (no tsx)
// in a fresh directory that registers authServer, driven over HTTP.
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import Fastify from 'fastify'
import t from 'tap'
import { authorizationRules } from '../src/graphql/authorization.ts'
import { fieldPolicies } from '../src/graphql/field-policy.ts'
import { applyFieldPolicies, mergeAppResolvers } from '../src/graphql/apply-field-policy.ts'
import { resolvers } from '../src/graphql/resolvers/index.ts'
import { loadSchemaSDL, mergeAppSchema } from '../src/graphql/schema.ts'
import { authServer, type AuthServerOptions } from '../src/index.ts'
import { startStandalone, variablesOf } from '../scripts/emulator.ts'
import { ensureBuilt, exclusively, installedApp, npmInstall, ourPackage, root, startNode, type Started, type Tap } from './package-helper.ts'
import { Client } from './cookie-client.ts'

// What the README shows, as plain JavaScript; the mode picks the case the test asks for.
const APP = `
import Fastify from 'fastify'
import { authServer, AuthError } from 'cognito-graphql-auth'

const mode = process.argv[2]
// A minute for the plugins (Fastify's default is 10 s): the embedded emulator starts slower on a loaded test machine.
const app = Fastify({ logger: { level: 'error' }, pluginTimeout: 60_000 })
const schema = 'extend type Query { notes: [String!] @auth }' + \`
extend type Query {
  adminNotes: [String!]! @auth(requires: ADMIN)
  crash: String
  refused: String
}
extend type User { noteCount: Int! }
\`
const resolvers = {
  Query: {
    notes: (_root, _args, ctx) => [\`for \${ctx.user.id}\`],
    adminNotes: () => ['for admins'],
    crash: () => { throw new Error('the notes database password is hunter2') },
    refused: () => { throw new AuthError('FORBIDDEN') }
  },
  User: { noteCount: () => 1 }
}
try {
  if (mode === 'clash') {
    await app.register(authServer, { env: process.env, schema: 'type User { id: ID! }' })
  } else if (mode === 'twice') {
    await app.register(authServer, { env: process.env })
    await app.register(authServer, { env: process.env })
  } else if (mode === 'no-env') {
    await app.register(authServer, { schema, resolvers })
  } else {
    await app.register(authServer, { env: process.env, schema, resolvers })
    app.get('/api/notes', { preHandler: app.requireUser }, async (request) => ({ owner: request.user.id }))
  }
  console.log('LISTENING ' + await app.listen({ port: 0, host: '127.0.0.1' }))
} catch (err) {
  console.log('REFUSED ' + err.message)
  process.exit(1)
}
`

/** The app's package.json and app.mjs, in `dir`. */
function writeApp (dir: string): string {
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'notes-app', private: true, type: 'module' }))
  writeFileSync(join(dir, 'app.mjs'), APP)
  return dir
}

/**
 * The README's tarball route: the package packed (prepare builds dist/) and its tarball installed
 * by npm, with fastify and the embedded emulator's optional peers (the tree both package tests
 * share, test/package-helper.ts); the app in a fresh directory on it. Why not, when npm cannot install offline.
 */
async function install (t: Tap): Promise<{ dir: string } | { skip: string }> {
  const installed = await installedApp(t)
  if ('dir' in installed) writeApp(installed.dir)
  return installed
}

/** Starts the app in `mode`; resolves with its address, or with the message it refused to start with. */
async function startApp (t: Tap, dir: string, mode: string, extraEnv: Record<string, string> = {}): Promise<{ address?: string, refused?: string, waitFor: Started['waitFor'] }> {
  const env = { NODE_ENV: 'test', EMULATOR_DATA_DIR: join(dir, `.cognito-local-${mode}`), HOST: '127.0.0.1', ...extraEnv }
  const { match, waitFor } = await startNode(t, dir, ['app.mjs', mode], env, /LISTENING (\S+)|REFUSED (.*)/)
  return { address: match[1], refused: match[2], waitFor }
}

const PASSWORD = 'Correct-Horse-9'

// Two npm installs, a production start and seven app starts: more than the suite's four minutes per
// file on a machine loaded with other work (about one minute on a quiet one).
t.setTimeout(480_000)

t.test("an app's schema and resolvers merge with ours, or name the clash", async (t) => {
  const ours = loadSchemaSDL()
  const app = 'extend type Query { notes: [String!]! @auth  report: Report @auth(requires: ADMIN) }\ntype Report { title: String! }\nextend type User { noteCount: Int! }'
  const { sdl, appFields } = mergeAppSchema(ours, app)
  t.same(appFields, ['Query.notes', 'Query.report', 'Report.title', 'User.noteCount'])
  const policies = fieldPolicies(authorizationRules(sdl), appFields)
  t.same(policies.get('Query.notes'), { app: true, role: 'USER' }, "an app's field: no limits, no audit, the role of its @auth")
  t.same(policies.get('Query.report'), { app: true, role: 'ADMIN' })
  t.same(policies.get('Query.me'), {}, 'ours keep their entries')

  const refusals: Array<[string, RegExp]> = [
    ['type User { id: ID! }', /option "schema" redefines type User, which the auth server defines/],
    ['extend type Query { me: String }', /redefines the field Query\.me/],
    ['extend type Session { note: String }', /redefines type Session \(only Query, Mutation and User may be extended\)/],
    ['directive @auth on FIELD_DEFINITION', /redefines the directive @auth/],
    ['enum Role { OWNER }', /redefines type Role/],
    ['extend type Query { notes: Nope }', /does not merge with the auth server's schema: Unknown type "Nope"/],
    ['extend type Query {', /option "schema" does not parse/]
  ]
  for (const [schema, message] of refusals) t.throws(() => mergeAppSchema(ours, schema), message, schema)

  const notes = () => []
  t.throws(() => mergeAppResolvers(resolvers, { Query: { me: notes } }, appFields), /option "resolvers": Query\.me is the auth server's field/)
  t.throws(() => mergeAppResolvers(resolvers, { Query: { noets: notes } }, appFields), /Query\.noets is not a field of the app's schema/)
  t.throws(() => mergeAppResolvers(resolvers, { DateTime: {} }, appFields), /DateTime is the auth server's/, 'our scalar stays ours')
  const merged = mergeAppResolvers(resolvers, { Query: { notes, report: notes }, User: { noteCount: () => 1 } }, appFields)
  t.ok(applyFieldPolicies(merged, policies), 'every field of the merge has its policy; Report.title is read from its parent')
  t.throws(() => applyFieldPolicies(mergeAppResolvers(resolvers, { Query: { notes } }, appFields), policies), /@auth on Query\.report, which has no resolver/)
})

t.test('authServer checks its options once, naming the bad one', async (t) => {
  const cases: Array<[unknown, RegExp]> = [
    [{}, /authServer: option "env" is required/],
    [{ env: 'production' }, /option "env" must be an object/],
    [{ env: { PORT: 3000 } }, /option "env": PORT must be a string/],
    [{ env: {}, schema: 42 }, /option "schema" must be an SDL string/],
    [{ env: {}, resolvers: [] }, /option "resolvers" must be an object/],
    [{ env: {}, resolvers: { Query: {} } }, /option "resolvers" needs option "schema"/],
    [{ env: {}, onAuditEvent: 'log' }, /option "onAuditEvent" must be a function/],
    [{ env: {}, scheme: '' }, /unknown option "scheme"/]
  ]
  for (const [options, message] of cases) {
    const app = Fastify()
    await t.rejects(async () => { await app.register(authServer, options as AuthServerOptions) }, message, JSON.stringify(options))
    await app.close()
  }
})

t.test('the packed package, installed into a fresh app', async (t) => {
  // Built, packed and installed once for every case below.
  const installed = await install(t)
  if ('skip' in installed) return t.plan(0, installed.skip)
  const { dir } = installed

  t.test('an app registers authServer and its API knows the caller, every revocation honoured; the browser client from the package', async (t) => {
    // The manifest the package ships: the browser client's operations run by hash.
    const started = await startApp(t, dir, 'main', { PERSISTED_OPERATIONS_MANIFEST: 'node_modules/cognito-graphql-auth/schema/persisted-operations.json' })
    t.equal(started.refused, undefined, 'the app starts')
    const browser = Client.http(started.address as string)
    const email = `notes.${process.pid}.${Date.now()}@example.com`

    const signUp = await browser.gql('mutation ($input: SignUpInput!) { signUp(input: $input) { userConfirmed } }', { input: { email, password: PASSWORD } })
    t.same(signUp.errors, undefined)
    const mailbox = await (await browser.fetch(`/dev/mailbox?to=${encodeURIComponent(email)}`)).json() as Array<{ code: string }>
    const confirm = await browser.gql('mutation ($email: String!, $code: String!) { confirmSignUp(input: { email: $email, code: $code }) }', { email, code: mailbox[0]?.code })
    t.equal(confirm.data?.confirmSignUp, true)

    const signedOut = await browser.gql('{ notes }')
    t.same(signedOut.codes, ['UNAUTHENTICATED'], 'notes needs a session')
    t.equal((await browser.fetch('/api/notes')).status, 401, '/api/notes needs a session')

    const signIn = await browser.gql('mutation ($email: String!, $password: String!) { signIn(input: { email: $email, password: $password }) { ... on Session { user { id } } } }', { email, password: PASSWORD })
    const id = signIn.data?.signIn?.user?.id as string
    t.ok(id, 'signed in')

    const mine = await browser.gql('{ me { email noteCount } notes }')
    t.same(mine.data, { me: { email, noteCount: 1 }, notes: [`for ${id}`] }, "the app's fields answer for the caller")
    const rest = await browser.fetch('/api/notes')
    t.equal(rest.status, 200)
    t.same(await rest.json(), { owner: id }, "the app's route knows the caller")

    t.same((await browser.gql('{ adminNotes }')).codes, ['FORBIDDEN'], 'an ADMIN field refuses a user')
    t.same((await browser.gql('{ refused }')).codes, ['FORBIDDEN'], "the app's AuthError answers with its code")

    const crash = await browser.gql('{ crash }')
    t.same(crash.codes, ['INTERNAL_SERVER_ERROR'], "a crash of the app's resolver is masked")
    t.type(crash.errors?.[0]?.extensions.requestId, 'string', 'with the request id')
    t.notMatch(JSON.stringify(crash), /hunter2/, 'and nothing of its message')
    t.match(await started.waitFor(/hunter2/), /"stack":"Error: the notes database password is hunter2\\n {4}at /, 'which the log has, with its stack')

    const old = browser.clone()
    const signOut = await browser.gql('mutation { signOut }')
    t.equal(signOut.data?.signOut, true)
    t.same((await old.gql('{ notes }')).codes, ['UNAUTHENTICATED'], 'the old cookies are refused at once by GraphQL')
    t.equal((await old.fetch('/api/notes')).status, 401, 'and by the app route')

    // A module of the app imports the browser client by its bare name, resolved by the package's exports.
    writeFileSync(join(dir, 'client-entry.mjs'), "export * from 'cognito-graphql-auth/client'\n")
    const { createAuthClient, AuthError } = await import(pathToFileURL(join(dir, 'client-entry.mjs')).href) as typeof import('../src/client/index.ts')
    const address = started.address as string
    const client = createAuthClient({ url: `${address}/graphql`, fetch: async (url, init) => await browser.fetch(url.slice(address.length), init) })
    const session = await client.signIn({ email, password: PASSWORD })
    t.equal(session?.__typename === 'Session' ? session.user.id : undefined, id, 'the client signs in, by hash')
    t.equal((await client.me())?.email, email)
    t.equal(await client.signOut(), true)
    try {
      await client.sessions()
      t.fail('sessions answered without a session')
    } catch (err) {
      t.ok(err instanceof AuthError && err.code === 'UNAUTHENTICATED', 'a refusal is the package\'s AuthError')
    }
  })

  t.test("the README's plugin example, as written (only its port and plugin timeout changed)", async (t) => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8')
    const example = /### As a plugin in your Fastify app\n+```js\n([\s\S]*?)```/.exec(readme)?.[1] ?? ''
    t.match(example, "import { authServer } from 'cognito-graphql-auth'", 'the README has the example')
    const listen = 'await app.listen({ port: 3000 })'
    t.ok(example.includes(listen))
    const create = 'Fastify({ logger: true })'
    t.ok(example.includes(create))
    // The port, and a minute for the plugins on a loaded test machine (Fastify's default is 10 s).
    writeFileSync(join(dir, 'readme.mjs'), example
      .replace(listen, "console.log('LISTENING ' + await app.listen({ port: 0, host: '127.0.0.1' }))")
      .replace(create, 'Fastify({ logger: true, pluginTimeout: 60_000 })'))
    const env = { NODE_ENV: 'test', EMULATOR_DATA_DIR: join(dir, '.cognito-local-readme') }
    const started = await startNode(t, dir, ['readme.mjs'], env, /LISTENING (\S+)/)
    const urls = /GraphQL API at http:\/\/localhost:3000\/graphql, GraphiQL at/
    t.match(await started.waitFor(urls), urls, 'its start prints the URLs')
    const browser = Client.http(started.match[1] as string)
    const refused = await browser.gql('{ notes me { id } }')
    t.same(refused.data, { notes: null, me: null }, 'a refused @auth field is null and the rest of data stays')
    t.same(refused.codes, ['UNAUTHENTICATED'])
    const email = `readme.${process.pid}.${Date.now()}@example.com`
    await browser.gql('mutation ($input: SignUpInput!) { signUp(input: $input) { userConfirmed } }', { input: { email, password: PASSWORD } })
    const mailbox = await (await browser.fetch(`/dev/mailbox?to=${encodeURIComponent(email)}`)).json() as Array<{ code: string }>
    await browser.gql('mutation ($email: String!, $code: String!) { confirmSignUp(input: { email: $email, code: $code }) }', { email, code: mailbox[0]?.code })
    const signIn = await browser.gql('mutation ($email: String!, $password: String!) { signIn(input: { email: $email, password: $password }) { ... on Session { user { id } } } }', { email, password: PASSWORD })
    const id = signIn.data?.signIn?.user?.id as string
    t.same((await browser.gql('{ notes }')).data, { notes: [`for ${id}`] }, 'its field answers for the caller')
    t.same(await (await browser.fetch('/api/notes')).json(), { owner: id }, 'and its route')
    const signedIn = /"event":\{"event":"sign-in","outcome":"success".*\},"msg":"audit"/
    t.match(await started.waitFor(signedIn), signedIn, 'onAuditEvent receives the sign-in')
  })

  t.test('a schema that redefines ours refuses to start, naming the clash', async (t) => {
    const started = await startApp(t, dir, 'clash')
    t.match(started.refused, /redefines type User/)
  })

  t.test('registering twice is refused with a clear message', async (t) => {
    const started = await startApp(t, dir, 'twice')
    t.match(started.refused, /registered twice/)
  })

  t.test('registering without env is refused with a clear message', async (t) => {
    const started = await startApp(t, dir, 'no-env')
    t.match(started.refused, /option "env" is required/)
  })
})

t.test("the README's path route: npm install <checkout> links it, and the app runs on the checkout's dist/", async (t) => {
  const work = mkdtempSync(join(tmpdir(), 'cognito-graphql-auth-path-'))
  t.teardown(() => rmSync(work, { recursive: true, force: true }))
  const dir = join(work, 'app')
  mkdirSync(dir)
  writeApp(dir)
  // The checkout's dist/ is rebuilt by the other package tests: built, linked and started under their lock.
  const started = await exclusively(async () => {
    // What the link's `prepare` builds, built once for these sources (the pack built it, or this):
    // npm then only links, without a second build of the same dist/.
    await ensureBuilt()
    // The emulator's packages come with the link: the checkout has them (its dev dependencies).
    const skip = await npmInstall(dir, [root, 'fastify@5'], ['--ignore-scripts'])
    return skip ?? await startApp(t, dir, 'main')
  })
  if ('skip' in started) return t.plan(0, started.skip)
  t.ok(lstatSync(join(dir, 'node_modules', ourPackage.name)).isSymbolicLink(), 'npm links the checkout')
  t.equal(started.refused, undefined, 'the app starts')
  if (started.address === undefined) return
  const browser = Client.http(started.address)
  t.same((await browser.gql('{ me { id } }')).data, { me: null }, 'our schema answers')
  t.same((await browser.gql('{ notes }')).codes, ['UNAUTHENTICATED'], "the app's field is guarded")
  t.equal((await browser.fetch('/api/notes')).status, 401, "and the app's route")
})

t.test('the production line: npm run build, then the variables given to npm run start:prod', async (t) => {
  // A pool the production server can reach: the emulator on its own, as docs/endpoints.md runs it.
  const standalone = await startStandalone({ EMULATOR_DATA_DIR: mkdtempSync(join(tmpdir(), 'cognito-graphql-auth-prod-')), LOG_LEVEL: 'silent' }, 0, () => {})
  t.teardown(() => standalone.close())
  const variables = Object.fromEntries(variablesOf(standalone.emulator).map((line) => line.split('=', 2) as [string, string]))
  const env = { ...variables, NODE_ENV: 'production', COOKIE_SECRET: 'p'.repeat(43), PORT: '0' }
  const started = await exclusively(async () => {
    await ensureBuilt()
    return await startNode(t, root, ['--run', 'start:prod'], env, /GraphQL API at (http:\/\/localhost:\d+)\/graphql/)
  })
  const base = started.match[1] as string
  const lines = started.logs().trim().split('\n')
  t.ok(lines.every((line) => line.startsWith('{')), 'production logs JSON: NODE_ENV reached the server, not only the build', { logs: started.logs() })
  t.notMatch(started.logs(), /GraphiQL at|example SPA/, 'no playground, no SPA')
  t.equal((await fetch(`${base}/ready`)).status, 200, 'the keys came from the pool')
  t.equal((await fetch(`${base}/graphiql`)).status, 404)
})
