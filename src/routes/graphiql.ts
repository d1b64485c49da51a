// GraphiQL at /graphiql, with its own headers and the journeys as tabs.
import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type { FastifyInstance, FastifyReply } from 'fastify'

const require = createRequire(import.meta.url)

/** A file of an installed package (React's `umd/` files are not in its exports: found from its package.json). */
function packageFile (name: string, file: string): string {
  return join(dirname(require.resolve(`${name}/package.json`)), file)
}

const JS = 'application/javascript; charset=utf-8'

/**
 * The playground's files under /graphiql/, each from the installed package Mercurius' page
 * would fetch from unpkg.com: the same versions, from this origin, so the page works offline
 * and runs no script of a third party on the origin that holds the session cookies.
 */
const VENDOR_FILES: Record<string, { path: string, type: string }> = {
  'react.production.min.js': { path: packageFile('react', 'umd/react.production.min.js'), type: JS },
  'react-dom.production.min.js': { path: packageFile('react-dom', 'umd/react-dom.production.min.js'), type: JS },
  'graphiql.min.js': { path: packageFile('graphiql', 'graphiql.min.js'), type: JS },
  'graphiql.min.css': { path: packageFile('graphiql', 'graphiql.min.css'), type: 'text/css; charset=utf-8' }
}

/** Relative URLs: the page works under a path prefix too. No inline script: the page's CSP allows 'self' only. */
const PAGE = `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>GraphiQL</title>
  <meta name="robots" content="noindex">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <link rel="stylesheet" href="./graphiql/graphiql.min.css">
  <style>body { margin: 0; overflow: hidden } #main { height: 100vh }</style>
</head>
<body>
  <div id="main"></div>
  <script src="./graphiql/config.js"></script>
  <script src="./graphiql/react.production.min.js"></script>
  <script src="./graphiql/react-dom.production.min.js"></script>
  <script src="./graphiql/graphiql.min.js"></script>
  <script src="./graphiql/main.js"></script>
</body>
</html>
`

/**
 * Renders GraphiQL against the API. Its fetcher is a same-origin fetch with the default
 * credentials: the HttpOnly session cookies go along and a signIn's Set-Cookie is kept. Headers
 * are not persisted (no token belongs in localStorage; the session is in cookies).
 */
const MAIN = `/* global React, ReactDOM, GraphiQL */
const fetcher = GraphiQL.createFetcher({ url: new URL(window.GRAPHQL_ENDPOINT, window.location.href).href })
ReactDOM.createRoot(document.getElementById('main')).render(React.createElement(GraphiQL, { fetcher, shouldPersistHeaders: false, defaultTabs: window.GRAPHIQL_TABS }))
`

const EMAIL = 'ada@example.com'
const PASSWORD = 'Analytical-Engine-1843'

/**
 * The tabs a first visit opens with (GraphiQL keeps a visitor's own tabs after that): the
 * journey sign-up → confirm → sign-in → me, ready to run one after the other. `codes` says where
 * the confirmation code is read.
 */
export function journeyTabs (codes: string): Array<{ query: string }> {
  return [
    { query: `# 1 of 4: sign up. Run it (▶ or Ctrl-Enter), then go to the next tab.\nmutation SignUp {\n  signUp(input: { email: "${EMAIL}", password: "${PASSWORD}", name: "Ada" }) {\n    userConfirmed\n    codeDelivery { medium destination }\n  }\n}\n` },
    { query: `# 2 of 4: confirm with the code sent to the address: ${codes}.\nmutation ConfirmSignUp {\n  confirmSignUp(input: { email: "${EMAIL}", code: "000000" })\n}\n` },
    { query: `# 3 of 4: sign in. The session goes into HttpOnly cookies: this page never sees a token, the browser sends them along.\nmutation SignIn {\n  signIn(input: { email: "${EMAIL}", password: "${PASSWORD}" }) {\n    __typename\n    ... on Session { expiresAt user { id email } }\n    ... on Challenge { name }\n  }\n}\n` },
    { query: '# 4 of 4: who is signed in (null without a session). The schema is in the Docs pane (top left).\nquery Me {\n  me { id email emailVerified name groups mfa }\n}\n' }
  ]
}

interface Asset { body: Buffer, type: string, etag: string }

function asset (body: Buffer | string, type: string): Asset {
  const bytes = Buffer.from(body)
  return { body: bytes, type, etag: `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 27)}"` }
}

/** Read on first request, once per process: the packages do not change while it runs, and most apps never serve them. */
const vendorAssets = new Map<string, Promise<Asset>>()

function vendorAsset (name: string, file: { path: string, type: string }): Promise<Asset> {
  let loading = vendorAssets.get(name)
  if (loading === undefined) {
    loading = readFile(file.path).then((body) => asset(body, file.type))
    // A failed read is retried by the next request rather than remembered.
    loading.catch(() => vendorAssets.delete(name))
    vendorAssets.set(name, loading)
  }
  return loading
}

/**
 * The GraphiQL playground at /graphiql, served entirely from this server (Mercurius' own page
 * loads React and GraphiQL from unpkg.com). The security headers plugin gives every /graphiql
 * path a Content-Security-Policy that allows scripts from this origin only.
 */
export default async function graphiql (fastify: FastifyInstance): Promise<void> {
  const page = asset(PAGE, 'text/html; charset=utf-8')
  // The embedded emulator (no pool configured) "emails" its codes to /dev/mailbox.
  const codes = fastify.config.pool === undefined ? 'the embedded emulator lists it at /dev/mailbox (newest first; open it in another browser tab)' : 'read it from that mailbox'
  const config = asset(`window.GRAPHQL_ENDPOINT = ${JSON.stringify('/graphql')}\nwindow.GRAPHIQL_TABS = ${JSON.stringify(journeyTabs(codes))}\n`, JS)
  const main = asset(MAIN, JS)

  fastify.get('/graphiql', (request, reply) => send(request.headers['if-none-match'], reply, page))
  fastify.get('/graphiql/config.js', (request, reply) => send(request.headers['if-none-match'], reply, config))
  fastify.get('/graphiql/main.js', (request, reply) => send(request.headers['if-none-match'], reply, main))
  for (const [name, file] of Object.entries(VENDOR_FILES)) {
    fastify.get(`/graphiql/${name}`, async (request, reply) => send(request.headers['if-none-match'], reply, await vendorAsset(name, file)))
  }
}

/** Answers with an asset, or 304 when the browser's copy is current; browsers revalidate every time (no stale playground after an upgrade). */
function send (ifNoneMatch: string | undefined, reply: FastifyReply, file: Asset): FastifyReply {
  reply.header('cache-control', 'no-cache').header('etag', file.etag)
  if (ifNoneMatch === file.etag) return reply.code(304).send()
  return reply.type(file.type).send(file.body)
}
