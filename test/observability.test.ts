// What an operator sees: X-Request-Id on every answer (the same id in the logs and in a masked
// error), /metrics in Prometheus' text format, and traces sent to an OTLP collector.
import { createRequire } from 'node:module'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import t from 'tap'
import { loadConfig } from '../src/config.ts'
import { createMetrics } from '../src/plugins/app/metrics.ts'
import { startTracing, tracesUrl } from '../src/tracing.ts'
import { build, buildBehindProxy, Client, newEmail, PASSWORD, registerUser, SIGN_IN } from './helper.ts'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
const GOOD_ID = 'edge:7f3a.b_C-9'

/** The series of a Prometheus text exposition: `name{labels}` → value. */
function series (text: string): Map<string, number> {
  const values = new Map<string, number>()
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue
    const space = line.lastIndexOf(' ')
    values.set(line.slice(0, space), Number(line.slice(space + 1)))
  }
  return values
}

async function scrape (app: Awaited<ReturnType<typeof build>>): Promise<Map<string, number>> {
  const res = await app.inject('/metrics')
  if (res.statusCode !== 200) throw new Error(`/metrics answered ${res.statusCode}`)
  return series(res.body)
}

t.test('X-Request-Id: a well-formed incoming id is kept and answered', async (t) => {
  const app = await build(t)
  for (const id of [GOOD_ID, 'a', 'x'.repeat(128), '0c9d4f7e-3b1a-4e8f-9a2d-5f6e7d8c9b0a']) {
    const res = await app.inject({ url: '/health', headers: { 'x-request-id': id } })
    t.equal(res.headers['x-request-id'], id, `${id.slice(0, 20)}… (${id.length} characters) is kept`)
  }
  const missing = await app.inject('/nowhere')
  t.equal(missing.statusCode, 404)
  t.match(missing.headers['x-request-id'], UUID, 'a 404 carries one too: a fresh UUID when none was sent')
})

t.test('X-Request-Id: a malformed incoming id is replaced by a fresh UUID', async (t) => {
  const app = await build(t)
  const answered = new Set<string>()
  for (const bad of ['x'.repeat(129), '', 'two words', 'a/b', 'a;b', 'a,b', 'id\u00e9', '<script>', 'a\tb']) {
    const res = await app.inject({ url: '/health', headers: { 'x-request-id': bad } })
    const id = String(res.headers['x-request-id'])
    t.match(id, UUID, `${JSON.stringify(bad.slice(0, 20))}: replaced by a UUID`)
    answered.add(id)
  }
  t.equal(answered.size, 9, 'a new one each time')
  const twice = await app.inject({ url: '/health', headers: { 'x-request-id': [GOOD_ID, GOOD_ID] } })
  t.match(twice.headers['x-request-id'], UUID, 'two X-Request-Id headers are one malformed id')
})

t.test('the request id of an INTERNAL_SERVER_ERROR is the X-Request-Id, and its log lines carry it', async (t) => {
  const logs: string[] = []
  const { proxy, client: newClient } = await buildBehindProxy(t, { logs })
  const client = newClient()
  const email = await registerUser(client)
  proxy.set('InitiateAuth', { kind: 'exception', name: 'ResourceNotFoundException', message: 'upstream detail' })

  const res = await client.gql(SIGN_IN, { email, password: PASSWORD }, { 'x-request-id': GOOD_ID })
  t.same(res.codes, ['INTERNAL_SERVER_ERROR'])
  t.equal(res.errors?.[0]?.extensions.requestId, GOOD_ID, 'extensions.requestId is the incoming id')
  t.equal(res.response.headers['x-request-id'], GOOD_ID, 'and so is X-Request-Id')
  const lines = logs.map((line) => JSON.parse(line) as { reqId?: string, level: number, msg?: string, req?: { method?: string, url?: string }, res?: { statusCode?: number }, responseTime?: number })
  const ours = lines.filter((line) => line.reqId === GOOD_ID)
  t.equal(ours.filter((line) => line.msg === 'request completed').length, 1, 'the request\'s one request line has it as reqId')
  t.notOk(ours.some((line) => line.msg === 'incoming request'), 'one line per request, written when it is answered')
  const line = ours.find((line) => line.msg === 'request completed')
  t.match(line, { req: { method: 'POST', url: '/graphql' }, res: { statusCode: 200 }, responseTime: Number }, 'with the request, its status and its time')
  t.ok(ours.some((line) => line.level >= 50 && line.msg === 'unexpected failure'), 'the error line too')

  // Without an id of its own, the answer's X-Request-Id is the id of the error and of the log.
  const fresh = await client.gql(SIGN_IN, { email, password: PASSWORD })
  const id = String(fresh.response.headers['x-request-id'])
  t.match(id, UUID)
  t.equal(fresh.errors?.[0]?.extensions.requestId, id, 'a generated id is the error\'s requestId')
  t.ok(logs.some((line) => line.includes(`"reqId":"${id}"`) && line.includes('unexpected failure')), 'and the log\'s reqId')
})

