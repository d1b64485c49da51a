import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { loadConfig } from '../src/config.ts'
import { build, Client, PASSWORD, registerUser, SIGN_IN } from './helper.ts'

const root = join(import.meta.dirname, '..')

t.test('configuration is validated at start, naming what is wrong', async (t) => {
  t.throws(() => loadConfig({ NODE_ENV: 'production', COOKIE_SECRET: 'x'.repeat(32) }), /COGNITO_USER_POOL_ID, COGNITO_CLIENT_ID must be set in production/)
  t.throws(() => loadConfig({ NODE_ENV: 'production', COGNITO_USER_POOL_ID: 'eu-west-1_abc', COGNITO_CLIENT_ID: 'c' }), /COOKIE_SECRET must be set in production/)
  t.throws(() => loadConfig({ NODE_ENV: 'production', COGNITO_USER_POOL_ID: 'eu-west-1_abc', COGNITO_CLIENT_ID: 'c', COOKIE_SECRET: 'x'.repeat(32), COOKIE_SECURE: 'false' }), /COOKIE_SECURE=false is refused in production/)
  t.throws(() => loadConfig({ COGNITO_USER_POOL_ID: 'eu-west-1_abc' }), /COGNITO_CLIENT_ID must be set with COGNITO_USER_POOL_ID/)
  t.throws(() => loadConfig({ HOST: '0.0.0.0' }), /HOST=0.0.0.0 is not a loopback address.*EMULATOR_EXPOSE=true/)
  t.throws(() => loadConfig({ PORT: 'eighty' }), /PORT/)
  t.throws(() => loadConfig({ COGNITO_USER_POOL_ID: 'not a pool', COGNITO_CLIENT_ID: 'c' }), /COGNITO_USER_POOL_ID/)
  t.throws(() => loadConfig({ COOKIE_SAMESITE: 'None', COOKIE_SECURE: 'false' }), /COOKIE_SAMESITE=None needs COOKIE_SECURE=true/)

  const once = (env: Record<string, string>) => {
    try {
      loadConfig(env)
    } catch (err) {
      return (err as Error).message
    }
    return 'accepted'
  }
  t.equal(once({ NODE_ENV: 'prod' }), 'invalid configuration: NODE_ENV=prod is not allowed: it must be one of development, test or production', 'an enum: the variable, the value and the allowed values, once')
  t.equal(once({ LOG_LEVEL: 'verbose', PORT: '70000' }), 'invalid configuration: LOG_LEVEL=verbose is not allowed: it must be one of fatal, error, warn, info, debug, trace or silent; PORT=70000 is not allowed: it must be a whole number of at most 65535')
  t.equal(once({ GRAPHIQL: 'yes' }), 'invalid configuration: GRAPHIQL=yes is not allowed: it must be true or false')
  t.equal(once({ COOKIE_SECRET: 'hunter2' }), 'invalid configuration: COOKIE_SECRET (7 characters) is not allowed: it must be at least 32 characters long', 'a secret is not repeated')
  const relaxed = loadConfig({ COOKIE_SAMESITE: 'lax', LOG_LEVEL: 'INFO', GRAPHIQL: 'TRUE', PERSISTED_OPERATIONS: 'Off' })
  t.same([relaxed.cookie.sameSite, relaxed.logLevel, relaxed.graphiql, relaxed.graphql.persistedOperations.mode], ['lax', 'info', true, 'off'], 'enum and boolean values in any case')
  t.match(once({ NODE_ENV: 'Production' }), /NODE_ENV=Production is not allowed/, 'NODE_ENV exactly, as other tools compare it')

  t.equal(loadConfig({ HOST: '0.0.0.0', EMULATOR_EXPOSE: 'true' }).host, '0.0.0.0', 'the container may expose the emulator on purpose')
  const aws = loadConfig({ NODE_ENV: 'production', COGNITO_USER_POOL_ID: 'eu-central-1_AbC123', COGNITO_CLIENT_ID: 'client', COOKIE_SECRET: 'x'.repeat(32) })
  t.same(aws.pool, { region: 'eu-central-1', userPoolId: 'eu-central-1_AbC123', clientId: 'client', clientSecret: undefined, endpoint: undefined }, 'the region comes from the pool id')
  t.equal(aws.graphiql, false, 'no playground in production unless enabled')
  t.equal(aws.cookie.maxAgeSeconds, 30 * 86400)
  t.equal(loadConfig({ REFRESH_TOKEN_TTL: '12h' }).cookie.maxAgeSeconds, 43200)
})

t.test('health, readiness and the development mailbox', async (t) => {
  const app = await build(t)
  t.same((await app.inject('/health')).json(), { status: 'ok' })
  const ready = await app.inject('/ready')
  t.equal(ready.statusCode, 200, 'the emulator\'s keys are loaded')

  const client = new Client(app)
  const email = await registerUser(client)
  const mailbox = (await app.inject(`/dev/mailbox?to=${encodeURIComponent(email.toUpperCase())}`)).json()
  t.equal(mailbox.length, 1)
  t.same(Object.keys(mailbox[0]).sort(), ['code', 'medium', 'purpose', 'sentAt', 'to'])
  t.equal(mailbox[0].to, email)
  t.equal(mailbox[0].medium, 'EMAIL')
  t.ok((await app.inject('/dev/mailbox')).json().length >= 1)
})

