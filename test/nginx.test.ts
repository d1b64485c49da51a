// nginx in front of an app, with our GET /session deciding who gets through (auth_request): the
// configuration the README shows, examples/nginx/nginx.conf, run as it is with its placeholders
// filled in, between the real server and a stand-in app listening on loopback ports. The stand-in
// answers what reached it: the X-User-* headers, the method and the body.
//
// Without nginx (on PATH or at /usr/sbin/nginx) the file says so and skips.
import { spawn, type ChildProcess } from 'node:child_process'
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { connect, createServer as createNetServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import type { FastifyInstance } from 'fastify'
import t, { type Test } from 'tap'
import { CookieJar } from './cookie-jar.ts'
import { build, buildBehindProxy, Client, ME, PASSWORD, SIGN_IN, SIGN_OUT, signedIn } from './helper.ts'

const TEMPLATE = fileURLToPath(new URL('../examples/nginx/nginx.conf', import.meta.url))

/** The nginx executable: on PATH, or where Debian installs it. */
function findNginx (): string | undefined {
  const candidates = [...(process.env.PATH ?? '').split(delimiter).filter((dir) => dir !== '').map((dir) => join(dir, 'nginx')), '/usr/sbin/nginx']
  return candidates.find((file) => {
    try {
      accessSync(file, constants.X_OK)
      return true
    } catch {
      return false
    }
  })
}

const nginx = findNginx()

async function freePort (): Promise<number> {
  const server = createNetServer().listen(0, '127.0.0.1')
  await new Promise((resolve) => server.once('listening', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

async function listening (port: number): Promise<boolean> {
  return await new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => { socket.destroy(); resolve(true) })
    socket.once('error', () => resolve(false))
  })
}

/** What reached the stand-in app. */
interface Seen {
  method: string
  url: string
  body: string
  user: { id: string | null, email: string | null, groups: string | null }
}

/** The stand-in for the app behind nginx: it answers, as JSON, what it received. */
async function startApp (t: Test): Promise<{ port: number, seen: Seen[] }> {
  const seen: Seen[] = []
  const header = (req: IncomingMessage, name: string) => {
    const value = req.headers[name]
    return typeof value === 'string' ? value : null
  }
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const entry = {
        method: req.method ?? '',
        url: req.url ?? '',
        body: Buffer.concat(chunks).toString(),
        user: { id: header(req, 'x-user-id'), email: header(req, 'x-user-email'), groups: header(req, 'x-user-groups') }
      }
      seen.push(entry)
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'public, max-age=60' })
      res.end(JSON.stringify(entry))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(async () => {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  })
  return { port: (server.address() as AddressInfo).port, seen }
}

/**
 * nginx with examples/nginx/nginx.conf, its placeholders filled in, included from a main
 * configuration that keeps everything (pid, logs, temporary files) in a directory of the test.
 * One process (no master), stopped when the test ends. Resolves with the URL it serves.
 */
async function startNginx (t: Test, upstreams: { auth: number, app: number }): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'nginx-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const port = await freePort()
  const values: Record<string, string> = { LISTEN: `127.0.0.1:${port}`, AUTH_SERVER: `127.0.0.1:${upstreams.auth}`, APP_SERVER: `127.0.0.1:${upstreams.app}` }
  const site = readFileSync(TEMPLATE, 'utf8').split('\n').map((line) => line.trimStart().startsWith('#')
    ? line
    : line.replace(/\$\{([A-Z_]+)\}/g, (_match, name: string) => {
      const value = values[name]
      if (value === undefined) throw new Error(`examples/nginx/nginx.conf: unknown placeholder \${${name}}`)
      return value
    })).join('\n')
  writeFileSync(join(dir, 'site.conf'), site)
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((kind) => `${kind}_temp_path ${join(dir, kind)};`).join('\n  ')
  writeFileSync(join(dir, 'main.conf'), `pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} info;
events { worker_connections 64; }
http {
  access_log off;
  ${temp}
  include ${join(dir, 'site.conf')};
}
`)
  const child: ChildProcess = spawn(nginx as string, ['-p', dir, '-c', join(dir, 'main.conf'), '-g', 'daemon off; master_process off;'], { stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
  t.teardown(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    await exited
  })
  for (let tries = 0; !(await listening(port)); tries++) {
    if (child.exitCode !== null || tries > 100) {
      let log = ''
      try { log = readFileSync(join(dir, 'error.log'), 'utf8') } catch {}
      throw new Error(`nginx did not start: ${stderr}${log}`)
    }
    await sleep(50)
  }
  return `http://127.0.0.1:${port}`
}

/** Our server on a loopback port, as it runs in production. */
async function listen (app: FastifyInstance): Promise<number> {
  await app.listen({ port: 0, host: '127.0.0.1' })
  return (app.server.address() as AddressInfo).port
}

/** The Cookie header after Set-Cookie lines: what a browser sends back. */
function cookieHeaderAfter (cookie: string, setCookies: string[]): string {
  const jar = CookieJar.fromHeader(cookie)
  jar.store(setCookies)
  return jar.header()
}

