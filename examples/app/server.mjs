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
import { readFile } from 'node:fs/promises'
import { fileURLToPath, pathToFileURL } from 'node:url'
import Fastify from 'fastify'
import { authServer, AuthError } from 'cognito-graphql-auth'

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

// The app's part of the schema: @auth makes a field answer UNAUTHENTICATED without a session.
const schema = `
extend type Query {
  "The signed-in user's notes, oldest first."
  notes: [String!]! @auth
}
extend type Mutation {
  "Adds a note for the signed-in user; answers all of their notes."
  addNote(text: String!): [String!]! @auth
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

const app = Fastify({ logger: { level: process.env.LOG_LEVEL ?? 'info' } })

// The SPA sends its GraphQL operations by hash; their manifest is the repository's.
const manifest = fileURLToPath(new URL('../../schema/persisted-operations.json', import.meta.url))
await app.register(authServer, { env: { PERSISTED_OPERATIONS_MANIFEST: manifest, ...process.env }, schema, resolvers })

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
  console.log(`Open ${address.replace('127.0.0.1', 'localhost')}/`)
} catch (err) {
  console.error(err.message)
  process.exit(1)
}
