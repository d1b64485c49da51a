import { join } from 'node:path'
import t from 'tap'
import { loadOrCreateSigningKey, signJwt } from '../src/dev/tokens.ts'
import { RELAXED_LIMITS, RESPOND, SIGN_IN_STEP_DOC, totp, withTotp } from './challenge-helpers.ts'
import { build, Client, withAwsCredentials, ME, newEmail, PASSWORD, registerUser, emulatorInTempDir } from './helper.ts'
import { FaultProxy } from './fault-proxy.ts'

t.test('a correctly signed token without exp is refused', async (t) => {
  const dir = t.testdir()
  const app = await build(t, { env: { EMULATOR_DATA_DIR: dir } })
  const client = new Client(app)
  await registerUser(client)
  const key = await loadOrCreateSigningKey(join(dir, 'signing-key.json'))
  const pool = app.emulator?.pool
  const issuer = `https://cognito-idp.${pool?.region}.amazonaws.com/${pool?.userPoolId}`
  const now = Math.floor(Date.now() / 1000)
  const base = { sub: 'forever', iss: issuer, client_id: pool?.clientId, token_use: 'access', scope: 'aws.cognito.signin.user.admin', auth_time: now, iat: now, jti: 'j-forever', username: 'forever' }
  const withExp = signJwt(key, { ...base, exp: now + 600 })
  const withoutExp = signJwt(key, base)
  const asBearer = async (token: string) => (await new Client(app).gql('{ me { id } }', undefined, { authorization: `Bearer ${token}` }))
  // The control: the same claims with an expiry verify (and `me` then asks Cognito about the user).
  t.not((await asBearer(withExp)).data?.me, null, 'the same token with exp is accepted by the verifier')
  t.same((await asBearer(withoutExp)).data, { me: null }, 'without exp it gives no session')
})

t.test('a sign-in that succeeds while the signing keys are not loaded leaves no live refresh token', async (t) => {
  const { emulator } = await emulatorInTempDir(t)
  const proxy = new FaultProxy(emulator.endpoint)
  await proxy.start()
  t.teardown(async () => { await proxy.close() })
  const pool = { COGNITO_USER_POOL_ID: emulator.userPoolId, COGNITO_CLIENT_ID: emulator.clientId, COGNITO_ENDPOINT: proxy.endpoint }
  // With the keys handed over, to register the user; without them (their URI answers nothing), to sign in.
  const ready = await build(t, { env: pool, jwks: emulator.jwks })
  const email = newEmail()
  const registrar = new Client(ready, emulator.mailbox)
  withAwsCredentials(t, emulator.credentials)
  await registerUser(registrar, email)
  const keyless = await build(t, { env: { ...pool, COGNITO_JWKS_URI: 'http://127.0.0.1:9/.well-known/jwks.json' } })
  const client = new Client(keyless, emulator.mailbox)
  const revokedBefore = proxy.count('RevokeToken')
  const res = await client.gql(SIGN_IN_STEP_DOC, { email, password: PASSWORD })
  t.same(res.codes, ['SERVICE_UNAVAILABLE'], 'no session can start')
  t.same(client.sessionCookies(), [], 'no cookies')
  t.equal(proxy.count('RevokeToken') - revokedBefore, 1, 'the refresh token Cognito issued was revoked')
})

t.test('a TOTP code sent to a spent challenge is not used up', async (t) => {
  const app = await build(t, { env: RELAXED_LIMITS })
  const { email, secret } = await withTotp(new Client(app))
  const first = new Client(app)
  t.equal((await first.gql(SIGN_IN_STEP_DOC, { email, password: PASSWORD })).data?.signIn?.name, 'SOFTWARE_TOKEN_MFA')
  const replay = first.clone()
  // The codes of this step were spent by the set-up: the next step's code is valid now and unused.
  const code = totp(secret, 1)
  const earlier = totp(secret, -1)
  t.equal((await first.gql(RESPOND, { input: { name: 'SOFTWARE_TOKEN_MFA', code: earlier } })).data?.respondToChallenge?.__typename, 'Session', 'the challenge is answered')
  t.same((await replay.gql(RESPOND, { input: { name: 'SOFTWARE_TOKEN_MFA', code } })).codes, ['CHALLENGE_EXPIRED'], 'a fresh code sent to the spent challenge is refused')
  const again = new Client(app)
  t.equal((await again.gql(SIGN_IN_STEP_DOC, { email, password: PASSWORD })).data?.signIn?.name, 'SOFTWARE_TOKEN_MFA')
  const answer = await again.gql(RESPOND, { input: { name: 'SOFTWARE_TOKEN_MFA', code } })
  t.equal(answer.data?.respondToChallenge?.__typename, 'Session', 'the same code signs in on a new challenge')
  t.not((await again.gql(ME)).data?.me, null)
})
