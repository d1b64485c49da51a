// SRP sign-in through GraphQL against pools and app clients made through Cognito's API: a client
// that allows only USER_SRP_AUTH signs in, answers TOTP, changes the password and steps up without a
// USER_PASSWORD_AUTH call; `auto` reads the client at start or learns from Cognito's refusal; a
// client that allows neither flow is named at start and by /ready; the SRP math against AWS's library.
import t, { type Test } from 'tap'
import type { CreateUserPoolClientCommandInput } from '@aws-sdk/client-cognito-identity-provider'
import { createHmac, randomBytes } from 'node:crypto'
import { createRequire } from 'node:module'
import { cognitoTimestamp, srpClient } from '../src/srp.ts'
import { failsWith, RESPOND, SETUP_TOTP, SIGN_IN_STEP_DOC, totp, VERIFY_TOTP } from './challenge-helpers.ts'
import { CHANGE_PASSWORD, ME, PASSWORD, REFRESH, SIGN_OUT } from './helper.ts'
import { poolServer, type PoolServerOptions } from './pool-server.ts'

const SRP_ONLY: CreateUserPoolClientCommandInput['ExplicitAuthFlows'] = ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']
const NEW_PASSWORD = 'Battery-Staple-42'

/** The server on a client that allows SRP only (unless `flows` say otherwise). */
const srpServer = async (t: Test, options: PoolServerOptions = {}) => {
  const server = await poolServer(t, { flows: SRP_ONLY, ...options })
  return { ...server, pool: { user: server.user }, client: server.browser }
}

t.test('an SRP-only client: sign-in, password change, step-up, TOTP, refresh; never USER_PASSWORD_AUTH', async (t) => {
  const { pool, proxy, client } = await srpServer(t)
  const email = await pool.user()
  const browser = client()
  const first = await browser.gql(SIGN_IN_STEP_DOC, { email, password: PASSWORD })
  t.equal(first.data?.signIn?.__typename, 'Session', 'signed in with SRP')
  t.equal((await browser.gql(ME)).data?.me?.email, email)
  t.equal((await browser.gql(REFRESH)).data?.refreshSession?.user?.email, email, 'refreshed (SECRET_HASH over Cognito\'s username)')

  const changed = await browser.gql(CHANGE_PASSWORD, { c: PASSWORD, n: NEW_PASSWORD })
  t.equal(changed.data?.changePassword?.__typename, 'Session', 'changePassword checks the old password and signs in again, both by SRP')
  failsWith(t, await browser.gql(SETUP_TOTP, { p: PASSWORD }), 'INVALID_CREDENTIALS')
  const setup = await browser.gql(SETUP_TOTP, { p: NEW_PASSWORD })
  const secret = setup.data?.setupTotp?.secret as string
  t.ok(secret, 'the step-up took the new password')
  t.equal((await browser.gql(VERIFY_TOTP, { code: totp(secret) })).errors, undefined)
  await browser.gql(SIGN_OUT)

  const asked = await browser.gql(SIGN_IN_STEP_DOC, { email, password: NEW_PASSWORD })
  t.equal(asked.data?.signIn?.name, 'SOFTWARE_TOKEN_MFA', 'the second factor after the SRP proof')
  const answered = await browser.gql(RESPOND, { input: { name: 'SOFTWARE_TOKEN_MFA', code: totp(secret, 1) } })
  t.equal(answered.data?.respondToChallenge?.__typename, 'Session')

  t.notOk(proxy.authFlows.includes('USER_PASSWORD_AUTH'), 'the server never sent USER_PASSWORD_AUTH')
  t.ok(proxy.authFlows.filter((flow) => flow === 'USER_SRP_AUTH').length >= 5, 'every password went by USER_SRP_AUTH')
})

