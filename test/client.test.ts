// The browser client (cognito-graphql-auth/client) in Node, as a page uses it: Node's fetch with a
// cookie jar (test/helper.ts's Client) against the server over real HTTP, on the embedded emulator,
// with PERSISTED_OPERATIONS=only, so every call travels by the hash of a manifest document.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { buildSchema } from 'graphql'
import t from 'tap'
import { AuthError, createAuthClient, NetworkError, PasskeyUnsupportedError, type AuthClient, type SessionChange } from '../src/client/index.ts'
import { OPERATIONS } from '../src/client/generated.ts'
import { operationHash } from '../src/graphql/persisted-operations.ts'
import { RELAXED_LIMITS } from './challenge-helpers.ts'
import { build, Client, newEmail, PASSWORD } from './helper.ts'

const MANIFEST = fileURLToPath(new URL('../schema/persisted-operations.json', import.meta.url))
const SCHEMA = fileURLToPath(new URL('../schema.graphql', import.meta.url))

/** The server in PERSISTED_OPERATIONS=only, listening on loopback; its GraphQL URL. */
async function serve (t: Tap, env: Record<string, string> = {}) {
  const app = await build(t, { env: { ...RELAXED_LIMITS, PERSISTED_OPERATIONS: 'only', PERSISTED_OPERATIONS_MANIFEST: MANIFEST, ...env } })
  const url = `${await app.listen({ port: 0, host: '127.0.0.1' })}/graphql`
  /** A browser: its cookie jar, and the client over it (several clients on one jar are tabs of that browser). */
  const browser = () => {
    const jar = new Client(app)
    return { jar, client: createAuthClient({ url, fetch: jar.fetch }) }
  }
  return { app, url, browser }
}
type Tap = Parameters<typeof build>[0]

/** The error a promise rejects with. */
async function rejection (promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (err) {
    return err
  }
  throw new Error('the promise resolved')
}

/** Registers and confirms a user through the client. */
async function register (client: AuthClient, jar: Client, email = newEmail('client')): Promise<string> {
  await client.signUp({ email, password: PASSWORD })
  if (await client.confirmSignUp({ email, code: await jar.code(email) }) !== true) throw new Error('confirmation failed')
  return email
}

/** The next session change a tab's listener hears (BroadcastChannel delivers asynchronously). */
function nextChange (client: AuthClient): Promise<SessionChange> {
  return new Promise((resolve) => {
    const stop = client.onSessionChange((change) => { stop(); resolve(change) })
  })
}

t.test('one method per Query and Mutation field, each by the hash of a manifest document named as the field', async (t) => {
  const schema = buildSchema(readFileSync(SCHEMA, 'utf8'))
  const fields = [schema.getQueryType(), schema.getMutationType()].flatMap((root) => Object.keys(root?.getFields() ?? {}))
  t.same(Object.keys(OPERATIONS).sort(), fields.sort(), 'every field of schema.graphql, and nothing else')
  const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8')) as Record<string, string>
  for (const [field, [hash]] of Object.entries(OPERATIONS)) {
    const document = manifest[hash]
    t.equal(document === undefined ? undefined : operationHash(document), hash, `${field}: its document is in the manifest under its hash`)
    t.match(document, new RegExp(`^(query|mutation) ${field}\\b[^{]*\\{ ${field}\\b`), `${field}: one operation named as the field, selecting it`)
  }
})