t.test('nginx auth_request with GET /session (examples/nginx/nginx.conf)', { skip: nginx === undefined ? 'nginx is not installed (neither on PATH nor at /usr/sbin/nginx)' : false }, async (t) => {
  t.test('signed in, signed out, revoked elsewhere, spoofed headers, Bearer', async (t) => {
    const app = await build(t)
    const backend = await startApp(t)
    const proxy = await startNginx(t, { auth: await listen(app), app: backend.port })

    const client = new Client(app)
    const email = await signedIn(client)
    const { id } = (await client.gql(ME)).data?.me as { id: string }
    const cookie = client.cookieHeader()

    const signedInAnswer = await fetch(`${proxy}/api/notes?page=2`, { headers: { cookie } })
    t.equal(signedInAnswer.status, 200, 'a signed-in caller reaches the app')
    const seen = await signedInAnswer.json() as Seen
    t.same(seen.user, { id, email, groups: null }, 'which learns who is calling (no groups: no header)')
    t.equal(seen.url, '/api/notes?page=2')
    t.same(signedInAnswer.headers.getSetCookie(), [], 'a live session renews nothing')
    t.equal(signedInAnswer.headers.get('cache-control'), 'public, max-age=60', 'the app\'s own answer, as it is')

    const posted = await fetch(`${proxy}/api/notes`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: '{"text":"hello"}' })
    t.equal(posted.status, 200, 'a POST gets through too')
    t.match(await posted.json(), { method: 'POST', body: '{"text":"hello"}', user: { id } }, 'with its body, to the app only')

    const spoofed = await fetch(`${proxy}/api/notes`, { headers: { cookie, 'x-user-id': 'admin', 'x-user-email': 'admin@example.com', 'x-user-groups': 'admin' } })
    t.same((await spoofed.json() as Seen).user, { id, email, groups: null }, 'what a client sends as X-User-* never reaches the app')

    const bearer = await fetch(`${proxy}/api/notes`, { headers: { authorization: `Bearer ${client.jar.get('__Host-access') as string}` } })
    t.equal(bearer.status, 200, 'a Bearer token gets through')
    t.same((await bearer.json() as Seen).user, { id, email, groups: null })

    const reached = backend.seen.length
    const anonymous = await fetch(`${proxy}/api/notes`, { headers: { 'x-user-id': id } })
    t.equal(anonymous.status, 401, 'no session: 401')
    t.same(await anonymous.json(), { error: 'UNAUTHENTICATED' })
    t.equal(backend.seen.length, reached, 'and the request never reaches the app, whatever X-User-Id it carries')

    const old = client.clone()
    t.same((await client.gql(SIGN_OUT)).data, { signOut: true }, 'signed out through our API')
    const replayed = await fetch(`${proxy}/api/notes`, { headers: { cookie: old.cookieHeader() } })
    t.equal(replayed.status, 401, 'the old cookies, replayed through nginx: 401')
    t.same(await replayed.json(), { error: 'UNAUTHENTICATED' })
    t.same(replayed.headers.getSetCookie().map((c) => c.split('=')[0]).sort(), ['__Host-access', '__Host-id', '__Host-refresh'], 'and the browser is told to drop them')
    t.ok(replayed.headers.getSetCookie().every((c) => /Max-Age=0/.test(c)))
    t.equal(backend.seen.length, reached, 'the app saw none of it')

    const graphql = await fetch(`${proxy}/graphql`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify({ query: ME }) })
    t.same(await graphql.json(), { data: { me: null } }, 'our own API is reached through nginx too')
    const signIn = await fetch(`${proxy}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: SIGN_IN, variables: { email, password: PASSWORD } }) })
    t.match(await signIn.json(), { data: { signIn: { __typename: 'Session' } } }, 'signing in through nginx')
    const session = cookieHeaderAfter('', signIn.headers.getSetCookie())
    t.match(session, /__Host-access=.*__Host-id=.*__Host-refresh=/, 'gives the session cookies')
    t.match(await (await fetch(`${proxy}/api/notes`, { headers: { cookie: session } })).json(), { user: { id, email } }, 'which then get through')
  })

  t.test('an expired access token is renewed on the way (both cookies reach the browser); Cognito down: 503', async (t) => {
    const { app, proxy: cognito, client: newClient } = await buildBehindProxy(t, { tokenTtlSeconds: 2 })
    const backend = await startApp(t)
    const proxy = await startNginx(t, { auth: await listen(app), app: backend.port })
    const client = newClient()
    const email = await signedIn(client)
    const other = newClient()
    await signedIn(other)
    await sleep(2100)
    const refreshes = cognito.count('InitiateAuth')

    const renewed = await fetch(`${proxy}/api/notes`, { headers: { cookie: client.cookieHeader() } })
    t.equal(renewed.status, 200, 'the app is reached')
    t.equal((await renewed.json() as Seen).user.email, email)
    const setCookies = renewed.headers.getSetCookie()
    t.same(setCookies.map((c) => c.split('=')[0]), ['__Host-access', '__Host-id'], 'the renewed access and id cookies, each in its own Set-Cookie')
    t.match(renewed.headers.get('cache-control'), /no-store/, 'an answer that renews the session is not stored by a cache')

    const next = await fetch(`${proxy}/api/notes`, { headers: { cookie: cookieHeaderAfter(client.cookieHeader(), setCookies) } })
    t.equal(next.status, 200, 'the renewed cookies are a live session')
    t.same(next.headers.getSetCookie(), [], 'that needs no renewal')
    t.equal(cognito.count('InitiateAuth') - refreshes, 1, 'Cognito was asked once')

    const reached = backend.seen.length
    cognito.set('InitiateAuth', { kind: 'status', status: 503 })
    const down = await fetch(`${proxy}/api/notes`, { headers: { cookie: other.cookieHeader() } })
    t.equal(down.status, 503, 'Cognito down while the access token has expired: 503')
    t.same(await down.json(), { error: 'SERVICE_UNAVAILABLE' })
    t.same(down.headers.getSetCookie(), [], 'the cookies stay')
    t.equal(backend.seen.length, reached, 'and the app is not reached')
    cognito.clear()
    t.equal((await fetch(`${proxy}/api/notes`, { headers: { cookie: other.cookieHeader() } })).status, 200, 'once Cognito is back, the same cookies work')
  })
})
