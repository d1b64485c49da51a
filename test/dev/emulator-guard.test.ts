// The embedded emulator's port is an admin API, and /dev/mailbox hands out every code: neither
// may answer a web page (Origin), a page that rebound its name to this machine (foreign Host),
// or, for the admin operations, anyone without the data directory's admin credentials.
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http'
import t from 'tap'
import {
  AdminConfirmSignUpCommand, AdminSetUserPasswordCommand, CognitoIdentityProviderClient, InitiateAuthCommand, ListUsersCommand, SignUpCommand
} from '@aws-sdk/client-cognito-identity-provider'
import { cognitoClient, poolAdmin, targetFromEnv } from '../../scripts/admin.ts'
import { checkSignature, isDevHost, isLoopbackHost } from '../../src/dev/emulator-guard.ts'
import { build, Client, newEmail, PASSWORD, registerUser, emulatorInTempDir } from '../helper.ts'

const { emulator, dataDir } = await emulatorInTempDir(t)
const { endpoint, region, userPoolId: UserPoolId, clientId: ClientId } = emulator
const TARGET = 'AWSCognitoIdentityProviderService'

interface Answer { status: number, headers: IncomingHttpHeaders, body: Record<string, any> }

/** A raw call to the emulator's port (node:http, since fetch will not send a Host of our choosing). */
async function raw (operation: string, input: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const url = new URL(endpoint)
  const body = JSON.stringify(input)
  return await new Promise((resolve, reject) => {
    const req = httpRequest({
      host: url.hostname,
      port: url.port,
      method: 'POST',
      path: '/',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `${TARGET}.${operation}`, 'content-length': Buffer.byteLength(body), ...headers }
    }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => { text += chunk })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text === '' ? {} : JSON.parse(text) }))
    })
    req.on('error', reject)
    req.end(body)
  })
}

/** The same call with fetch, as a script (or a page, were it not a browser) would make it. */
async function viaFetch (operation: string, input: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `${TARGET}.${operation}`, ...headers },
    body: JSON.stringify(input)
  })
  return { status: res.status, headers: Object.fromEntries(res.headers), body: await res.json() as Record<string, any> }
}

/** An SDK client configured as `npm run admin` configures one for this emulator (credentials from its data directory). */
function adminClient (): CognitoIdentityProviderClient {
  const admin = poolAdmin(targetFromEnv({ COGNITO_USER_POOL_ID: UserPoolId, COGNITO_REGION: region, COGNITO_ENDPOINT: endpoint, EMULATOR_DATA_DIR: dataDir }))
  t.teardown(() => admin.cognito.destroy())
  return admin.cognito
}

/** An SDK client with these credentials, and headers added before it signs. */
function clientWith (credentials: { accessKeyId: string, secretAccessKey: string }, headers: Record<string, string> = {}): CognitoIdentityProviderClient {
  const client = cognitoClient({ region, endpoint, credentials })
  client.middlewareStack.add((next) => async (args) => {
    Object.assign((args.request as { headers: Record<string, string> }).headers, headers)
    return await next(args)
  }, { step: 'build', name: 'testHeaders' })
  t.teardown(() => client.destroy())
  return client
}

const admin = adminClient()
const email = newEmail('guard')
await admin.send(new SignUpCommand({ ClientId, Username: email, Password: PASSWORD }))
await admin.send(new AdminConfirmSignUpCommand({ UserPoolId, Username: email }))
const signIn = (password: string) => admin.send(new InitiateAuthCommand({ ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: email, PASSWORD: password } }))
const SET_PASSWORD = { UserPoolId, Username: email, Password: 'Taken-Over-1', Permanent: true }

t.test('a request with an Origin is refused, whatever it asks and however it is signed', async (t) => {
  const listed = await viaFetch('ListUsers', { UserPoolId }, { origin: 'https://evil.example' })
  t.equal(listed.status, 403)
  t.match(listed.body, { __type: 'AccessDeniedException', message: /Origin/ })
  t.equal(listed.headers['x-amzn-errortype'], 'AccessDeniedException')
  t.notOk('access-control-allow-origin' in listed.headers, 'no CORS header')

  t.equal((await viaFetch('SignUp', { ClientId, Username: newEmail(), Password: PASSWORD }, { origin: 'null' })).status, 403, 'public operations too')
  const preflight = await fetch(endpoint, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } })
  t.equal(preflight.status, 403, 'a CORS preflight is refused')
  t.equal(preflight.headers.get('access-control-allow-origin'), null)

  await t.rejects(clientWith(emulator.credentials, { origin: 'http://localhost:5173' }).send(new ListUsersCommand({ UserPoolId })),
    { name: 'AccessDeniedException', $metadata: { httpStatusCode: 403 } }, 'even signed with the admin credentials')
})

