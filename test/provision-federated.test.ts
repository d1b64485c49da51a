// `npm run provision`'s federated sign-in step (scripts/managed-login.ts): the managed-login
// domain and the app client's OAuth settings, for a new pool or an existing one, against the
// embedded emulator. The emulator has no CreateUserPoolDomain: a stand-in answers that one call
// as AWS does and passes every other call on.
import { createServer, request as httpRequest } from 'node:http'
import type { AddressInfo } from 'node:net'
import { DescribeUserPoolClientCommand } from '@aws-sdk/client-cognito-identity-provider'
import t, { type Test } from 'tap'
import { cognitoClient } from '../scripts/admin.ts'
import { configureManagedLogin } from '../scripts/managed-login.ts'
import { provision, runProvision } from '../scripts/provision.ts'
import { emulatorInTempDir } from './helper.ts'

/** An emulator, and in front of it a stand-in for CreateUserPoolDomain that records what it was asked. */
async function emulatorWithDomains (t: Test) {
  const { emulator, dataDir } = await emulatorInTempDir(t)
  const target = new URL(emulator.endpoint)
  const domains: Array<Record<string, unknown>> = []
  const front = createServer((req, res) => {
    if (req.headers['x-amz-target'] === 'AWSCognitoIdentityProviderService.CreateUserPoolDomain') {
      const chunks: Buffer[] = []
      req.on('data', (chunk: Buffer) => chunks.push(chunk))
      req.on('end', () => {
        domains.push(JSON.parse(Buffer.concat(chunks).toString()))
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end('{}')
      })
      return
    }
    const upstream = httpRequest({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(res)
    })
    req.pipe(upstream)
  })
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve))
  const endpoint = `http://127.0.0.1:${(front.address() as AddressInfo).port}`
  t.teardown(async () => {
    front.closeAllConnections()
    await new Promise((resolve) => front.close(resolve))
  })
  const cognito = cognitoClient({ region: emulator.region, endpoint, credentials: emulator.credentials })
  t.teardown(() => cognito.destroy())
  return { emulator, endpoint, dataDir, domains, cognito }
}

const OPTIONS = { name: 'fed', refreshTokenDays: 7, clientSecret: true, mfa: 'OPTIONAL' as const, adminGroup: 'admin', relyingPartyId: 'localhost' }

t.test('the domain and the app client\'s OAuth settings; the client\'s other settings stay', async (t) => {
  const { domains, cognito } = await emulatorWithDomains(t)
  const pool = await provision(cognito, OPTIONS)
  const result = await configureManagedLogin(cognito, {
    userPoolId: pool.userPoolId, clientId: pool.clientId, region: 'eu-west-1', publicOrigin: 'https://app.example.com', providers: ['Google', 'DevIdP'], logoutPaths: ['/', '/spa/', '/spa/'], domainPrefix: 'myapp'
  })
  t.same(domains, [{ UserPoolId: pool.userPoolId, Domain: 'myapp' }], 'CreateUserPoolDomain with the prefix')
  t.same(result, {
    domain: 'https://myapp.auth.eu-west-1.amazoncognito.com',
    callbackUrl: 'https://app.example.com/auth/oauth/callback',
    logoutUrls: ['https://app.example.com/', 'https://app.example.com/spa/']
  })
  const { UserPoolClient: client } = await cognito.send(new DescribeUserPoolClientCommand({ UserPoolId: pool.userPoolId, ClientId: pool.clientId }))
  t.match(client, {
    AllowedOAuthFlows: ['code'],
    AllowedOAuthScopes: ['openid', 'email', 'profile', 'aws.cognito.signin.user.admin'],
    AllowedOAuthFlowsUserPoolClient: true,
    CallbackURLs: ['https://app.example.com/auth/oauth/callback'],
    LogoutURLs: ['https://app.example.com/', 'https://app.example.com/spa/'],
    SupportedIdentityProviders: ['Google', 'DevIdP'],
    // Carried over: UpdateUserPoolClient resets what it is not given (on AWS).
    ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    RefreshTokenValidity: 7,
    EnableTokenRevocation: true,
    PreventUserExistenceErrors: 'ENABLED',
    WriteAttributes: ['email', 'name']
  })
  t.ok(client?.ClientSecret, 'the secret stays')
})

t.test('the CLI: a new pool with federated sign-in, then an existing pool, and what it refuses', async (t) => {
  const { endpoint, dataDir, domains, cognito } = await emulatorWithDomains(t)
  const env = { COGNITO_ENDPOINT: endpoint, COGNITO_REGION: 'eu-west-1', EMULATOR_DATA_DIR: dataDir }
  const out: string[] = []
  t.equal(await runProvision(['--domain-prefix', 'first-app', '--public-origin', 'https://app.example.com'], env, (line) => out.push(line)), 0)
  const lines = Object.fromEntries(out.filter((l) => !l.startsWith('#')).map((l) => l.split('=', 2) as [string, string]))
  t.match(lines, { COGNITO_USER_POOL_ID: /_/, COGNITO_DOMAIN: 'https://first-app.auth.eu-west-1.amazoncognito.com', OAUTH_PROVIDERS: '', PUBLIC_ORIGIN: 'https://app.example.com' })
  t.ok(out.some((l) => l.includes('callback URL https://app.example.com/auth/oauth/callback')), 'it says what it set')
  t.ok(out.some((l) => l.includes('none yet')), 'and that no provider is offered yet')
  t.equal(domains.length, 1)

  // The providers added, the existing pool gets them (no new pool, no new domain).
  const existing = ['--user-pool-id', lines.COGNITO_USER_POOL_ID as string, '--client-id', lines.COGNITO_CLIENT_ID as string]
  const again: string[] = []
  t.equal(await runProvision([...existing, '--providers', 'Google,DevIdP', '--logout-path', '/spa/'], { ...env, PUBLIC_ORIGIN: 'https://app.example.com' }, (line) => again.push(line)), 0)
  t.same(again.filter((l) => !l.startsWith('#')), ['OAUTH_PROVIDERS=Google,DevIdP', 'PUBLIC_ORIGIN=https://app.example.com'])
  t.equal(domains.length, 1, 'no domain without --domain-prefix')
  const { UserPoolClient: client } = await cognito.send(new DescribeUserPoolClientCommand({ UserPoolId: lines.COGNITO_USER_POOL_ID, ClientId: lines.COGNITO_CLIENT_ID }))
  t.same(client?.SupportedIdentityProviders, ['Google', 'DevIdP'])
  t.same(client?.LogoutURLs, ['https://app.example.com/spa/'])

  const refused = async (args: string[], message: RegExp) => {
    const errors: string[] = []
    t.equal(await runProvision(args, env, () => {}, (line) => errors.push(line)), 2, args.join(' '))
    t.match(errors.join('\n'), message)
  }
  await refused(['--user-pool-id', 'eu-west-1_X'], /--user-pool-id and --client-id go together/)
  await refused(['--providers', 'Google'], /needs --public-origin/)
  await refused(['--providers', 'Google', '--public-origin', 'https://app.example.com/path'], /needs --public-origin/)
  await refused(['--domain-prefix', 'Bad_Prefix', '--public-origin', 'https://app.example.com'], /--domain-prefix/)
  await refused(['--providers', 'Google', '--public-origin', 'https://app.example.com', '--logout-path', '//evil.example'], /--logout-path/)
})