t.test('with PERSISTED_OPERATIONS=only: sign-up, sign-in, me, sessions, revokeOtherSessions, securityEvents and sign-out through the client', async (t) => {
  const { browser } = await serve(t)
  const { jar, client } = browser()
  t.same((await jar.gql('{ me { id } }')).codes, ['BAD_USER_INPUT'], 'the server runs nothing but registered hashes')

  const email = newEmail('client')
  const signUp = await client.signUp({ email, password: PASSWORD })
  t.same(signUp, { __typename: 'SignUpPayload', userConfirmed: false, codeDelivery: { __typename: 'CodeDelivery', medium: 'EMAIL', destination: 'c***@e***.com' } }, 'signUp resolves to the field\'s data')
  t.equal(await client.confirmSignUp({ email, code: await jar.code(email) }), true)
  t.equal(await client.me(), null, 'me: null without a session')

  const wrong = await rejection(client.signIn({ email, password: 'Wrong-Pass-1' }))
  t.ok(wrong instanceof AuthError, 'a refusal is an AuthError')
  t.equal((wrong as AuthError).code, 'INVALID_CREDENTIALS')
  t.equal((wrong as AuthError).message, 'Incorrect email or password.')

  const signedIn = await client.signIn({ email, password: PASSWORD })
  if (signedIn?.__typename !== 'Session') throw new Error('no session')
  t.equal(signedIn.user.email, email, 'a Session, narrowed by __typename')
  t.same(signedIn.user.passkeys, [], 'with the whole User')
  t.ok(Date.parse(signedIn.expiresAt) > Date.now())
  const me = await client.me()
  t.equal(me?.id, signedIn.user.id, 'me: the user')
  t.same(me?.mfa, [])

  // A second browser of the same user; the first ends it.
  const other = browser()
  t.equal((await other.client.signIn({ email, password: PASSWORD }))?.__typename, 'Session')
  const sessions = await client.sessions()
  t.equal(sessions.length, 2, 'both sessions are listed')
  t.equal(sessions.filter((s) => s.current).length, 1)
  t.equal(await client.revokeOtherSessions(), 1, 'revokeOtherSessions: how many it ended')
  t.equal(await other.client.me(), null, 'the other browser has no session')
  t.equal(await client.revokeOtherSessions(), 0, 'none is left to end')

  const events = await client.securityEvents({ first: 3 })
  t.same(events.map((e) => e.type), ['sessions-revoked', 'sessions-revoked', 'sign-in'], 'securityEvents: newest first, as many as asked')
  const all = await client.securityEvents()
  t.ok(all.some((e) => e.type === 'sign-in-failed' && e.method === 'PASSWORD' && e.ip === '127.0.0.1'), 'the failed sign-in, with its method and address')

  t.equal(await client.signOut(), true)
  t.equal(await client.me(), null)
  const refused = await rejection(client.sessions())
  t.equal((refused as AuthError).code, 'UNAUTHENTICATED', 'sessions needs a session')
})

t.test('challenges through the client: an emailed code, Session | Challenge narrowed by __typename', async (t) => {
  const { browser } = await serve(t)
  const { jar, client } = browser()
  const email = await register(client, jar)
  const challenge = await client.signIn({ email, method: 'EMAIL_CODE' })
  if (challenge?.__typename !== 'Challenge') throw new Error('no challenge')
  t.equal(challenge.name, 'EMAIL_OTP')
  t.equal(challenge.codeDelivery?.medium, 'EMAIL')
  const code = await jar.code(email)
  const mismatch = await rejection(client.respondToChallenge({ name: 'EMAIL_OTP', code: code === '000000' ? '111111' : '000000' }))
  t.equal((mismatch as AuthError).code, 'CODE_MISMATCH')
  const session = await client.respondToChallenge({ name: 'EMAIL_OTP', code })
  t.equal(session?.__typename, 'Session')
  t.equal((await client.me())?.email, email)
})

