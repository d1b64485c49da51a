// Any Cognito-compatible endpoint: the server in production mode against the emulator started on
// its own (`npm run emulator`), configured with COGNITO_ENDPOINT and COGNITO_JWKS_URI only; keys
// fetched from the JWKS URI over http and fetched again for an unknown `kid`; and an operation
// the endpoint lacks (HTTP 501, moto's HTML 500 page, cognito-local's `Unsupported`) answered
// NOT_SUPPORTED, reported by /ready and not retried as an outage (a gateway's HTML 502 too) is.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { DescribeRiskConfigurationCommand } from '@aws-sdk/client-cognito-identity-provider'
import { pino } from 'pino'
import t, { type Test } from 'tap'
import { addToGroup, poolAdmin } from '../scripts/admin.ts'
import { startStandalone, variablesOf } from '../scripts/emulator.ts'
import { errorCodeOf, isUnsupportedOperation } from '../src/plugins/app/cognito/errors.ts'
import { acceptedIssuers, createTokenVerifier } from '../src/plugins/app/token-verifier.ts'
import { loadOrCreateSigningKey, signJwt } from '../src/dev/tokens.ts'
import { FaultProxy } from './fault-proxy.ts'
import { build, Client, emulatorClient, ME, newEmail, PASSWORD, registerUser, SIGN_IN, SIGN_OUT, withAwsCredentials } from './helper.ts'
import { failsWith } from './challenge-helpers.ts'

