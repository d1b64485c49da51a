// The development pages as a person meets them: GET / (where everything is, the pool, the newest
// codes) and /dev/mailbox in a browser (HTML, newest first, each code's purpose) beside the JSON
// that scripts read; both for loopback Hosts only.
import t from 'tap'
import { build, Client, FORGOT, newEmail, registerUser } from './helper.ts'

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'

t.test('GET / links every development surface, names the pool and shows the newest codes', async (t) => {
  const app = await build(t)
  const client = new Client(app)
  const email = await registerUser(client, newEmail('index'))
  const index = await app.inject({ url: '/', headers: { accept: BROWSER_ACCEPT } })
  t.equal(index.statusCode, 200)
  t.match(index.headers['content-type'], /^text\/html/)
  t.equal(index.headers['cache-control'], 'no-store', 'it shows codes: never cached')
  for (const href of ['/graphiql', '/spa/', '/dev/mailbox', '/metrics', '/health', '/ready']) t.match(index.body, `href="${href}"`, `links ${href}`)
  t.match(index.body, `pool <code>${app.emulator?.pool.userPoolId}</code>`, "names the emulator's pool")
  t.match(index.body, `<code>${app.emulator?.pool.endpoint}</code>`, 'and where it listens')
  const code = (await app.inject(`/dev/mailbox?to=${encodeURIComponent(email)}`)).json()[0].code as string
  t.match(index.body, new RegExp(`<td>sign-up code</td><td>EMAIL</td><td>${email.replace(/[.+]/g, '\\$&')}</td><td class="code">${code}</td>`), 'the newest code, with its purpose')
  t.notMatch(index.body, /<script/, 'no script: the documents\' CSP lets it render as it is')
  t.match(index.headers['content-security-policy'], /default-src 'self'/, "the documents' security headers")

  const rebound = await app.inject({ url: '/', headers: { host: 'attacker.example:3000', accept: BROWSER_ACCEPT } })
  t.equal(rebound.statusCode, 404, 'another Host gets nothing (DNS rebinding), as /dev/* does')
})

t.test('/dev/mailbox: HTML for a browser, newest first with each purpose; JSON with purpose and medium for scripts', async (t) => {
  const app = await build(t)
  const client = new Client(app)
  const email = await registerUser(client, newEmail('inbox'))
  t.same((await client.gql(FORGOT, { email })).errors, undefined)

  const json = (await app.inject({ url: `/dev/mailbox?to=${encodeURIComponent(email)}`, headers: { accept: 'application/json' } })).json()
  t.match(json, [
    { to: email, code: /^\d{6}$/, sentAt: String, medium: 'EMAIL', purpose: 'reset code' },
    { to: email, code: /^\d{6}$/, sentAt: String, medium: 'EMAIL', purpose: 'sign-up code' }
  ], 'JSON, newest first, each with its purpose')
  t.same(Object.keys(json[0]).sort(), ['code', 'medium', 'purpose', 'sentAt', 'to'])
  t.same((await app.inject(`/dev/mailbox?to=${encodeURIComponent(email)}`)).json(), json, "curl's Accept (none, or */*) gets the JSON too")

  const page = await app.inject({ url: `/dev/mailbox?to=${encodeURIComponent(email)}`, headers: { accept: BROWSER_ACCEPT } })
  t.equal(page.statusCode, 200)
  t.match(page.headers['content-type'], /^text\/html/)
  const rows = [...page.body.matchAll(/<tr><td title="([^"]+)">[\d:]{8}<\/td><td>([^<]+)<\/td><td>(\w+)<\/td><td>([^<]+)<\/td><td class="code">(\d+)<\/td><\/tr>/g)].map((m) => m.slice(1))
  t.same(rows, json.map((m: Record<string, string>) => [m.sentAt, m.purpose, m.medium, m.to, m.code]), 'one row per message, newest first: when, purpose, medium, to, code')
  t.match(page.body, 'for <code>', 'says it is filtered')

  const empty = await app.inject({ url: '/dev/mailbox?to=nobody@example.com', headers: { accept: BROWSER_ACCEPT } })
  t.match(empty.body, 'Nothing sent yet', 'an empty inbox says so')
  t.equal((await app.inject({ url: '/dev/mailbox', headers: { host: 'attacker.example', accept: BROWSER_ACCEPT } })).statusCode, 404, 'loopback Hosts only')
})
