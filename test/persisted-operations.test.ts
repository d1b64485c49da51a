// Persisted operations: the operations of the manifest run when sent by hash, in Apollo's shape
// (bare hex or sha256:<hex>); in the default mode unknown hashes are automatic persisted queries
// (PERSISTED_QUERY_NOT_FOUND, then the text registers them); with PERSISTED_OPERATIONS=only
// (trusted documents) a document text or an unknown hash is refused before anything runs, and a
// bad manifest stops the start.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildSchema } from 'graphql'
import t, { type Test } from 'tap'
import { loadPersistedOperations, operationHash, REFUSED_MESSAGES } from '../src/graphql/persisted-operations.ts'
import { loadSchemaSDL } from '../src/graphql/schema.ts'
import { hasRedis, startRedis } from './redis-server.ts'
import { build, buildBehindProxy, Client, CONFIRM_SIGN_UP, ME, newEmail, PASSWORD, SIGN_IN, SIGN_OUT, SIGN_UP } from './helper.ts'

type App = Awaited<ReturnType<typeof build>>
const PREFLIGHT = { 'mercurius-require-preflight': 'true' }
const MODERN = { accept: 'application/graphql-response+json' }

/** A directory for manifests, removed when the test ends (the app's data directory is `t.testdir()`). */
function manifestDir (t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'manifest-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** Writes a manifest file; `content` is JSON-encoded unless it is a string already. */
function writeManifest (dir: string, name: string, content: unknown): string {
  const path = join(dir, name)
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content))
  return path
}

/** A manifest of the helper's operations. */
function helperManifest (t: Test): string {
  const documents = [SIGN_UP, CONFIRM_SIGN_UP, SIGN_IN, ME, SIGN_OUT]
  return writeManifest(manifestDir(t), 'operations.json', Object.fromEntries(documents.map((document) => [operationHash(document), document])))
}

/** PERSISTED_OPERATIONS=only with a manifest of the helper's operations. */
function only (t: Test): Record<string, string> {
  return { PERSISTED_OPERATIONS: 'only', PERSISTED_OPERATIONS_MANIFEST: helperManifest(t) }
}

/** `extensions` naming a document by its hash, as Apollo's clients send it. */
function byHash (document: string, hash = operationHash(document)) {
  return { persistedQuery: { version: 1, sha256Hash: hash } }
}

/** POSTs this body as the client, keeping its cookies; the answer as `gql` gives it. */
async function send (client: Client, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  const response = await client.app.inject({
    method: 'POST',
    url: '/graphql',
    headers: { 'content-type': 'application/json', ...(client.jar.size > 0 ? { cookie: client.cookieHeader() } : {}), ...headers },
    payload: JSON.stringify(body)
  })
  client.absorb(response)
  return { status: response.statusCode, body: response.json() }
}

/** Runs a registered operation by its hash only. */
function persisted (client: Client, document: string, variables?: Record<string, unknown>) {
  return send(client, { extensions: byHash(document), variables })
}

/** GET /graphql with these parameters (JSON-encoded where they are objects), as the client. */
async function get (client: Client, parameters: Record<string, unknown>) {
  const query = Object.fromEntries(Object.entries(parameters).map(([name, value]) => [name, typeof value === 'string' ? value : JSON.stringify(value)]))
  const response = await client.app.inject({ method: 'GET', url: '/graphql', query, headers: { ...PREFLIGHT, cookie: client.cookieHeader() } })
  client.absorb(response)
  return { status: response.statusCode, body: response.json() }
}

/** Registers a user and signs the client in, every request by hash. */
async function signInByHash (t: Test, client: Client): Promise<string> {
  const email = newEmail('persisted')
  t.match(await persisted(client, SIGN_UP, { input: { email, password: PASSWORD } }), { status: 200, body: { data: { signUp: { userConfirmed: false } } } }, 'signUp by hash')
  t.match(await persisted(client, CONFIRM_SIGN_UP, { email, code: await client.code(email) }), { status: 200, body: { data: { confirmSignUp: true } } }, 'confirmSignUp by hash')
  t.match(await persisted(client, SIGN_IN, { email, password: PASSWORD }), { status: 200, body: { data: { signIn: { __typename: 'Session', user: { email } } } } }, 'signIn by hash')
  return email
}

/** Whether the embedded emulator sent anything to this address (a refused signUp must not). */
async function mailed (app: App, to: string): Promise<boolean> {
  const response = await app.inject({ method: 'GET', url: `/dev/mailbox?to=${encodeURIComponent(to)}` })
  return (response.json() as unknown[]).length > 0
}