const root = join(import.meta.dirname, '..')
/** A data directory of its own for an emulator beside the app's (build() takes the test's). */
function emulatorDir (t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'endpoint-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

const COOKIE_SECRET = 'an-endpoint-test-secret-of-32-characters-or-more'

/** The environment a production server gets for the emulator: the printed variables, no code. */
function productionEnv (variables: string[], overrides: Record<string, string> = {}): Record<string, string> {
  const printed = Object.fromEntries(variables.map((line) => line.split(/=(.*)/s).slice(0, 2) as [string, string]))
  return {
    NODE_ENV: 'production',
    COOKIE_SECRET,
    COGNITO_ENDPOINT: printed.COGNITO_ENDPOINT as string,
    COGNITO_USER_POOL_ID: printed.COGNITO_USER_POOL_ID as string,
    COGNITO_CLIENT_ID: printed.COGNITO_CLIENT_ID as string,
    COGNITO_JWKS_URI: printed.COGNITO_JWKS_URI as string,
    ...overrides
  }
}

t.test('npm run emulator: prints the variables, serves the JWKS they name, stops on SIGINT and forgets its address', async (t) => {
  const dataDir = t.testdir()
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/emulator.ts', '--port', '0'], { cwd: root, env: { ...process.env, EMULATOR_DATA_DIR: dataDir }, stdio: ['ignore', 'pipe', 'pipe'] })
  t.teardown(() => { if (child.exitCode === null) child.kill('SIGKILL') })
  let stdout = ''
  child.stdout.on('data', (chunk) => { stdout += String(chunk) })
  const deadline = Date.now() + 60_000
  while (!/AWS_REGION=/.test(stdout) && Date.now() < deadline && child.exitCode === null) await new Promise((resolve) => setTimeout(resolve, 100))
  for (const name of ['COGNITO_ENDPOINT', 'COGNITO_REGION', 'COGNITO_USER_POOL_ID', 'COGNITO_CLIENT_ID', 'COGNITO_JWKS_URI', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']) {
    t.match(stdout, new RegExp(`^ {2}${name}=\\S+$`, 'm'), `prints ${name}`)
  }
  const jwksUri = /COGNITO_JWKS_URI=(\S+)/.exec(stdout)?.[1] as string
  const jwks = await fetch(jwksUri)
  t.equal(jwks.status, 200)
  t.match(await jwks.json(), { keys: [{ kty: 'RSA', alg: 'RS256' }] }, 'the JWKS URI serves the signing key')
  t.ok(existsSync(join(dataDir, 'emulator.json')), 'its address is written for npm run admin')
  child.kill('SIGINT')
  const [code] = await once(child, 'exit') as [number]
  t.equal(code, 0, 'exits 0 when interrupted')
  t.notOk(existsSync(join(dataDir, 'emulator.json')), 'and forgets its address')
})

t.test('a production server on the emulator started on its own, with COGNITO_ENDPOINT and COGNITO_JWKS_URI only: sign in, me, sign out', async (t) => {
  const printed: string[] = []
  const dataDir = emulatorDir(t)
  const standalone = await startStandalone({ EMULATOR_DATA_DIR: dataDir, LOG_LEVEL: 'silent' }, 0, (line) => printed.push(line))
  t.teardown(() => standalone.close())
  const { emulator } = standalone
  await t.rejects(startStandalone({ EMULATOR_DATA_DIR: dataDir }, 0, () => {}), /is in use by npm run emulator \(pid \d+, http:\/\/127\.0\.0\.1:\d+, since /, 'one emulator per data directory')
  // The printed AWS credentials, as a deployment's credential chain would find them (sign-up's existence checks are admin calls).
  withAwsCredentials(t, emulator.credentials)
  const app = await build(t, { env: productionEnv(variablesOf(emulator)) })
  t.equal(app.config.production, true)
  t.equal(app.emulator, undefined, 'no embedded emulator: only configuration')

  const ready = await app.inject('/ready')
  t.equal(ready.statusCode, 200, 'the keys came from COGNITO_JWKS_URI, over http')
  t.same(ready.json(), { status: 'ready', keys: true })

  const client = new Client(app, emulator.mailbox)
  const email = await registerUser(client)
  t.match(printed.join('\n'), new RegExp(`sign-up code for ${email.replace(/[.]/g, '\\.')}: \\d+`), 'the emulator prints the codes it sends')
  const signIn = await client.gql(SIGN_IN, { email, password: PASSWORD })
  t.equal(signIn.data?.signIn.__typename, 'Session')
  t.ok(client.jar.has('__Host-access') && client.jar.has('__Host-refresh'), 'the session cookies are set')
  t.equal((await client.gql(ME)).data?.me.email, email, 'me: the tokens were verified with the fetched keys')
  t.equal((await client.gql(SIGN_OUT)).data?.signOut, true)
  t.same((await client.gql(ME)).data, { me: null })
})

t.test('an operation the endpoint lacks: not retried, answered NOT_SUPPORTED, named by /ready; an outage is retried and not named', async (t) => {
  const standalone = await startStandalone({ EMULATOR_DATA_DIR: emulatorDir(t), LOG_LEVEL: 'silent' }, 0, () => {})
  t.teardown(() => standalone.close())
  const { emulator } = standalone
  const proxy = new FaultProxy(emulator.endpoint)
  await proxy.start()
  t.teardown(() => proxy.close())
  withAwsCredentials(t, emulator.credentials)
  const app = await build(t, { env: productionEnv(variablesOf(emulator), { COGNITO_ENDPOINT: proxy.endpoint, COGNITO_TIMEOUT_MS: '2000' }) })

  const operator = new Client(app, emulator.mailbox)
  const operatorEmail = await registerUser(operator)
  const admin = poolAdmin({ region: emulator.region, userPoolId: emulator.userPoolId, endpoint: emulator.endpoint, credentials: { ...emulator.credentials } })
  t.teardown(() => admin.cognito.destroy())
  await addToGroup(admin, operatorEmail, 'admin')
  await operator.gql(SIGN_IN, { email: operatorEmail, password: PASSWORD })
  const target = await registerUser(new Client(app, emulator.mailbox), newEmail('target'))

  // LocalStack answers an operation it does not emulate with HTTP 501 (Not Implemented), whatever the body says.
  proxy.set('AdminResetUserPassword', { kind: 'status', status: 501 })
  failsWith(t, await operator.gql('mutation ($email: String!) { adminResetPassword(input: { email: $email }) }', { email: target }), 'NOT_SUPPORTED', /does not support this operation/)
  t.equal(proxy.count('AdminResetUserPassword'), 1, 'asked once: no retry')
  const ready = await app.inject('/ready')
  t.equal(ready.statusCode, 200, 'the endpoint is up: still ready')
  t.same(ready.json(), { status: 'ready', keys: true, unsupported: ['AdminResetUserPassword'] }, '/ready names what the endpoint lacks')

  // moto answers an action it lacks with an HTML page and status 500.
  proxy.set('AdminEnableUser', { kind: 'page', status: 500 })
  const page = await operator.gql('mutation ($email: String!) { adminEnableUser(input: { email: $email }) { enabled } }', { email: target })
  failsWith(t, page, 'NOT_SUPPORTED')
  t.notMatch(page.response.body, /doctype/i, 'nothing of the page is passed on')
  t.equal(proxy.count('AdminEnableUser'), 1, 'asked once: no retry')

  proxy.set('AdminDisableUser', { kind: 'status', status: 500 })
  failsWith(t, await operator.gql('mutation ($email: String!) { adminDisableUser(input: { email: $email }) { enabled } }', { email: target }), 'SERVICE_UNAVAILABLE')
  t.equal(proxy.count('AdminDisableUser'), 3, 'an outage is retried')
  // A gateway or proxy in front of Cognito answers an outage with an HTML page of its own.
  proxy.set('AdminDisableUser', { kind: 'page', status: 502 })
  failsWith(t, await operator.gql('mutation ($email: String!) { adminDisableUser(input: { email: $email }) { enabled } }', { email: target }), 'SERVICE_UNAVAILABLE')
  t.equal(proxy.count('AdminDisableUser'), 6, 'an HTML 502 is an outage: retried')
  t.same((await app.inject('/ready')).json().unsupported, ['AdminEnableUser', 'AdminResetUserPassword'], 'and is not an unsupported operation')

  // An operation that answers after all is no longer named (a crash page looks like a missing action).
  proxy.clear()
  t.equal((await operator.gql('mutation ($email: String!) { adminEnableUser(input: { email: $email }) { enabled } }', { email: target })).data?.adminEnableUser.enabled, true)
  t.same((await app.inject('/ready')).json().unsupported, ['AdminResetUserPassword'], 'AdminEnableUser answered: no longer listed')

  // cognito-local's answer, as the emulator gives it for an operation it has not got.
  const sdk = emulatorClient(t, emulator)
  const err = await sdk.send(new DescribeRiskConfigurationCommand({ UserPoolId: emulator.userPoolId })).catch((e: unknown) => e) as { name: string, $metadata: { httpStatusCode: number } }
  t.equal(err.$metadata.httpStatusCode, 500)
  t.equal(err.name, 'Unsupported')
  t.ok(isUnsupportedOperation(err), 'cognito-local\'s HTTP 500 Unsupported is an unsupported operation')
  t.equal(errorCodeOf(err), 'NOT_SUPPORTED', 'not SERVICE_UNAVAILABLE: nothing to wait for')
  t.ok(isUnsupportedOperation({ name: 'InternalFailure', message: 'The API action \'X\' for service \'cognito-idp\' is either not available in your current license plan or has not yet been emulated by LocalStack.', $metadata: { httpStatusCode: 501 } }))
  t.ok(isUnsupportedOperation({ name: 'Error', message: 'The admin_reset_user_password action has not been implemented', $metadata: { httpStatusCode: 500 } }), 'moto\'s message')
  t.notOk(isUnsupportedOperation({ name: 'InternalErrorException', message: 'upstream failure', $metadata: { httpStatusCode: 500 } }), 'an outage is not')
})

/** A JWKS endpoint whose keys a test changes, counting the fetches. */
async function jwksServer (t: Test): Promise<{ uri: string, keys: unknown[], fetches: () => number }> {
  const state = { keys: [] as unknown[], fetches: 0 }
  const server: Server = createServer((_req, res) => {
    state.fetches++
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: state.keys }))
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  t.teardown(() => { server.closeAllConnections(); server.close() })
  return { uri: `http://127.0.0.1:${(server.address() as AddressInfo).port}/pool/.well-known/jwks.json`, keys: state.keys, fetches: () => state.fetches }
}

t.test('the token verifier on a JWKS URI: keys over http, fetched again for an unknown kid, the endpoint\'s issuer accepted and no other', async (t) => {
  const jwks = await jwksServer(t)
  const endpoint = new URL(jwks.uri).origin
  const pool = { region: 'eu-west-1', userPoolId: 'eu-west-1_Endpoint1', clientId: 'client-1', endpoint, jwksUri: jwks.uri }
  t.same(acceptedIssuers(pool), [
    'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Endpoint1',
    'https://issuer-cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Endpoint1',
    `${endpoint}/eu-west-1_Endpoint1`,
    `${endpoint}/pool`
  ], 'AWS\'s issuers, the endpoint\'s (as cognito-local writes it) and the JWKS URI\'s')
  const keys = t.testdir()
  const first = await loadOrCreateSigningKey(join(keys, 'first.json'))
  const second = await loadOrCreateSigningKey(join(keys, 'second.json'))
  jwks.keys.push(first.jwk)
  const verifier = createTokenVerifier({ pool, logger: pino({ level: 'silent' }) })
  t.equal(await verifier.loadKeys(), true)
  t.equal(jwks.fetches(), 1)

  const now = Math.floor(Date.now() / 1000)
  const claims = (iss: string) => ({ iss, sub: 'user-1', token_use: 'access', client_id: 'client-1', username: 'user-1', jti: 'j', iat: now, exp: now + 600 })
  t.match(await verifier.access(signJwt(first, claims(`${endpoint}/eu-west-1_Endpoint1`))), { sub: 'user-1' }, 'the endpoint\'s issuer')
  t.match(await verifier.access(signJwt(first, { ...claims('https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Endpoint1'), jti: 'k' })), { sub: 'user-1' }, 'AWS\'s issuer')
  t.equal(await verifier.access(signJwt(first, { ...claims(`${endpoint}/eu-west-1_Other`), jti: 'l' })), undefined, 'another pool\'s issuer is refused')
  t.equal(await verifier.access(signJwt(first, { ...claims(`${endpoint}/eu-west-1_Endpoint1`), client_id: 'other', jti: 'm' })), undefined, 'another client is refused')
  t.equal(jwks.fetches(), 1, 'known keys are not fetched again')

  jwks.keys.push(second.jwk)
  t.match(await verifier.access(signJwt(second, { ...claims(`${endpoint}/eu-west-1_Endpoint1`), jti: 'n' })), { sub: 'user-1' }, 'a new key (unknown kid) is fetched and used')
  t.equal(jwks.fetches(), 2)
})
