// `npm run provision` --auth-flows and --remember-devices, against the embedded emulator: the app
// client allows the flows named (refresh always), the pool remembers devices as asked, and a
// sign-in there gets a device key; bad values are refused with the usage.
import t, { type Test } from 'tap'
import { DescribeUserPoolClientCommand, DescribeUserPoolCommand, InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider'
import { runProvision } from '../scripts/provision.ts'
import { srpExchange } from './dev/pools.ts'
import { startPool } from './dev/pool.ts'

const { emulator, cognito, dataDir } = await startPool(t)
const env = { COGNITO_ENDPOINT: emulator.endpoint, COGNITO_REGION: emulator.region, EMULATOR_DATA_DIR: dataDir }

/** Runs the CLI; the environment lines it printed, by name. */
async function provisioned (t: Test, args: string[]): Promise<Record<string, string>> {
  const out: string[] = []
  t.equal(await runProvision(['--name', `flows-${Date.now()}`, ...args], env, (line) => out.push(line), (line) => t.fail(line)), 0, args.join(' '))
  t.ok(out.some((l) => l.startsWith('# App client flows:')), 'it says which flows and devices')
  return Object.fromEntries(out.filter((l) => !l.startsWith('#')).map((l) => l.split('=', 2) as [string, string]))
}

t.test('--auth-flows srp --remember-devices opt-in: an SRP-only client on a pool that remembers devices when asked', async (t) => {
  const lines = await provisioned(t, ['--auth-flows', 'srp', '--remember-devices', 'opt-in'])
  const { UserPoolClient } = await cognito.send(new DescribeUserPoolClientCommand({ UserPoolId: lines.COGNITO_USER_POOL_ID, ClientId: lines.COGNITO_CLIENT_ID }))
  t.same(UserPoolClient?.ExplicitAuthFlows, ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'])
  const { UserPool } = await cognito.send(new DescribeUserPoolCommand({ UserPoolId: lines.COGNITO_USER_POOL_ID }))
  t.same(UserPool?.DeviceConfiguration, { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: true })
  // The emulator answers such a pool as AWS would: SRP asked for, USER_PASSWORD_AUTH refused.
  const srp = await cognito.send(new InitiateAuthCommand({ ClientId: lines.COGNITO_CLIENT_ID, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: 'someone@example.com', SRP_A: srpExchange('x').A } }))
  t.equal(srp.ChallengeName, 'PASSWORD_VERIFIER')
  await t.rejects(cognito.send(new InitiateAuthCommand({ ClientId: lines.COGNITO_CLIENT_ID, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'someone@example.com', PASSWORD: 'x' } })),
    { name: 'InvalidParameterException' })
})

t.test('the defaults: today\'s flows and no device tracking; --remember-devices always; AWS\'s names', async (t) => {
  const plain = await provisioned(t, [])
  t.same((await cognito.send(new DescribeUserPoolClientCommand({ UserPoolId: plain.COGNITO_USER_POOL_ID, ClientId: plain.COGNITO_CLIENT_ID }))).UserPoolClient?.ExplicitAuthFlows,
    ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'])
  t.notOk((await cognito.send(new DescribeUserPoolCommand({ UserPoolId: plain.COGNITO_USER_POOL_ID }))).UserPool?.DeviceConfiguration)
  const always = await provisioned(t, ['--auth-flows', 'password,ALLOW_USER_SRP_AUTH,user_auth', '--remember-devices', 'always'])
  t.same((await cognito.send(new DescribeUserPoolClientCommand({ UserPoolId: always.COGNITO_USER_POOL_ID, ClientId: always.COGNITO_CLIENT_ID }))).UserPoolClient?.ExplicitAuthFlows,
    ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_USER_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'])
  t.same((await cognito.send(new DescribeUserPoolCommand({ UserPoolId: always.COGNITO_USER_POOL_ID }))).UserPool?.DeviceConfiguration,
    { ChallengeRequiredOnNewDevice: true, DeviceOnlyRememberedOnUserPrompt: false })
})

t.test('bad values are refused with the usage (exit 2)', async (t) => {
  for (const [args, message] of [
    [['--auth-flows', 'magic'], /--auth-flows: magic is not one of password, srp, user-auth, custom, refresh/],
    [['--auth-flows', 'refresh,custom'], /name at least one of password, srp, user-auth/],
    [['--remember-devices', 'sometimes'], /--remember-devices: always, opt-in or off/]
  ] as const) {
    const errors: string[] = []
    t.equal(await runProvision([...args], env, () => {}, (line) => errors.push(line)), 2)
    t.match(errors.join('\n'), message)
    t.match(errors.join('\n'), /usage: npm run provision/)
  }
})