t.test('a Host other than a loopback name is refused (DNS rebinding)', async (t) => {
  const listed = await raw('ListUsers', { UserPoolId }, { host: 'evil.example' })
  t.equal(listed.status, 403)
  t.match(listed.body, { __type: 'AccessDeniedException', message: /loopback Hosts only/ })
  for (const host of ['evil.example:1234', 'localhost.evil.example', '127.0.0.1.nip.io', '10.0.0.1']) {
    t.equal((await raw('SignUp', { ClientId, Username: newEmail(), Password: PASSWORD }, { host })).status, 403, `Host: ${host}`)
  }
  await t.rejects(clientWith(emulator.credentials, { host: 'evil.example' }).send(new ListUsersCommand({ UserPoolId })),
    { name: 'AccessDeniedException', $metadata: { httpStatusCode: 403 } }, 'even signed with the admin credentials')

  for (const host of ['localhost', 'localhost:1234', 'LOCALHOST:80', '127.0.0.1', '127.0.0.1:9229', '[::1]', '[::1]:3000']) {
    const signedUp = await raw('SignUp', { ClientId, Username: newEmail(), Password: PASSWORD }, { host })
    t.equal(signedUp.status, 200, `Host: ${host}`)
  }
})

t.test('admin operations need the admin credentials: unsigned or wrongly signed, they are refused', async (t) => {
  const unsigned = await viaFetch('AdminSetUserPassword', SET_PASSWORD)
  t.equal(unsigned.status, 403)
  t.match(unsigned.body, { __type: 'MissingAuthenticationTokenException' })
  t.match((await viaFetch('ListUsers', { UserPoolId })).body, { __type: 'MissingAuthenticationTokenException' }, 'ListUsers')
  t.match((await viaFetch('CreateUserPool', { PoolName: 'mine' })).body, { __type: 'MissingAuthenticationTokenException' }, 'pool management')
  t.match((await viaFetch('NoSuchOperation', {})).body, { __type: 'MissingAuthenticationTokenException' }, 'an unknown operation is not public')
  t.match((await viaFetch('AdminSetUserPassword', SET_PASSWORD, { authorization: 'AWS4-HMAC-SHA256 nonsense' })).body, { __type: 'IncompleteSignatureException' })

  await t.rejects(clientWith({ accessKeyId: 'local', secretAccessKey: 'local' }).send(new AdminSetUserPasswordCommand(SET_PASSWORD)),
    { name: 'UnrecognizedClientException', $metadata: { httpStatusCode: 403 } }, 'the credentials any emulator used to accept')
  await t.rejects(clientWith({ accessKeyId: emulator.credentials.accessKeyId, secretAccessKey: 'a-guess-of-forty-characters-000000000000' }).send(new AdminSetUserPasswordCommand(SET_PASSWORD)),
    { name: 'InvalidSignatureException', $metadata: { httpStatusCode: 403 } }, 'the right key id with a wrong secret')

  t.ok((await signIn(PASSWORD)).AuthenticationResult?.AccessToken, 'the password did not change')
})

t.test('a signature covers the operation, the body and the time', async (t) => {
  // A request signed with the right secret, captured as sent.
  let captured: { headers: Record<string, string>, body: string } | undefined
  const client = adminClient()
  client.middlewareStack.add((next) => async (args) => {
    const request = args.request as { headers: Record<string, string>, body: string | Uint8Array }
    const { body } = request // the SDK's body is a Uint8Array that warns when used as a string: read its bytes
    captured = { headers: { ...request.headers }, body: typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8') }
    return await next(args)
  }, { step: 'deserialize', name: 'capture' })
  await client.send(new ListUsersCommand({ UserPoolId, Limit: 1 }))
  if (captured === undefined) throw new Error('nothing captured')
  const { headers, body } = captured
  const replay = (target: string, input: string) => raw(target, JSON.parse(input), { ...headers, 'content-length': String(Buffer.byteLength(input)) })

  t.equal((await replay('ListUsers', body)).status, 200, 'as signed, it is answered')
  t.match((await replay('ListUsers', body.replace('"Limit":1', '"Limit":60'))).body, { __type: 'InvalidSignatureException' }, 'another body')
  const otherTarget = await raw('AdminSetUserPassword', SET_PASSWORD, { ...headers, 'x-amz-target': `${TARGET}.AdminSetUserPassword`, 'content-length': String(Buffer.byteLength(JSON.stringify(SET_PASSWORD))) })
  t.match(otherTarget.body, { __type: 'InvalidSignatureException' }, 'another operation')

  const request = { method: 'POST', url: '/', headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])), body: Buffer.from(body) }
  t.equal(checkSignature(request, emulator.credentials), undefined)
  t.match(checkSignature(request, emulator.credentials, Date.now() + 20 * 60_000), { status: 403, type: 'InvalidSignatureException', message: /expired/ }, 'twenty minutes later')
  t.match(checkSignature({ ...request, headers: { ...request.headers, host: 'localhost:1' } }, emulator.credentials), { type: 'InvalidSignatureException' }, 'another host')

  t.ok((await signIn(PASSWORD)).AuthenticationResult?.AccessToken, 'the password did not change')
})

