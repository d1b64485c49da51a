// Development only, the standalone server's GET /: where everything is (GraphiQL, the example SPA,
// the mailbox, /metrics), which pool it talks to, and the mailbox's newest codes. An app that
// installs authServer has its own `/`; this page is never registered there.
import type { FastifyInstance } from 'fastify'
import { isDevHost } from './emulator-guard.ts'
import { html, mailboxTable, page } from './pages.ts'

/** How many of the newest codes the index shows (the mailbox has them all). */
const NEWEST = 5

export default async function indexPage (fastify: FastifyInstance): Promise<void> {
  const { config } = fastify
  if (config.production) throw new Error('the development index is served in development only')

  fastify.get('/', async (request, reply) => {
    // It shows the mailbox's codes: loopback Hosts only, as /dev/* (DNS rebinding).
    if (!isDevHost(request.headers.host, config.emulator.expose)) {
      reply.callNotFound()
      return reply
    }
    const emulator = fastify.emulator
    const links = [
      ...(config.graphiql ? [html`<li><a href="/graphiql">GraphiQL</a>: the API in a playground, with ready tabs for sign-up → confirm → sign-in → <code>me</code></li>`] : []),
      html`<li><a href="/spa/">The example SPA</a>: every flow in a browser</li>`,
      ...(emulator === undefined ? [] : [html`<li><a href="/dev/mailbox">The mailbox</a>: every code and temporary password the emulator sent</li>`]),
      ...(config.metrics ? [html`<li><a href="/metrics">/metrics</a>: Prometheus' text format</li>`] : []),
      html`<li><a href="/health">/health</a> and <a href="/ready">/ready</a>; the API itself is <code>POST /graphql</code></li>`
    ]
    const pool = emulator === undefined
      ? html`<p>The configured user pool <code>${config.pool?.userPoolId}</code> (${config.pool?.region}), app client <code>${config.pool?.clientId}</code>.</p>`
      : html`<p>The embedded Cognito emulator at <code>${emulator.pool.endpoint}</code>: pool <code>${emulator.pool.userPoolId}</code>,
app client <code>${emulator.pool.clientId}</code>, its data in <code>${config.emulator.dataDir}</code> (<code>npm run emulator:reset</code> starts over).
<code>npm run admin -- --help</code> manages its users.</p>`
    const codes = emulator === undefined
      ? html``
      : html`<h2>Newest codes</h2>${mailboxTable(emulator.mailbox.list().slice(0, NEWEST))}<p class="muted">All of them: <a href="/dev/mailbox">the mailbox</a>.</p>`
    return await reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(page('cognito-graphql-auth (development)', html`<h1>cognito-graphql-auth, in development</h1>
<ul>${links}</ul>
<h2>User pool</h2>
${pool}
${codes}`))
  })
}
