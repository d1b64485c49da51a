// An app of its own that installs cognito-graphql-auth as a plugin of its Fastify instance:
// its notes, one list per user, behind the same session, as GraphQL fields (merged with the
// auth server's schema) and as REST routes (behind `app.requireUser`); and the example SPA at /.
//
//   npm run build                               # at the root: the package's dist/
//   cd examples/app && npm install && npm start
//   open http://localhost:3000/
//
// With no user pool configured (COGNITO_USER_POOL_ID, COGNITO_CLIENT_ID) the embedded emulator
// runs, and the codes it "emails" are at GET /dev/mailbox. Plain JavaScript: node runs it as it is.
//
// With WEBHOOK_SECRET (and WEBHOOK_URLS naming this app's POST /webhooks/auth), it also receives the
// auth server's events as signed webhooks, verified with the standardwebhooks package, and keeps
// a profile per user from them; user.deleted erases everything it keeps about that user.
import { readFile } from 'node:fs/promises'
import { fileURLToPath, pathToFileURL } from 'node:url'
import Fastify from 'fastify'
import { Webhook } from 'standardwebhooks'
import { authServer, AuthError, loggerOptions, RequestLog } from 'cognito-graphql-auth'

/** The longest note, in characters. */
const MAX_NOTE = 500

/** The notes of each user, by user id (Cognito's `sub`): in memory, gone on restart. */
const notesByUser = new Map()

function notesOf (userId) {
  return notesByUser.get(userId) ?? []
}

function addNote (userId, text) {
  const notes = [...notesOf(userId), text]
  notesByUser.set(userId, notes)
  return notes
}

/** What the app knows of each user from the auth server's events, by user id: { email, createdAt, confirmed }. */
const profiles = new Map()

/**
 * One event, applied to the app's own tables. Deliveries are at least once: an event seen again
 * (the same id) changes nothing, and every change here may run twice without harm.
 */
function applyEvent (event) {
  const { userId, email } = event.data
  const profile = profiles.get(userId)
  switch (event.type) {
    case 'user.created':
      profiles.set(userId, { email, createdAt: event.timestamp, confirmed: false })
      break
    case 'user.confirmed':
    case 'user.updated':
      profiles.set(userId, { createdAt: event.timestamp, ...profile, email, confirmed: event.type === 'user.confirmed' || profile?.confirmed === true })
      break
    case 'user.deleted':
      // The user left: everything the app keeps about them goes too.
      profiles.delete(userId)
      notesByUser.delete(userId)
      break
  }
}

// The app's part of the schema: @auth makes a field answer UNAUTHENTICATED without a session.
// The fields are nullable: a refused one is null with its error, and the rest of `data` stays.
const schema = `
extend type Query {
  "The signed-in user's notes, oldest first."
  notes: [String!] @auth
}
extend type Mutation {
  "Adds a note for the signed-in user; answers all of their notes."
  addNote(text: String!): [String!] @auth
}
`

// ctx.user is the caller (@auth let them through): { id, email, emailVerified, name, groups }.
const resolvers = {
  Query: {
    notes: (_root, _args, ctx) => notesOf(ctx.user.id)
  },
  Mutation: {
    addNote: (_root, { text }, ctx) => {
      if (text.length === 0 || text.length > MAX_NOTE) throw new AuthError('BAD_USER_INPUT', `A note has 1 to ${MAX_NOTE} characters.`)
      return addNote(ctx.user.id, text)
    }
  }
}

// Only JSON is parsed into an object, so a form of another site (text/plain, urlencoded) cannot
// add a note with the user's cookies: it gets 400 or 415, and JSON needs a CORS preflight.
const noteBody = {
  type: 'object',
  properties: { text: { type: 'string', minLength: 1, maxLength: MAX_NOTE } },
  required: ['text'],
  additionalProperties: false
}

// The example SPA: its directory (SPA_DIR to serve a copy from elsewhere), and the only files of
// it that are served. The QR code library it imports comes from this app's node_modules.
const spaDir = process.env.SPA_DIR === undefined ? new URL('../spa/', import.meta.url) : pathToFileURL(process.env.SPA_DIR.replace(/\/?$/, '/'))
const COMPILED_MODULE = /^js\/(?:client\/)?[a-z][a-z0-9-]*\.js$/
const JAVASCRIPT = 'text/javascript; charset=utf-8'