t.test('public operations stay open to loopback callers without credentials', async (t) => {
  const fresh = newEmail('public')
  const signedUp = await viaFetch('SignUp', { ClientId, Username: fresh, Password: PASSWORD })
  t.equal(signedUp.status, 200)
  t.match(signedUp.body, { UserSub: String, UserConfirmed: false })
  t.notOk('access-control-allow-origin' in signedUp.headers, 'no CORS header on an answer either')
  const refused = await viaFetch('InitiateAuth', { ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: fresh, PASSWORD } })
  t.equal(refused.status, 400, 'an AWS error, not a refusal')
  t.match(refused.body, { __type: 'UserNotConfirmedException' })
  const jwks = await fetch(`${endpoint}/${UserPoolId}/.well-known/jwks.json`)
  t.equal(jwks.status, 200, 'discovery too')
})

t.test('with the admin credentials, as npm run admin presents them, admin operations work', async (t) => {
  const { Users = [] } = await admin.send(new ListUsersCommand({ UserPoolId }))
  t.ok(Users.some((u) => u.Attributes?.some((a) => a.Name === 'email' && a.Value === email)), 'ListUsers')
  await admin.send(new AdminSetUserPasswordCommand({ ...SET_PASSWORD, Password: 'Reset-By-Admin-1' }))
  t.ok((await signIn('Reset-By-Admin-1')).AuthenticationResult?.AccessToken, 'AdminSetUserPassword took effect')
})

t.test('the Host rules', async (t) => {
  for (const host of ['localhost', 'localhost:3000', '127.0.0.1', '127.0.0.1:1', '[::1]', '[::1]:443']) t.ok(isLoopbackHost(host), host)
  for (const host of [undefined, '', 'evil.example', 'localhost.evil.example', 'localhost.', '127.0.0.2', '0.0.0.0', '[::]', '::1', '127.0.0.1:80:80']) t.notOk(isLoopbackHost(host), String(host))
  t.ok(isDevHost('127.0.0.1:3000', false))
  t.notOk(isDevHost('192.168.1.5:3000', false))
  t.ok(isDevHost('192.168.1.5:3000', true), 'exposed: an address a published port is reached by')
  t.ok(isDevHost('[fd00::5]:3000', true))
  t.notOk(isDevHost('evil.example', true), 'exposed: still no name but localhost')
  t.notOk(isDevHost('auth.internal:3000', true))
})

t.test('/dev/mailbox answers loopback Hosts only', async (t) => {
  const app = await build(t)
  const to = await registerUser(new Client(app))
  const mailbox = (host: string) => app.inject({ method: 'GET', url: `/dev/mailbox?to=${encodeURIComponent(to)}`, headers: { host } })

  const rebound = await mailbox('evil.example')
  t.equal(rebound.statusCode, 404)
  t.notMatch(rebound.body, /"code"/, 'no code in the answer')
  t.equal((await mailbox('evil.example:3000')).statusCode, 404)
  t.equal((await mailbox('192.168.1.5:3000')).statusCode, 404, 'an address too, unless exposed')
  for (const host of ['localhost:1234', '127.0.0.1:3000', '[::1]:3000', 'localhost']) {
    const answered = await mailbox(host)
    t.equal(answered.statusCode, 200, host)
    t.match(answered.json(), [{ to, code: /^\d{6}$/ }])
  }
  t.equal((await app.inject({ method: 'GET', url: '/health', headers: { host: 'evil.example' } })).statusCode, 200, 'the rule is for /dev/* only')
})

t.test('/dev/mailbox with EMULATOR_EXPOSE: IP addresses too, still no foreign name', async (t) => {
  const app = await build(t, { env: { EMULATOR_EXPOSE: 'true' } })
  const mailbox = (host: string) => app.inject({ method: 'GET', url: '/dev/mailbox', headers: { host } })
  t.equal((await mailbox('192.168.1.5:3000')).statusCode, 200)
  t.equal((await mailbox('localhost:3000')).statusCode, 200)
  t.equal((await mailbox('evil.example:3000')).statusCode, 404)
})

t.test('the server signs its own admin calls with the emulator\'s credentials', async (t) => {
  const app = await build(t)
  const { accessKeyId, secretAccessKey } = app.emulator?.credentials ?? {}
  t.same(targetFromEnv({ COGNITO_USER_POOL_ID: 'x', COGNITO_ENDPOINT: app.emulator?.pool.endpoint, EMULATOR_DATA_DIR: app.config.emulator.dataDir }).credentials,
    { accessKeyId, secretAccessKey }, 'the ones npm run admin reads from the data directory')
  const registered = await registerUser(new Client(app))
  t.match(await app.cognito.adminFindUser(registered), { username: String, sub: String }, 'AdminGetUser, an admin operation, is answered')
})