t.test('only: the registered operations run by hash, POST and GET', async (t) => {
  const app = await build(t, { env: only(t) })
  const client = new Client(app)
  const email = await signInByHash(t, client)

  t.match(await persisted(client, ME), { status: 200, body: { data: { me: { id: String, email, emailVerified: true, groups: [] } } } }, 'me by hash: the signed-in user')
  t.match(await send(client, { extensions: byHash(ME, operationHash(ME).toUpperCase()) }), { status: 200, body: { data: { me: { email } } } }, 'the hash is read in either case')

  t.match(await get(client, { extensions: byHash(ME) }), { status: 200, body: { data: { me: { email } } } }, 'a query by hash over GET')
  const mutation = await get(client, { extensions: byHash(SIGN_OUT) })
  t.equal(mutation.status, 405, 'a registered mutation over GET is still refused: the GET rules apply to the registered document')
  t.match(await persisted(client, ME), { body: { data: { me: { email } } } }, 'and it did not run: still signed in')
})

t.test('only: a document text or an unknown hash is refused before anything runs', async (t) => {
  const app = await build(t, { env: only(t) })
  const client = new Client(app)
  const email = newEmail('refused')

  const refusedBody = (message: string) => ({ data: null, errors: [{ message, extensions: { code: 'BAD_USER_INPUT' } }] })
  t.same(await client.gql(SIGN_UP, { input: { email, password: PASSWORD } }).then((r) => [r.status, r.response.json()]), [400, refusedBody(REFUSED_MESSAGES.text)], 'a registered document sent as text: 400')
  t.same(await send(client, { query: SIGN_UP, variables: { input: { email, password: PASSWORD } }, extensions: byHash(SIGN_UP) }), { status: 400, body: refusedBody(REFUSED_MESSAGES.text) }, 'the text beside its hash: refused too')
  t.equal(await mailed(app, email), false, 'neither signUp ran')

  const unknown = '{ me { id } }'
  t.same(await send(client, { extensions: byHash(unknown) }), { status: 400, body: refusedBody(REFUSED_MESSAGES.unknown) }, 'an unknown hash: 400')
  t.same(await send(client, { extensions: byHash(unknown) }, MODERN), { status: 400, body: { errors: [{ message: REFUSED_MESSAGES.unknown, extensions: { code: 'BAD_USER_INPUT' } }] } }, 'under application/graphql-response+json: no data entry')
  t.same(await send(client, {}), { status: 400, body: refusedBody(REFUSED_MESSAGES.text) }, 'neither document nor hash')
  for (const persistedQuery of [{ version: 2, sha256Hash: operationHash(ME) }, { version: 1 }, { version: 1, sha256Hash: 42 }, 'x']) {
    t.same(await send(client, { extensions: { persistedQuery } }), { status: 400, body: refusedBody(REFUSED_MESSAGES.shape) }, `persistedQuery ${JSON.stringify(persistedQuery)}: 400`)
  }

  t.same(await get(client, { query: ME }), { status: 400, body: refusedBody(REFUSED_MESSAGES.text) }, 'a text over GET: 400')
  t.same(await get(client, { extensions: '{' }), { status: 400, body: refusedBody(REFUSED_MESSAGES.shape) }, 'extensions that are not JSON over GET: 400')
  const graphqlBody = await app.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/graphql' }, payload: ME })
  t.same([graphqlBody.statusCode, graphqlBody.json()], [400, refusedBody(REFUSED_MESSAGES.text)], 'an application/graphql body: 400')
  t.same((await send(client, [] as unknown as Record<string, unknown>)).body.errors[0].message, 'The body must be a JSON object.', 'a body of the wrong shape keeps its own answer')
})

t.test('off (the default): document texts run as before, and registered hashes run too', async (t) => {
  const app = await build(t, { env: { PERSISTED_OPERATIONS_MANIFEST: helperManifest(t) } })
  const client = new Client(app)
  t.same(await client.gql(ME).then((r) => [r.status, r.data]), [200, { me: null }], 'a document text runs')
  t.same(await persisted(client, ME), { status: 200, body: { data: { me: null } } }, 'so does a registered hash')
  t.same(await send(client, { extensions: byHash(ME, `sha256:${operationHash(ME)}`) }), { status: 200, body: { data: { me: null } } }, 'in the form sha256:<hex> too')
  t.match(await send(client, {}), { status: 400, body: { errors: [{ message: 'The body must have a "query" string.' }] } }, 'a body with neither gets the answer it always got')
})