t.test('with a configured pool there is no mailbox, and readiness waits for the signing keys', async (t) => {
  // No network here: the keys of this pool cannot be fetched, so the server is live but not ready.
  const app = await build(t, { env: { COGNITO_USER_POOL_ID: 'eu-west-1_Nowhere1', COGNITO_CLIENT_ID: 'client', COGNITO_ENDPOINT: 'http://127.0.0.1:9' } })
  t.equal((await app.inject('/dev/mailbox')).statusCode, 404)
  t.equal((await app.inject('/health')).statusCode, 200)
  t.equal((await app.inject('/ready')).statusCode, 503)
  const me = await new Client(app).gql('{ me { id } }', undefined, { authorization: 'Bearer a.b.c' })
  t.same(me.data, { me: null }, 'unverifiable tokens fail closed, never a 500')
})

t.test('logs never carry a password, a code, a token or a cookie', async (t) => {
  const logs: string[] = []
  const app = await build(t, { logs })
  const client = new Client(app)
  const email = await registerUser(client)
  const code = (await app.inject(`/dev/mailbox?to=${encodeURIComponent(email)}`)).json()[0].code as string
  await client.gql(SIGN_IN, { email, password: PASSWORD })
  await client.gql('{ me { id } }')
  await client.gql(SIGN_IN, { email, password: 'Wrong-Password-1' })
  const text = logs.join('\n')
  t.ok(logs.length > 5, 'something was logged')
  t.notOk(text.includes(PASSWORD), 'no password')
  t.notOk(text.includes('Wrong-Password-1'), 'no wrong password')
  t.notOk(text.includes(`"${code}"`), 'no code')
  t.notMatch(text, /eyJ[\w-]+\.[\w-]+\.[\w-]+/, 'no token')
  for (const value of client.jar.values()) t.notOk(text.includes(value), 'no cookie value')
})

t.test('npm start serves the API with GraphiQL and closes gracefully', { skip: !existsSync(join(root, 'node_modules/.bin/tsx')) && 'tsx is not installed' }, async (t) => {
  const dataDir = t.testdir()
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: root,
    env: { ...process.env, PORT: '0', NODE_ENV: 'development', EMULATOR_DATA_DIR: dataDir, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  t.teardown(() => { if (child.exitCode === null) child.kill('SIGKILL') })
  let output = ''
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start line: ${output}`)), 30_000)
    child.stdout.on('data', (chunk) => {
      output += String(chunk)
      const match = /GraphiQL at (http:\/\/localhost:\d+)\/graphiql/.exec(output)
      if (match?.[1] !== undefined) { clearTimeout(timer); resolve(match[1]) }
    })
  })
  t.equal((await fetch(`${base}/health`)).status, 200)
  const graphiql = await fetch(`${base}/graphiql`)
  t.equal(graphiql.status, 200)
  t.match(await graphiql.text(), /graphiql/i)
  const me = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ me { id } }' }) })
  t.same(await me.json(), { data: { me: null } })
  t.ok(readdirSync(dataDir).length > 0, 'the emulator keeps its state in the data directory')

  child.kill('SIGTERM')
  const [code] = await once(child, 'exit')
  t.equal(code, 0, 'exits cleanly on SIGTERM')
})

t.test('a bad RATE_LIMITS stops the server with a message that names it', async (t) => {
  const { parseLimitOverrides } = await import('../src/config.ts')
  t.throws(() => parseLimitOverrides('{nope'), /RATE_LIMITS is not JSON/)
  t.throws(() => parseLimitOverrides('{"signin.address":{"max":1}}'), /RATE_LIMITS: unknown limit signin.address/)
  t.throws(() => parseLimitOverrides('{"signIn.address":{"max":-1}}'), /RATE_LIMITS: signIn.address.max/)
  t.throws(() => parseLimitOverrides('{"signIn.address":{"window":"soon"}}'), /RATE_LIMITS: signIn.address.window/)
  t.same(parseLimitOverrides('{"signIn.address":{"max":20,"window":"2m"}}')['signIn.address'], { key: 'address', max: 20, window: 120 })

  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: root,
    env: { ...process.env, PORT: '0', EMULATOR_DATA_DIR: t.testdir(), RATE_LIMITS: '{nope' },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stderr = ''
  child.stderr.on('data', (chunk) => { stderr += String(chunk) })
  const [code] = await once(child, 'exit')
  t.equal(code, 1)
  t.match(stderr, /RATE_LIMITS is not JSON/)
  t.notMatch(stderr, /at .*\.ts:\d+/, 'a message, not a stack trace')
})

t.test('rate limits count an IPv6 client by its /64', async (t) => {
  const { addressKey } = await import('../src/plugins/app/rate-limits.ts')
  t.equal(addressKey('2001:db8::1'), addressKey('2001:db8:0:0:ffff::2'))
  t.not(addressKey('2001:db8::1'), addressKey('2001:db8:0:1::1'))
  t.equal(addressKey('::ffff:10.1.2.3'), '10.1.2.3', 'an IPv4-mapped address is its IPv4 address')
  t.equal(addressKey('127.0.0.1'), '127.0.0.1')
})

t.test('.env.example documents every variable the server reads', async (t) => {
  const { EnvSchema } = await import('../src/config.ts')
  const example = readFileSync(join(root, '.env.example'), 'utf8')
  for (const name of Object.keys(EnvSchema.properties)) t.match(example, new RegExp(`^# ${name}=`, 'm'), name)
})