t.test('/metrics: request latency by route, auth outcomes, and never a user', async (t) => {
  const app = await build(t, { env: { RATE_LIMITS: JSON.stringify({ 'signIn.address': { max: 2 } }) } })
  const client = new Client(app)
  const email = await registerUser(client, newEmail('metrics'))
  const before = await scrape(app)

  const signedIn = await client.gql(SIGN_IN, { email, password: PASSWORD })
  t.equal(signedIn.data?.signIn.__typename, 'Session')
  const userId = String(signedIn.data?.signIn.user.id)
  t.same((await client.gql(SIGN_IN, { email, password: 'Wrong-Password-1' })).codes, ['INVALID_CREDENTIALS'])
  t.same((await client.gql(SIGN_IN, { email, password: PASSWORD })).codes, ['TOO_MANY_REQUESTS'])

  const res = await app.inject('/metrics')
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^text\/plain; version=0\.0\.4/, 'Prometheus\' text format')
  const after = series(res.body)
  const moved = (name: string) => (after.get(name) ?? 0) - (before.get(name) ?? 0)
  t.equal(moved('auth_events_total{event="sign-in",outcome="success",code="none"}'), 1, 'a sign-in')
  t.equal(moved('auth_events_total{event="sign-in",outcome="failure",code="INVALID_CREDENTIALS"}'), 1, 'a failed sign-in, by its code')
  t.equal(moved('auth_events_total{event="rate-limited",outcome="failure",code="TOO_MANY_REQUESTS"}'), 1, 'a rate-limited attempt')
  t.equal(moved('http_request_duration_seconds_count{route="/graphql",method="POST",status_code="200"}'), 3, 'three POST /graphql in the latency histogram')
  t.ok((after.get('http_request_duration_seconds_bucket{le="+Inf",route="/graphql",method="POST",status_code="200"}') ?? 0) >= 3, 'with its buckets')
  t.ok(after.has('process_resident_memory_bytes'), 'and the process\'s own metrics')

  await app.inject('/dev/mailbox/no/such/path?to=someone@example.com')
  const unmatched = await scrape(app)
  t.ok([...unmatched.keys()].some((name) => name.includes('route="unmatched"')), 'a request no route matched is "unmatched", not its URL')

  const text = (await app.inject('/metrics')).body
  for (const secret of [email, email.split('@')[0] as string, userId, 'someone', PASSWORD]) {
    t.notOk(text.includes(secret), `no ${secret === userId ? 'user id' : secret === PASSWORD ? 'password' : 'email'} anywhere in /metrics`)
  }
})

t.test('Cognito calls: latency by operation and outcome, failures by operation and code', async (t) => {
  const metrics = createMetrics()
  metrics.observeCognitoCall('InitiateAuthCommand', 0.04, 'success')
  metrics.observeCognitoCall('InitiateAuthCommand', 1.2, 'SERVICE_UNAVAILABLE')
  metrics.observeCognitoCall('SignUp', 0.02, 'INVALID_PASSWORD')
  metrics.observeCognitoCall('user@example.com', 0.01, 'a b')
  const values = series(await metrics.registry.metrics())
  t.equal(values.get('cognito_request_duration_seconds_count{operation="InitiateAuth",outcome="success"}'), 1)
  t.equal(values.get('cognito_request_duration_seconds_count{operation="InitiateAuth",outcome="failure"}'), 1)
  t.equal(values.get('cognito_request_failures_total{operation="InitiateAuth",code="SERVICE_UNAVAILABLE"}'), 1)
  t.equal(values.get('cognito_request_failures_total{operation="SignUp",code="INVALID_PASSWORD"}'), 1)
  t.equal(values.get('cognito_request_failures_total{operation="other",code="other"}'), 1, 'a label value that is not a name of ours becomes "other"')
  t.notOk([...values.keys()].some((name) => name.includes('example.com')))
})