t.test('off: automatic persisted queries, as Apollo\'s and urql\'s links speak them', async (t) => {
  const app = await build(t, { env: { PERSISTED_OPERATIONS_MANIFEST: helperManifest(t) } })
  const client = new Client(app)
  const document = '{ me { id email } }'
  const notFound = { data: null, errors: [{ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }] }
  t.same(await send(client, { extensions: byHash(document) }), { status: 200, body: notFound }, 'an unknown hash: PERSISTED_QUERY_NOT_FOUND, with the message the links look for, in a 200 as Apollo Server answers it')
  t.same(await send(client, { extensions: byHash(document) }, MODERN), { status: 200, body: notFound }, 'also under application/graphql-response+json (the links read the errors of a 200)')
  t.same(await get(client, { extensions: byHash(document) }), { status: 200, body: notFound }, 'and over GET')

  const mismatch = await send(client, { query: document, extensions: byHash('{ me { id } }') })
  t.same(mismatch, { status: 400, body: { data: null, errors: [{ message: REFUSED_MESSAGES.mismatch, extensions: { code: 'BAD_USER_INPUT' } }] } }, 'a text with a hash that is not its own: refused')
  t.match(await send(client, { extensions: byHash(document) }), { body: notFound }, 'and nothing was registered')

  t.same(await send(client, { query: document, extensions: byHash(document) }), { status: 200, body: { data: { me: null } } }, 'the text with its hash runs')
  t.same(await send(client, { extensions: byHash(document) }), { status: 200, body: { data: { me: null } } }, 'and registered it: the hash alone runs now')
  t.same(await get(client, { extensions: byHash(document, `sha256:${operationHash(document).toUpperCase()}`) }), { status: 200, body: { data: { me: null } } }, 'over GET, in either form and case')

  const invalid = '{ me { shoeSize } }'
  t.match(await send(client, { query: invalid, extensions: byHash(invalid) }), { body: { errors: [{ extensions: { code: 'BAD_USER_INPUT' } }] } }, 'a text that does not validate does not run')
  t.match(await send(client, { extensions: byHash(invalid) }), { body: notFound }, 'and is not registered')

  const email = newEmail('apq')
  t.match(await get(client, { query: SIGN_UP, extensions: byHash(SIGN_UP), variables: { input: { email, password: PASSWORD } } }), { status: 405 }, 'a mutation sent over GET with its hash is still a 405')
  t.equal(await mailed(app, email), false, 'and did not run')
})

t.test('only: no automatic persisted queries', async (t) => {
  const app = await build(t, { env: only(t) })
  const client = new Client(app)
  const document = '{ me { id email } }'
  const refusedBody = (message: string) => ({ data: null, errors: [{ message, extensions: { code: 'BAD_USER_INPUT' } }] })
  t.same(await send(client, { extensions: byHash(document) }), { status: 400, body: refusedBody(REFUSED_MESSAGES.unknown) }, 'an unknown hash is BAD_USER_INPUT, not PERSISTED_QUERY_NOT_FOUND: sending the text would not help')
  t.same(await send(client, { query: document, extensions: byHash(document) }), { status: 400, body: refusedBody(REFUSED_MESSAGES.text) }, 'the text with its hash is refused')
  t.same(await send(client, { extensions: byHash(document) }), { status: 400, body: refusedBody(REFUSED_MESSAGES.unknown) }, 'and registered nothing')
  t.match(await send(client, { extensions: byHash(ME, `sha256:${operationHash(ME)}`) }), { status: 200, body: { data: { me: null } } }, 'a registered hash runs, in the form sha256:<hex> too')
})

t.test('off: a missing manifest is no manifest', async (t) => {
  const app = await build(t, { env: { PERSISTED_OPERATIONS_MANIFEST: join(manifestDir(t), 'missing.json') } })
  t.match(await persisted(new Client(app), ME), { status: 200, body: { errors: [{ extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }] } }, 'no hash is known')
})

t.test('off: a broken manifest is a warning, not a failed start', async (t) => {
  const logs: string[] = []
  const stale = writeManifest(manifestDir(t), 'stale.json', { [operationHash('{ me { shoeSize } }')]: '{ me { shoeSize } }' })
  const broken = await build(t, { logs, env: { PERSISTED_OPERATIONS_MANIFEST: stale } })
  const warnings = logs.map((line) => JSON.parse(line) as { level: number, msg: string }).filter((line) => line.level === 40 && line.msg.startsWith('PERSISTED_OPERATIONS_MANIFEST='))
  t.match(warnings, [{ msg: /stale\.json: the document \w+ does not run on this schema: .*; its operations are not registered until it is fixed$/ }], 'the server starts and says why no hash of the manifest runs')
  t.same(await new Client(broken).gql(ME).then((r) => r.data), { me: null }, 'and texts run')
})

