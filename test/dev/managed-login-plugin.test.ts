// The dev plugin's managed-login wiring: the emulator's domain and DevIdP in userPool.managedLogin,
// and the server's redirect URLs on the app client, exact, including the real port with PORT=0.
import type { AddressInfo } from 'node:net'
import t from 'tap'
import { DescribeUserPoolClientCommand } from '@aws-sdk/client-cognito-identity-provider'
import { build, emulatorClient } from '../helper.ts'

t.test('userPool.managedLogin is the emulator\'s domain with DevIdP; the callback URLs follow the listening port', async t => {
  const app = await build(t, { env: { PORT: '0' } })
  const embedded = app.emulator
  if (embedded === undefined) throw new Error('no embedded emulator')
  const managedLogin = app.userPool.managedLogin
  t.same(managedLogin?.providers, ['DevIdP'])
  t.match(managedLogin?.domain, /^http:\/\/localhost:\d+$/)
  t.equal(new URL(managedLogin?.domain ?? 'http://x').port, new URL(embedded.pool.endpoint ?? 'http://x').port, 'the emulator\'s own server')

  const cognito = emulatorClient(t, { endpoint: embedded.pool.endpoint, region: embedded.pool.region, credentials: embedded.credentials })
  const describe = async () => (await cognito.send(new DescribeUserPoolClientCommand({ UserPoolId: embedded.pool.userPoolId, ClientId: embedded.pool.clientId }))).UserPoolClient
  const before = await describe()
  t.same(before?.CallbackURLs, ['http://localhost:0/auth/oauth/callback'])
  t.same(before?.AllowedOAuthFlows, ['code'])
  t.same(before?.SupportedIdentityProviders, ['DevIdP', 'COGNITO'])
  t.match(before?.AllowedOAuthScopes, ['openid', 'email', 'profile'])

  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address() as AddressInfo
  const after = await describe()
  t.ok(after?.CallbackURLs?.includes(`http://localhost:${port}/auth/oauth/callback`), 'the real port\'s callback URL, once listening')
  t.ok(after?.LogoutURLs?.includes(`http://localhost:${port}/`))
  t.ok(after?.LogoutURLs?.includes(`http://localhost:${port}/spa/`))
  t.notOk(after?.CallbackURLs?.some(url => url.startsWith('http://127.0.0.1')), 'localhost only: exact matching')
})

t.test('an explicit PUBLIC_ORIGIN is registered as it is', async t => {
  const app = await build(t, { env: { PUBLIC_ORIGIN: 'http://localhost:8123' } })
  const embedded = app.emulator
  if (embedded === undefined) throw new Error('no embedded emulator')
  const cognito = emulatorClient(t, { endpoint: embedded.pool.endpoint, region: embedded.pool.region, credentials: embedded.credentials })
  const { UserPoolClient } = await cognito.send(new DescribeUserPoolClientCommand({ UserPoolId: embedded.pool.userPoolId, ClientId: embedded.pool.clientId }))
  t.same(UserPoolClient?.CallbackURLs, ['http://localhost:8123/auth/oauth/callback'])
  t.same(UserPoolClient?.LogoutURLs, ['http://localhost:8123/', 'http://localhost:8123/spa/'])
})
