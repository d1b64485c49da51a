// What a request leaves in the logs, through the server and through an app that installs the
// auth server as a plugin: never a query string (an OAuth code, a GET query's variables), and
// bodies bounded as the server bounds them, whatever the app's own Fastify options say.
import { Writable } from 'node:stream'
import Fastify, { type FastifyInstance } from 'fastify'
import t, { type Test } from 'tap'
import { authServer, loggerOptions, RequestLog } from '../src/index.ts'
import { build } from './helper.ts'

const SECRETS = ['SECRET-CODE', 'SECRET-VARIABLE', 'SECRET-404', 'SECRET-APP']

/** The requests an attacker would like to find in the logs: a callback's code, a GET query's variables, a 404, an app's route. */
async function leakyRequests (app: FastifyInstance): Promise<void> {
  await app.inject('/auth/oauth/callback?code=SECRET-CODE&state=s')
  const variables = encodeURIComponent(JSON.stringify({ email: 'SECRET-VARIABLE@example.com' }))
  await app.inject({ url: `/graphql?query=${encodeURIComponent('query ($email: String) { me { id } }')}&variables=${variables}`, headers: { 'mercurius-require-preflight': 'true' } })
  await app.inject('/no/such/route?code=SECRET-404')
  await app.inject('/api/items?token=SECRET-APP')
}

/** A stream that keeps every line written to it. */
function lines (): { stream: Writable, text: () => string } {
  const kept: string[] = []
  const stream = new Writable({ write (chunk, _encoding, done) { kept.push(String(chunk)); done() } })
  return { stream, text: () => kept.join('') }
}

/** An app of its own, with `logging` as its Fastify options, the auth server registered in it, and a route of its own. */
async function appWith (t: Test, logging: Record<string, unknown>): Promise<FastifyInstance> {
  const app = Fastify({ ...logging, pluginTimeout: 60_000 })
  t.teardown(() => app.close())
  await app.register(authServer, { env: { NODE_ENV: 'test', EMULATOR_DATA_DIR: t.testdir() } })
  app.get('/api/items', async () => ({ items: [] }))
  await app.ready()
  return app
}

t.test('the server logs no query string, on any route or none', async (t) => {
  const logs: string[] = []
  const app = await build(t, { logs })
  await leakyRequests(app)
  const text = logs.join('')
  t.match(text, /"url":"\/auth\/oauth\/callback"/, 'the callback\'s request line names its path')
  t.match(text, /route not found/, 'a route not found is logged')
  for (const secret of SECRETS) t.notOk(text.includes(secret), `no ${secret} in the logs`)
})

t.test('an app that installs the auth server with its own logger: the auth server\'s routes log no query string, and read no body past 64 KiB', async (t) => {
  const { stream, text } = lines()
  const app = await appWith(t, { logger: { level: 'info', stream } })
  await leakyRequests(app)
  t.match(text(), /"url":"\/auth\/oauth\/callback"/, 'the callback is logged, by its path')
  for (const secret of ['SECRET-CODE', 'SECRET-VARIABLE']) t.notOk(text().includes(secret), `no ${secret} in the logs, whatever the app's logger`)
  t.ok(text().includes('SECRET-APP'), 'the app\'s own routes log as the app says (use loggerOptions for them)')

  const big = await app.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ query: '{ me { id } }', padding: 'x'.repeat(100 * 1024) }) })
  t.equal(big.statusCode, 413, 'a 100 KiB body to /graphql: 413, as on the server (the app\'s Fastify would read 1 MiB)')
})

t.test('an app that uses the exported loggerOptions and RequestLog logs no query string anywhere', async (t) => {
  const { stream, text } = lines()
  const app = await appWith(t, { logger: { ...(loggerOptions('info') as object), stream }, logController: new RequestLog() })
  await leakyRequests(app)
  t.match(text(), /"url":"\/api\/items"/, 'the app\'s route is logged, by its path')
  for (const secret of SECRETS) t.notOk(text().includes(secret), `no ${secret} in the logs`)
})