/** The file behind a path of the SPA and its content type, or undefined: nothing else is served. */
function spaFile (path) {
  if (path === '' || path === 'index.html') return { file: new URL('index.html', spaDir), type: 'text/html; charset=utf-8' }
  if (path === 'style.css') return { file: new URL('style.css', spaDir), type: 'text/css; charset=utf-8' }
  if (COMPILED_MODULE.test(path)) return { file: new URL(path, spaDir), type: JAVASCRIPT }
  if (path === 'vendor/qrcode-generator.js') return { file: new URL(import.meta.resolve('qrcode-generator')), type: JAVASCRIPT }
  return undefined
}

// The page learns from this tag that its server has the notes routes (the auth server alone has none).
const NOTES_TAG = '<meta name="notes-api" content="/api/notes">'

// The auth server's own log options: one line per request, without its query string (an OAuth
// callback's code, a GET query's variables) and without headers, cookies or bodies. A minute for
// the plugins to start (Fastify's default is 10 s): the embedded emulator can take longer on a busy machine.
const app = Fastify({ logger: loggerOptions(process.env.LOG_LEVEL ?? 'info'), logController: new RequestLog(), pluginTimeout: 60_000 })

// The SPA sends its GraphQL operations by hash; their manifest is the repository's.
const manifest = fileURLToPath(new URL('../../schema/persisted-operations.json', import.meta.url))
await app.register(authServer, { env: { PERSISTED_OPERATIONS_MANIFEST: manifest, ...process.env }, schema, resolvers })

// The events' receiver. The signature is computed over the exact bytes sent, so this route takes
// its body as a string (its own JSON parser, in this plugin only) and parses it once verified.
const webhookSecret = process.env.WEBHOOK_SECRET?.split(',')[0]?.trim()
if (webhookSecret) {
  const webhook = new Webhook(webhookSecret)
  /** Ids of events already applied (a bounded memory of them). */
  const seen = new Set()
  await app.register(async (receiver) => {
    receiver.removeContentTypeParser('application/json')
    receiver.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => done(null, body))
    receiver.post('/webhooks/auth', async (request, reply) => {
      let event
      try {
        event = webhook.verify(request.body, request.headers)
      } catch {
        // Not signed with our secret (or too old to trust): nothing happens.
        return reply.code(400).send({ error: 'invalid signature' })
      }
      if (!seen.has(event.id)) {
        applyEvent(event)
        seen.add(event.id)
        if (seen.size > 10_000) seen.delete(seen.values().next().value)
      }
      return reply.code(204).send()
    })
  })
}

// What the app keeps from the events about the caller (404 until it has heard of them).
app.get('/api/profile', { preHandler: app.requireUser }, async (request, reply) => {
  const profile = profiles.get(request.user.id)
  return profile === undefined ? reply.code(404).send({ error: 'no profile yet' }) : { id: request.user.id, ...profile }
})

// How many users the app keeps data for: a figure, no identifier.
app.get('/api/stats', async () => ({ profiles: profiles.size, usersWithNotes: notesByUser.size }))

app.get('/api/notes', { preHandler: app.requireUser }, async (request) => {
  return { owner: request.user.id, notes: notesOf(request.user.id) }
})

app.post('/api/notes', { preHandler: app.requireUser, schema: { body: noteBody } }, async (request, reply) => {
  const notes = addNote(request.user.id, request.body.text)
  return reply.code(201).send({ owner: request.user.id, notes })
})

app.get('/*', async (request, reply) => {
  const spa = spaFile(request.params['*'])
  const body = spa === undefined ? undefined : await readFile(spa.file).catch(() => undefined)
  if (spa === undefined || body === undefined) return reply.callNotFound()
  const page = spa.type.startsWith('text/html') ? String(body).replace('</head>', `  ${NOTES_TAG}\n</head>`) : body
  return reply.type(spa.type).header('cache-control', 'no-cache').send(page)
})

try {
  const address = await app.listen({ port: Number(process.env.PORT ?? 3000), host: process.env.HOST ?? '127.0.0.1' })
  // A loopback address opens as localhost: the session cookies are bound to one site name.
  const base = address.replace('127.0.0.1', 'localhost')
  const more = [['GraphQL API', '/graphql'], ['GraphiQL', '/graphiql'], ['dev mailbox', '/dev/mailbox']]
    .filter(([, url]) => app.hasRoute({ method: url === '/graphql' ? 'POST' : 'GET', url }))
    .map(([name, url]) => `${name} at ${base}${url}`)
  console.log(`Open ${base}/ (the example SPA); ${more.join(', ')}`)
} catch (err) {
  console.error(err.message)
  process.exit(1)
}