t.test('errors: AuthError with the request id; no answer and non-GraphQL answers are NetworkErrors', async (t) => {
  const { url, browser } = await serve(t)
  const { jar } = browser()
  let requestId: string | null = null
  const client = createAuthClient({
    url,
    fetch: async (target, init) => {
      const response = await jar.fetch(target, init)
      requestId = response.headers.get('x-request-id')
      return response
    }
  })
  const refused = await rejection(client.sessions())
  t.ok(refused instanceof AuthError)
  t.equal((refused as AuthError).code, 'UNAUTHENTICATED')
  t.ok(requestId !== null && (refused as AuthError).requestId === requestId, 'requestId: the X-Request-Id of the answer')
  t.notOk(refused instanceof NetworkError)

  // Nothing listens there.
  const closed = createServer()
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
  const port = (closed.address() as AddressInfo).port
  await new Promise((resolve) => closed.close(resolve))
  const unreachable = await rejection(createAuthClient({ url: `http://127.0.0.1:${port}/graphql` }).me())
  t.ok(unreachable instanceof NetworkError, 'a server that cannot be reached: NetworkError')
  t.notOk(unreachable instanceof AuthError, 'not a refusal')
  t.equal((unreachable as NetworkError).status, undefined)

  // A proxy's error page.
  const proxy = createServer((_req, res) => { res.writeHead(502, { 'content-type': 'text/html' }).end('<h1>502 Bad Gateway</h1>') })
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
  t.teardown(() => proxy.close())
  const page = await rejection(createAuthClient({ url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/graphql` }).me())
  t.ok(page instanceof NetworkError, 'an HTML answer: NetworkError')
  t.equal((page as NetworkError).status, 502, 'with its status')

  // JSON that is not GraphQL (Fastify's 404).
  const notFound = await rejection(createAuthClient({ url: url.replace(/graphql$/, 'nothing-here'), fetch: jar.fetch }).me())
  t.ok(notFound instanceof NetworkError)
  t.equal((notFound as NetworkError).status, 404)
})

t.test('from another allowed origin (CORS_ORIGINS), a page may read X-Request-Id, which AuthError.requestId is', async (t) => {
  const app = await build(t, { env: { CORS_ORIGINS: 'http://localhost:5173' } })
  const response = await app.inject({ method: 'POST', url: '/graphql', headers: { origin: 'http://localhost:5173', 'content-type': 'application/json' }, payload: JSON.stringify({ query: '{ sessions { id } }' }) })
  t.equal(response.headers['access-control-allow-origin'], 'http://localhost:5173')
  t.match(String(response.headers['access-control-expose-headers']), /x-request-id/i, 'X-Request-Id is exposed')
  t.type(response.headers['x-request-id'], 'string')
})

t.test('onSessionChange: sign-in and sign-out reach every tab; a refusal for want of a session is a sign-out', async (t) => {
  const { browser, url } = await serve(t)
  const { jar, client: tab1 } = browser()
  const tab2 = createAuthClient({ url, fetch: jar.fetch })
  const email = await register(tab1, jar)
  const seenByTab1: SessionChange[] = []
  const stop = tab1.onSessionChange((change) => seenByTab1.push(change))

  const signedIn = nextChange(tab2)
  const session = await tab1.signIn({ email, password: PASSWORD })
  const userId = session?.__typename === 'Session' ? session.user.id : ''
  t.same(await signedIn, { signedIn: true, userId }, 'the other tab hears the sign-in, with the user\'s id')
  t.same(seenByTab1, [{ signedIn: true, userId }], 'and this tab\'s own listener')
  t.same(await tab1.me(), await tab2.me(), 'both tabs share the session')
  t.same(seenByTab1.length, 1, 'an answer that changes nothing tells nothing')

  const signedOut = nextChange(tab2)
  t.equal(await tab1.signOut(), true)
  t.same(await signedOut, { signedIn: false, userId: null }, 'the other tab hears the sign-out')

  t.equal((await tab1.signIn({ email, password: PASSWORD }))?.__typename, 'Session')
  await new Promise((resolve) => setTimeout(resolve, 50))
  const ended = nextChange(tab1)
  jar.jar.clear() // the cookies are gone (expired, cleared elsewhere)
  t.equal((await rejection(tab2.sessions()) as AuthError).code, 'UNAUTHENTICATED')
  t.same(await ended, { signedIn: false, userId: null }, 'UNAUTHENTICATED is a sign-out, told to the other tabs')
  stop()
  t.same(seenByTab1.map((c) => c.signedIn), [true, false, true, false], 'every change, once')
})

t.test('passkey helpers without WebAuthn (Node has none): PasskeyUnsupportedError, before the server is asked', async (t) => {
  const { url } = await serve(t)
  let requests = 0
  const client = createAuthClient({ url, fetch: async (target, init) => { requests++; return await fetch(target, init) } })
  const signIn = await rejection(client.signInWithPasskey({ email: newEmail() }))
  t.ok(signIn instanceof PasskeyUnsupportedError, 'signInWithPasskey')
  t.equal((signIn as Error).message, 'This browser does not support passkeys (WebAuthn).')
  t.ok(await rejection(client.registerPasskey()) instanceof PasskeyUnsupportedError, 'registerPasskey')
  t.equal(requests, 0, 'no request was sent')
  const notWebAuthn = { __typename: 'Session', user: null, expiresAt: '' } as never
  t.equal(await client.answerPasskeyChallenge(notWebAuthn), notWebAuthn, 'answerPasskeyChallenge gives back anything but a WEB_AUTHN challenge')
})