t.test('off with REDIS_URL: a document registered on one instance runs by hash on another', { skip: !hasRedis && 'redis-server is not installed' }, async (t) => {
  const { url } = await startRedis(t)
  const first = new Client(await build(t, { env: { REDIS_URL: url } }))
  const second = new Client(await build(t, { env: { REDIS_URL: url } }))
  const document = `{ me { id email name } } # ${Date.now()}`
  t.match(await send(second, { extensions: byHash(document) }), { body: { errors: [{ extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } }] } }, 'unknown to both at first')
  t.same(await send(first, { query: document, extensions: byHash(document) }), { status: 200, body: { data: { me: null } } }, 'registered on the first')
  t.same(await send(second, { extensions: byHash(document) }), { status: 200, body: { data: { me: null } } }, 'runs by hash on the second')
})

t.test('the manifest is checked whole when the server starts', async (t) => {
  const schema = buildSchema(loadSchemaSDL())
  const dir = manifestDir(t)
  const write = (name: string, content: unknown) => writeManifest(dir, name, content)
  const good = write('good.json', { [operationHash(ME)]: ME })
  t.same([...loadPersistedOperations(good, schema)], [[operationHash(ME), ME]], 'a good manifest')
  const prefixed = write('prefixed.json', { [`sha256:${operationHash(ME)}`]: ME, [operationHash(SIGN_OUT)]: SIGN_OUT })
  t.same([...loadPersistedOperations(prefixed, schema)], [[operationHash(ME), ME], [operationHash(SIGN_OUT), SIGN_OUT]], 'keys as sha256:<hex> (graphql-codegen\'s form) and bare hex, side by side')

  const cases: Array<[string, unknown, RegExp]> = [
    ['not-json.json', '{', /not a JSON file/],
    ['array.json', [ME], /not a JSON object/],
    ['wrong-hash.json', { [operationHash(ME)]: `${ME} ` }, /is not the SHA-256 hex \(lower case, bare or as sha256:<hex>\) of its document/],
    ['upper-case.json', { [operationHash(ME).toUpperCase()]: ME }, /is not the SHA-256 hex \(lower case/],
    ['other-prefix.json', { [`sha1:${operationHash(ME)}`]: ME }, /is not the SHA-256 hex/],
    ['not-text.json', { [operationHash(ME)]: { query: ME } }, /is not a document text/],
    ['stale.json', { [operationHash('{ me { shoeSize } }')]: '{ me { shoeSize } }' }, /does not run on this schema: Cannot query field "shoeSize"/],
    ['syntax.json', { [operationHash('{ me {')]: '{ me {' }, /does not run on this schema: Syntax Error/]
  ]
  for (const [name, content, message] of cases) {
    const path = write(name, content)
    const error = catchError(() => loadPersistedOperations(path, schema))
    t.equal(error?.name, 'ConfigError', `${name}: a ConfigError`)
    t.ok(error?.message.startsWith(`PERSISTED_OPERATIONS_MANIFEST=${path}: `), `${name}: that names the variable and the file`)
    t.match(error?.message, message, `${name}: and says what is wrong`)
  }
  t.throws(() => loadPersistedOperations(join(dir, 'missing.json'), schema), { name: 'ConfigError', message: /PERSISTED_OPERATIONS_MANIFEST=.*missing\.json: no such file/ }, 'a missing file')

  // On a configured pool: a start that fails after the embedded emulator started would leave it running.
  await t.rejects(buildBehindProxy(t, { env: { PERSISTED_OPERATIONS: 'only', PERSISTED_OPERATIONS_MANIFEST: join(dir, 'stale.json') } }), { name: 'ConfigError', message: /^PERSISTED_OPERATIONS_MANIFEST=.*stale\.json: the document \w+ does not run on this schema/ }, 'the server does not start with a bad manifest')
  await t.rejects(build(t, { env: { PERSISTED_OPERATIONS: 'sometimes' } }), /PERSISTED_OPERATIONS/, 'an unknown mode is refused')
})

function catchError (fn: () => unknown): Error | undefined {
  try {
    fn()
  } catch (err) {
    return err as Error
  }
  return undefined
}
