import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import Fastify from 'fastify'
import t from 'tap'
import { loggerOptions, prettyPrinter } from '../src/logger.ts'
import { crossSiteHint } from '../src/plugins/app/dev-hints.ts'
import { build, buildBehindProxy, Client, newEmail, PASSWORD, SIGN_UP } from './helper.ts'

const PRODUCTION = { NODE_ENV: 'production', COOKIE_SECRET: 'p'.repeat(40) }

interface LogLine { level: number, msg: string, origin?: string }
const warnings = (logs: string[]): LogLine[] =>
  logs.map((line) => JSON.parse(line) as LogLine).filter((line) => line.level === 40 && line.origin !== undefined)

/** A request to /graphql from a page at `origin`, to the server at `host`. */
const fromPage = (client: Client, origin: string, host = '127.0.0.1:3000') => client.gql('{ me { id } }', undefined, { origin, host })

t.test('a cross-site Origin gets one warning that names the fix, however many requests it sends', async (t) => {
  const logs: string[] = []
  const client = new Client(await build(t, { logs }))

  await fromPage(client, 'http://localhost:5173')
  await fromPage(client, 'http://localhost:5173')
  const [warning, ...more] = warnings(logs)
  t.same(more, [], 'one warning for two requests')
  t.match(warning, { origin: 'http://localhost:5173', server: 'http://127.0.0.1:3000' })
  t.match(warning?.msg, 'cross-site')
  t.match(warning?.msg, 'open the app at http://localhost:5173, call the API at http://localhost:3000 and start the server with CORS_ORIGINS=http://localhost:5173')

  await fromPage(client, 'https://app.example.com')
  t.equal(warnings(logs).length, 2, 'another cross-site origin is warned about on its own')
  t.match(warnings(logs)[1]?.msg, /Serve the app from the API's site \(127\.0\.0\.1/)
})

t.test('no warning for a same-site Origin, nor for a request without one', async (t) => {
  const logs: string[] = []
  const client = new Client(await build(t, { logs }))
  await fromPage(client, 'http://127.0.0.1:5173') // another port: same site
  await fromPage(client, 'http://127.0.0.1:3000') // the same origin
  await fromPage(client, 'http://localhost:5173', 'localhost:3000')
  await fromPage(client, 'https://app.example.com', 'api.example.com') // another subdomain of one site
  await client.gql('{ me { id } }', undefined, { host: '127.0.0.1:3000' })
  t.same(warnings(logs), [])
})

t.test('the hint: which pairs are one site, and what it says for each', async (t) => {
  const server = new URL('http://127.0.0.1:3000')
  t.equal(crossSiteHint('http://127.0.0.1:8080', server, []), undefined)
  t.equal(crossSiteHint('http://[::1]:8080', new URL('http://[::1]:3000'), []), undefined)
  t.match(crossSiteHint('http://[::1]:8080', server, []), 'open the app at http://localhost:8080')
  t.notMatch(crossSiteHint('http://localhost:5173', server, ['http://localhost:5173']), 'CORS_ORIGINS', 'an origin already allowed is not asked for again')
  t.match(crossSiteHint('http://localhost:3000', server, []), /call the API at http:\/\/localhost:3000, so the browser/, 'one origin once renamed: no CORS needed')
  t.match(crossSiteHint('null', server, []), /opaque origin \(a file:\/\/ page/)
  t.equal(crossSiteHint('not an origin', server, []), undefined)
  t.equal(crossSiteHint('https://a.example.com', new URL('https://b.example.com'), []), undefined)
  t.match(crossSiteHint('https://app.example.net', new URL('https://api.example.com'), []), /Serve the app from the API's site \(example\.com/)
})

t.test('no hints in production', async (t) => {
  const logs: string[] = []
  const { app } = await buildBehindProxy(t, { env: PRODUCTION, logs })
  await fromPage(new Client(app), 'http://localhost:5173')
  t.same(warnings(logs), [])
  t.notOk(app.hasPlugin('dev-hints'))
})

/** Sign-ups from one address (app.inject's 127.0.0.1), counted until the first refusal. */
async function signUps (client: Client, count: number): Promise<string[]> {
  const outcomes: string[] = []
  for (let i = 0; i < count; i++) {
    const res = await client.gql(SIGN_UP, { input: { email: newEmail('dev-limits'), password: PASSWORD } })
    outcomes.push(res.codes[0] ?? 'ok')
  }
  return outcomes
}

t.test('development limits let a developer sign up far more than 10 users an hour; test and production do not', async (t) => {
  const development = await build(t, { env: { NODE_ENV: 'development', EXISTENCE_TIMING_FLOOR_MS: '0' } })
  t.same(await signUps(new Client(development), 12), Array(12).fill('ok'), 'development: 12 sign-ups from one address')
  t.equal(development.limits.rules['signUp.address'].max, 200, '20 times production')
  t.equal(development.limits.rules['delivery.email'].max, 100, 'email buckets too')
  t.equal(development.limits.rules['code.user'].max, 10, 'account buckets stay')
  t.equal(development.limits.rules['cognito.user'].max, 300, 'user buckets stay')

  const test = await build(t)
  t.same(await signUps(new Client(test), 11), [...Array(10).fill('ok'), 'TOO_MANY_REQUESTS'], 'NODE_ENV=test: the 11th is refused, as the tests expect')

  const { app: production } = await buildBehindProxy(t, { env: { ...PRODUCTION, EXISTENCE_TIMING_FLOOR_MS: '0' } })
  t.same(await signUps(new Client(production), 11), [...Array(10).fill('ok'), 'TOO_MANY_REQUESTS'], 'production: the 11th is refused')
})

t.test('RATE_LIMITS applies on top of the development limits, as given', async (t) => {
  const app = await build(t, { env: { NODE_ENV: 'development', EXISTENCE_TIMING_FLOOR_MS: '0', RATE_LIMITS: JSON.stringify({ 'signUp.address': { max: 2 }, 'signIn.address': { window: '2m' } }) } })
  t.same(await signUps(new Client(app), 3), ['ok', 'ok', 'TOO_MANY_REQUESTS'])
  t.match(app.limits.rules['signIn.address'], { max: 200, window: 120 }, 'what an override leaves out is the development default')
})

t.test('logs: JSON unless pino-pretty is asked for, and JSON when it is not installed', async (t) => {
  t.notOk('transport' in (loggerOptions('info') as object), 'tests and production: JSON lines')
  const missing = prettyPrinter(() => { throw Object.assign(new Error('Cannot find module'), { code: 'MODULE_NOT_FOUND' }) })
  t.equal(missing, undefined, 'an install without development dependencies has none')
  t.notOk('transport' in (loggerOptions('info', missing) as object), 'and logs JSON')

  const pretty = prettyPrinter()
  t.match(pretty, /pino-pretty/)
  const file = join(t.testdir(), 'pretty.log')
  const options = loggerOptions('info', pretty)
  const { transport } = options as { transport: { options: Record<string, unknown> } }
  transport.options.destination = file
  transport.options.colorize = false
  const app = Fastify({ logger: options })
  app.log.info({ input: { password: 'Secret-Password-1' } }, 'hello from development')
  await app.close()
  let text = ''
  for (let i = 0; i < 50 && !text.includes('hello'); i++) {
    await sleep(100)
    try { text = readFileSync(file, 'utf8') } catch {}
  }
  t.match(text, /^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: hello from development/, 'a readable line')
  t.notMatch(text, /^\{/, 'not JSON')
  t.notMatch(text, 'Secret-Password-1', 'redaction holds')
})