t.test('/metrics is off with METRICS=false, and in production unless METRICS=true', async (t) => {
  const off = await build(t, { env: { METRICS: 'false' } })
  t.equal((await off.inject('/metrics')).statusCode, 404, 'METRICS=false: 404')
  t.equal(off.metrics, null)
  t.match((await off.inject('/health')).headers['x-request-id'], UUID, 'request ids do not depend on it')

  const production = { NODE_ENV: 'production', COOKIE_SECRET: 'p'.repeat(40) }
  const { app } = await buildBehindProxy(t, { env: production })
  t.equal((await app.inject('/metrics')).statusCode, 404, 'production: off by default')
  const { app: on } = await buildBehindProxy(t, { env: { ...production, METRICS: 'true' } })
  t.equal((await on.inject('/metrics')).statusCode, 200, 'production with METRICS=true: on')
  t.throws(() => loadConfig({ METRICS: 'maybe' }), /METRICS/, 'a value that is no boolean is refused, naming the variable')
})

t.test('traces go to the OTLP collector of OTEL_EXPORTER_OTLP_ENDPOINT', async (t) => {
  const loaded = () => Object.keys(createRequire(import.meta.url).cache).filter((path) => /@opentelemetry[\\/]sdk-node|@fastify[\\/]otel/.test(path))
  t.equal(await startTracing(loadConfig({ NODE_ENV: 'test' })), undefined, 'no endpoint: no tracing')
  t.same(loaded(), [], 'and, after every app this file built, nothing of OpenTelemetry\'s SDK was loaded')
  t.equal(tracesUrl('http://collector:4318/'), 'http://collector:4318/v1/traces', 'the endpoint is a base URL')

  const received: Array<{ method: string, url: string, type: string, body: Buffer }> = []
  const collector = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      received.push({ method: request.method ?? '', url: request.url ?? '', type: request.headers['content-type'] ?? '', body: Buffer.concat(chunks) })
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}')
    })
  })
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise((resolve) => collector.close(resolve)))
  const endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`

  // As the server does: tracing starts before the Fastify instance is created.
  const tracing = await startTracing(loadConfig({ NODE_ENV: 'test', OTEL_EXPORTER_OTLP_ENDPOINT: endpoint }))
  t.ok(tracing, 'an endpoint starts tracing')
  const app = await build(t)
  t.equal((await app.inject({ url: '/health', headers: { 'x-request-id': GOOD_ID } })).statusCode, 200)
  // A trace reader must not find an OAuth code, or a GET query's variables, in a span.
  await app.inject('/auth/oauth/callback?code=SECRET-TRACE-CODE&state=s')
  await app.inject({ url: `/graphql?query=${encodeURIComponent('query ($e: String) { me { id } }')}&variables=${encodeURIComponent('{"e":"SECRET-TRACE-VARIABLE"}')}`, headers: { 'mercurius-require-preflight': 'true' } })
  await tracing?.shutdown()

  const traces = received.filter((r) => r.method === 'POST' && r.url === '/v1/traces')
  t.ok(traces.length >= 1, 'the collector received POST /v1/traces')
  const body = Buffer.concat(traces.map((r) => r.body))
  t.ok(body.length > 0, `with a body (${traces[0]?.type})`)
  t.ok(body.includes('/health'), 'holding the span of GET /health')
  t.ok(body.includes('cognito-graphql-auth'), 'under the service\'s name')
  t.ok(body.includes('/auth/oauth/callback') && body.includes('/graphql'), 'the callback\'s and the GET query\'s spans, by their paths')
  t.notOk(body.includes('SECRET-TRACE'), 'and never their query strings')
  t.same(received.filter((r) => r.url !== '/v1/traces').map((r) => r.url), [], 'traces only: no metrics or logs exported')
})
