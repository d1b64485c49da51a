// `npm run doctor` as a user runs it: a child process with its exit code and text, the embedded
// emulator of a running server found without variables, credentials that lack a permission or are
// missing (never a crash: the verdicts it could not make say how to grant the read), and read-only.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { runDoctor } from '../scripts/doctor.ts'
import type { Report } from '../src/doctor/doctor.ts'
import { SERVER_ADMIN_ACTIONS } from '../src/doctor/fixes.ts'
import { READS } from '../src/doctor/read-pool.ts'
import { createApiPool } from './dev/pools.ts'
import { startPool } from './dev/pool.ts'
import { FaultProxy } from './fault-proxy.ts'
import { build, runScript, withAwsCredentials } from './helper.ts'

const root = join(import.meta.dirname, '..')
const { emulator, cognito, dataDir } = await startPool(t)

/** A pool whose client's refresh tokens live 5 days, against the default REFRESH_TOKEN_TTL of 30. */
const shortRefresh = await createApiPool(cognito, {
  client: { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'], PreventUserExistenceErrors: 'ENABLED', RefreshTokenValidity: 5 }
})
const poolEnv = (pool: { userPoolId: string, clientId: string }, endpoint = emulator.endpoint) =>
  ({ NODE_ENV: 'test', COGNITO_USER_POOL_ID: pool.userPoolId, COGNITO_CLIENT_ID: pool.clientId, COGNITO_ENDPOINT: endpoint, EMULATOR_DATA_DIR: dataDir })

/** The doctor in this process, as the script runs it. */
async function doctor (env: Record<string, string>, args = ['--json']) {
  let out = ''
  let err = ''
  const code = await runDoctor(args, env, (text) => { out += text }, (text) => { err += text })
  const report = (args.includes('--json') && out !== '' ? JSON.parse(out) : { pool: {}, features: [] }) as Report
  return { code, out, err, report, feature: (name: string) => report.features.find((f) => f.name === name) }
}

t.test('the script: a misconfigured pool exits 1 naming the fix, one line per feature; --json the same verdicts', async (t) => {
  const text = await runScript(t, 'scripts/doctor.ts', [], poolEnv(shortRefresh))
  t.equal(text.code, 1, text.stderr)
  t.match(text.stdout, /^user pool \S+: sign-in by email, MFA OFF, feature plan /)
  t.match(text.stdout, /\nCHANGE {2}token-lifetimes +REFRESH_TOKEN_TTL 30d but the client's refresh tokens live 5d/)
  t.match(text.stdout, /\n +fix: REFRESH_TOKEN_TTL=5d, or `aws cognito-idp update-user-pool-client /, 'the fix under the verdict')
  t.match(text.stdout, /\nworks {3}password-sign-in /)
  t.match(text.stdout, /\noff {5}totp /)
  t.match(text.stdout, /\n1 feature needs a change$/m)

  const json = await runScript(t, 'scripts/doctor.ts', ['--json'], poolEnv(shortRefresh))
  t.equal(json.code, 1, json.stderr)
  const report = JSON.parse(json.stdout) as Report
  t.match(report.features.find((f) => f.name === 'token-lifetimes'), { status: 'change', fix: /^REFRESH_TOKEN_TTL=5d/ })
  const lines = text.stdout.split('\n').filter((line) => /^(works|off|CHANGE) /.test(line))
  t.same(lines.map((line) => line.split(/\s+/)[1]), report.features.map((f) => f.name), 'one line per feature, in the JSON\'s order')
})

t.test('exit 0 when nothing needs a change; 2 when there is no pool to read', async (t) => {
  const fine = await doctor({ ...poolEnv(shortRefresh), REFRESH_TOKEN_TTL: '5d' }, [])
  t.equal(fine.code, 0, fine.err)
  t.match(fine.out, /nothing needs a change$/)
  const none = await doctor({ NODE_ENV: 'test', EMULATOR_DATA_DIR: t.testdir() })
  t.equal(none.code, 2)
  t.match(none.err, /^doctor: no user pool: set COGNITO_USER_POOL_ID and COGNITO_CLIENT_ID/)
  const gone = await doctor({ ...poolEnv(shortRefresh), COGNITO_USER_POOL_ID: 'eu-west-1_NotThere1' })
  t.equal(gone.code, 2)
  t.match(gone.err, /there is no user pool eu-west-1_NotThere1 \(COGNITO_USER_POOL_ID\)/)
  const client = await doctor({ ...poolEnv(shortRefresh), COGNITO_CLIENT_ID: 'nosuchclient' })
  t.match(client.err, /has no app client nosuchclient \(COGNITO_CLIENT_ID\)/)
})

t.test('finds the embedded emulator of a running server, as npm run admin does', async (t) => {
  const running = t.testdir()
  await build(t, { env: { EMULATOR_DATA_DIR: running } })
  const { code, report, feature, err } = await doctor({ NODE_ENV: 'test', EMULATOR_DATA_DIR: running })
  t.equal(code, 0, err)
  t.match(report.pool, { id: /_/, signInNames: ['email'], mfa: 'OPTIONAL' })
  t.match(feature('federated:DevIdP'), { status: 'works', detail: /embedded emulator's managed login/ })
  t.match(feature('admin'), { status: 'works', detail: /members of admin/ })
})

const DENIED = (operation: string) => ({
  kind: 'exception' as const,
  name: 'AccessDeniedException',
  message: `User: arn:aws:iam::123456789012:user/doctor is not authorized to perform: cognito-idp:${operation} on resource: arn:aws:cognito-idp:eu-west-1:123456789012:userpool/${emulator.userPoolId} because no identity-based policy allows the cognito-idp:${operation} action`
})

t.test('a missing permission: the verdicts that need the read say so and how to grant it; the others are made; only reads are sent', async (t) => {
  const proxy = new FaultProxy(emulator.endpoint)
  await proxy.start()
  t.teardown(() => proxy.close())
  proxy.set('DescribeUserPool', DENIED('DescribeUserPool'))
  proxy.set('AdminGetUser', DENIED('AdminGetUser'))
  proxy.set('ListGroups', { kind: 'page', status: 500 }) // as moto answers an operation it lacks
  const { code, report, feature, err } = await doctor(poolEnv({ userPoolId: emulator.userPoolId, clientId: emulator.clientId }, proxy.endpoint))
  t.equal(code, 1, err)
  t.equal(err, '', 'no crash, no error')
  t.same(report.pool.signInNames, [], 'the sign-in names need DescribeUserPool')
  const statement = '{"Effect":"Allow","Action":["cognito-idp:DescribeUserPool"],"Resource":"arn:aws:cognito-idp:eu-west-1:123456789012:userpool/'
  for (const name of ['password-sign-in', 'email-code', 'passkeys', 'remembered-devices', 'custom-challenge', 'attributes']) {
    t.match(feature(name), { status: 'change', detail: 'not judged: the credentials may not call DescribeUserPool' }, name)
    t.ok(feature(name)?.fix?.startsWith('allow DescribeUserPool to arn:aws:iam::123456789012:user/doctor: add the IAM policy statement ') &&
      feature(name)?.fix?.includes(statement), `${name}: the statement for the principal AWS named, on the pool`)
  }
  t.match(feature('sign-up'), { status: 'change', detail: /^the admin credentials may not call AdminGetUser: sign-up's pre-registration defence needs AdminGetUser/, fix: /cognito-idp:AdminGetUser","cognito-idp:AdminDeleteUser"/ })
  t.match(feature('admin'), { status: 'change', detail: 'not judged: the endpoint (COGNITO_ENDPOINT) does not implement ListGroups', fix: /^none from here/ }, 'an operation the endpoint lacks')
  t.match(feature('existence-hiding'), { status: 'change', detail: /^the admin credentials may not call AdminGetUser: signUp answers alike/, fix: /cognito-idp:AdminGetUser/ })
  for (const name of ['srp-sign-in', 'totp', 'token-lifetimes', 'refresh-rotation']) t.not(feature(name)?.detail.startsWith('not judged'), true, `${name} is still judged`)
  t.same([...proxy.calls.keys()].filter((operation) => !(READS as readonly string[]).includes(operation)), [], 'only Describe, Get and List operations and one AdminGetUser')
  t.ok([...proxy.calls.keys()].length >= 4)
})

t.test('no usable credentials: sign-up says it needs AdminGetUser, every other verdict says where the credentials come from', async (t) => {
  withAwsCredentials(t, { accessKeyId: 'AKIANOTTHEEMULATORS', secretAccessKey: 'not-the-emulators-secret-key' })
  const { code, feature, err } = await doctor({ ...poolEnv(shortRefresh), EMULATOR_DATA_DIR: t.testdir() })
  t.equal(code, 1, err)
  t.match(feature('sign-up'), { status: 'change', detail: /^no admin credentials: sign-up's pre-registration defence needs AdminGetUser/, fix: /^give the emulator's admin credentials/ })
  t.match(feature('totp'), { status: 'change', detail: 'not judged: there are no usable admin credentials', fix: /EMULATOR_DATA_DIR/ })
})

t.test('docs/existing-pools.md\'s IAM policy allows the server\'s admin calls and the doctor\'s reads, and nothing else', async (t) => {
  const page = readFileSync(join(root, 'docs', 'existing-pools.md'), 'utf8')
  const policy = JSON.parse(/## Credentials[\s\S]*?```json\n([\s\S]*?)```/.exec(page)?.[1] ?? '{}') as { Statement: Array<{ Action: string[] }> }
  const actions = policy.Statement.flatMap((s) => s.Action).map((a) => a.replace('cognito-idp:', ''))
  t.same(actions.toSorted(), [...new Set([...SERVER_ADMIN_ACTIONS, ...READS])].toSorted())
})