t.test('SELECT_CHALLENGE with a password answers PASSWORD_SRP and the proof', async (t) => {
  const { pool, proxy, client } = await srpServer(t, { flows: ['ALLOW_USER_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] })
  const email = await pool.user()
  const browser = client()
  const choice = await browser.gql('mutation ($email: String!) { signIn(input: { email: $email }) { __typename ... on Challenge { name availableMethods } } }', { email })
  t.equal(choice.data?.signIn?.name, 'SELECT_CHALLENGE')
  const wrong = client()
  await wrong.gql('mutation ($email: String!) { signIn(input: { email: $email }) { __typename } }', { email })
  failsWith(t, await wrong.gql(RESPOND, { input: { name: 'SELECT_CHALLENGE', method: 'PASSWORD', password: 'Wrong-Horse-99' } }), 'INVALID_CREDENTIALS')
  const answered = await browser.gql(RESPOND, { input: { name: 'SELECT_CHALLENGE', method: 'PASSWORD', password: PASSWORD } })
  t.equal(answered.data?.respondToChallenge?.__typename, 'Session', 'the password chosen, proven by SRP')
  t.same(proxy.authFlows, ['USER_AUTH', 'USER_AUTH'], 'no USER_PASSWORD_AUTH, and no PASSWORD answer either')
})

t.test('a wrong password and an unknown email answer alike', async (t) => {
  const { pool, client } = await srpServer(t)
  const email = await pool.user()
  const wrong = await client().gql(SIGN_IN_STEP_DOC, { email, password: 'Wrong-Horse-99' })
  const unknown = await client().gql(SIGN_IN_STEP_DOC, { email: `nobody-${Date.now()}@example.com`, password: PASSWORD })
  failsWith(t, wrong, 'INVALID_CREDENTIALS')
  failsWith(t, unknown, 'INVALID_CREDENTIALS')
  t.equal(wrong.errors?.[0]?.message, unknown.errors?.[0]?.message, 'one message for both')
  t.same(wrong.response.cookies, unknown.response.cookies, 'and the same cookies (none)')
})

t.test('auto without admin credentials: the refusal of USER_PASSWORD_AUTH is learned once', async (t) => {
  const { pool, proxy, client } = await srpServer(t, { noAdmin: true })
  const email = await pool.user()
  for (let i = 0; i < 2; i++) {
    t.equal((await client().gql(SIGN_IN_STEP_DOC, { email, password: PASSWORD })).data?.signIn?.__typename, 'Session', `sign-in ${i + 1}`)
  }
  t.same(proxy.authFlows, ['USER_PASSWORD_AUTH', 'USER_SRP_AUTH', 'USER_SRP_AUTH'], 'tried once, refused, SRP from then on')
})

t.test('auto with both flows allowed picks USER_PASSWORD_AUTH; COGNITO_PASSWORD_FLOW=srp forces SRP', async (t) => {
  const both: PoolServerOptions['flows'] = ['ALLOW_USER_SRP_AUTH', 'ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH']
  const auto = await srpServer(t, { flows: both })
  t.equal((await auto.client().gql(SIGN_IN_STEP_DOC, { email: await auto.pool.user(), password: PASSWORD })).data?.signIn?.__typename, 'Session')
  t.same(auto.proxy.authFlows, ['USER_PASSWORD_AUTH'])
  const forced = await srpServer(t, { flows: both, env: { COGNITO_PASSWORD_FLOW: 'srp' } })
  t.equal((await forced.client().gql(SIGN_IN_STEP_DOC, { email: await forced.pool.user(), password: PASSWORD })).data?.signIn?.__typename, 'Session')
  t.same(forced.proxy.authFlows, ['USER_SRP_AUTH'])
})

t.test('a client that allows neither password flow: one line at start, and /ready names it', async (t) => {
  const logs: string[] = []
  const { app, pool, client } = await srpServer(t, { flows: ['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_CUSTOM_AUTH'], logs })
  const lines = logs.map((line) => JSON.parse(line) as { msg: string }).filter((line) => /allows neither USER_PASSWORD_AUTH nor USER_SRP_AUTH/.test(line.msg))
  t.equal(lines.length, 1, 'said once')
  const ready = await app.inject({ method: 'GET', url: '/ready' })
  t.match(ready.json(), { passwordFlow: 'none' })
  t.equal((await client().gql(SIGN_IN_STEP_DOC, { email: await pool.user(), password: PASSWORD })).data?.signIn ?? null, null, 'no password signs in')
})

t.test('the SRP math against amazon-cognito-identity-js (AWS\'s own browser library)', async (t) => {
  const require = createRequire(import.meta.url)
  const cognitoJs = require('amazon-cognito-identity-js') as { AuthenticationHelper: new (prefix: string) => LibraryHelper }
  const { default: BigInteger } = require('amazon-cognito-identity-js/lib/BigInteger.js') as { default: new (hex: string, radix: number) => { toString: (radix: number) => string } }
  t.equal(cognitoTimestamp(new Date('2026-09-05T08:03:04Z')), 'Sat Sep 5 08:03:04 UTC 2026', 'TIMESTAMP in Cognito\'s form')
  // One exchange made twice, by the library and by us, from the same private a, salt and server B.
  const aHex = randomBytes(128).toString('hex')
  const helper = new cognitoJs.AuthenticationHelper('Pool1')
  helper.smallAValue = new BigInteger(aHex, 16)
  helper.largeAValue = undefined
  let libraryA = ''
  helper.getLargeAValue((_err, value) => { libraryA = value.toString(16) })
  const ours = srpClient(BigInt(`0x${aHex}`))
  t.equal(ours.A, libraryA, 'the same A')
  const server = { SRP_B: randomBytes(384).toString('hex').replace(/^0+/, ''), SALT: randomBytes(16).toString('hex'), SECRET_BLOCK: randomBytes(64).toString('base64') }
  const timestamp = cognitoTimestamp()
  let key: Buffer = Buffer.alloc(0)
  helper.getPasswordAuthenticationKey('user-id', PASSWORD, new BigInteger(server.SRP_B, 16), new BigInteger(server.SALT, 16), (_err, k) => { key = k })
  const message = Buffer.concat([Buffer.from('Pool1'), Buffer.from('user-id'), Buffer.from(server.SECRET_BLOCK, 'base64'), Buffer.from(timestamp)])
  const expected = createHmac('sha256', key).update(message).digest('base64')
  t.equal(ours.claim({ prefix: 'Pool1', id: 'user-id' }, PASSWORD, server, timestamp)?.PASSWORD_CLAIM_SIGNATURE, expected, 'the same PASSWORD_CLAIM_SIGNATURE')
  t.equal(ours.claim({ prefix: 'p', id: 'u' }, 'pw', { SRP_B: '0', SALT: '01', SECRET_BLOCK: 'AA==' }), undefined, 'a B of 0 is refused')
})

/** The parts of the library's AuthenticationHelper this test sets and reads (its typings leave it out). */
interface LibraryHelper {
  smallAValue: unknown
  largeAValue: unknown
  getLargeAValue (cb: (err: unknown, A: { toString (radix: number): string }) => void): void
  getPasswordAuthenticationKey (id: string, secret: string, B: unknown, salt: unknown, cb: (err: unknown, key: Buffer) => void): void
}
