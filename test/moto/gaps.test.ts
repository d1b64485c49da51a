// What moto lacks, and where it differs from AWS, asserted as what it is (docs/moto.md lists each):
// an operation or auth flow it lacks is answered NOT_SUPPORTED at once, never retried, and named
// by /ready, which stays 200; each difference as it shows through the API. None is worked around.
import { AdminGetUserCommand, AdminUpdateUserAttributesCommand, SetUserPoolMfaConfigCommand } from '@aws-sdk/client-cognito-identity-provider'
import t, { type Test } from 'tap'
import { Client, CONFIRM_SIGN_UP, DELETE_ACCOUNT, ME, newEmail, PASSWORD, REFRESH, SIGN_IN, SIGN_OUT, SIGN_UP, type GraphQLResponse } from '../helper.ts'
import { failsWith, RELAXED_LIMITS, SIGN_IN_STEP_DOC } from '../challenge-helpers.ts'
import { FaultProxy } from '../fault-proxy.ts'
import { buildOnMoto, createPool, inRegion, signedIn, signedInAdmin, startMoto } from './moto-server.ts'

const moto = await startMoto(t)
const pool = await createPool(moto)
const USERS = 'query ($filter: String, $after: String) { users(filter: $filter, first: 1, after: $after) { nodes { email emailVerified } endCursor } }'

/** Asserts NOT_SUPPORTED with its clear message: no AWS name, no HTML page passed on. */
function notSupported (t: Test, res: GraphQLResponse): void {
  failsWith(t, res, 'NOT_SUPPORTED', /^The identity service does not support this operation\.$/)
  t.notMatch(res.response.body, /doctype|html/i, 'nothing of moto\'s page')
}

t.test('what moto lacks: NOT_SUPPORTED at once (not retried as an outage), named by /ready, which stays 200', async (t) => {
  // A counting pass-through: moto sees every call, the test sees how often each was made.
  const proxy = new FaultProxy(moto.endpoint)
  await proxy.start()
  t.teardown(() => proxy.close())
  const app = await buildOnMoto(t, { ...moto, endpoint: proxy.endpoint }, pool, RELAXED_LIMITS)
  const once = async (operation: string, request: () => Promise<GraphQLResponse>): Promise<GraphQLResponse> => {
    const before = proxy.count(operation)
    const res = await request()
    t.equal(proxy.count(operation) - before, 1, `${operation}: asked once`)
    return res
  }

  const client = new Client(app)
  const email = newEmail()
  await client.gql(SIGN_UP, { input: { email, password: PASSWORD } })
  notSupported(t, await once('ResendConfirmationCode', async () => await client.gql('mutation ($email: String!) { resendConfirmationCode(input: { email: $email }) { destination } }', { email })))
  notSupported(t, await client.gql('mutation ($email: String!) { resendConfirmationCode(input: { email: $email }) { destination } }', { email: newEmail('nobody') }))
  await client.gql(CONFIRM_SIGN_UP, { email, code: '000000' })

  // USER_AUTH is not in moto's AuthFlow enum: a validation error, not an outage and not bad input.
  for (const method of ['EMAIL_CODE', 'PASSKEY']) {
    notSupported(t, await new Client(app).gql(`mutation ($email: String!) { signIn(input: { email: $email, method: ${method} }) { __typename } }`, { email }))
  }
  await client.gql(SIGN_IN, { email, password: PASSWORD })
  notSupported(t, await once('StartWebAuthnRegistration', async () => await client.gql('mutation { startPasskeyRegistration { publicKeyOptions } }')))
  notSupported(t, await once('VerifyUserAttribute', async () => await client.gql('mutation { verifyEmail(input: { code: "123456" }) { email } }')))
  notSupported(t, await once('GetUserAttributeVerificationCode', async () => await client.gql('mutation { resendEmailVerificationCode { destination } }')))
  notSupported(t, await once('DeleteUser', async () => await client.gql(DELETE_ACCOUNT, { p: PASSWORD })))
  t.equal((await client.gql(ME)).data?.me.email, email, 'still there, still signed in')

  const before = client.clone()
  const signOut = await once('RevokeToken', async () => await client.gql(SIGN_OUT))
  t.equal(signOut.data?.signOut, true, 'signOut without RevokeToken: the session still ends here')
  failsWith(t, await before.gql(REFRESH), 'UNAUTHENTICATED')

  const ready = await app.inject('/ready')
  t.equal(ready.statusCode, 200, 'moto is up: the server stays ready')
  t.same(ready.json(), {
    status: 'ready',
    keys: true,
    unsupported: ['DeleteUser', 'GetUserAttributeVerificationCode', 'InitiateAuth:USER_AUTH', 'ResendConfirmationCode', 'RevokeToken', 'StartWebAuthnRegistration', 'VerifyUserAttribute']
  }, 'every operation (and auth flow) met that moto lacks, by Cognito\'s names')
})

t.test('refresh-token rotation: moto lacks GetTokensFromRefreshToken; the session stays', async (t) => {
  const app = await buildOnMoto(t, moto, pool, { REFRESH_TOKEN_ROTATION: 'true' })
  const client = new Client(app)
  const email = await signedIn(client)
  notSupported(t, await client.gql(REFRESH))
  t.equal((await client.gql(ME)).data?.me.email, email, 'the session is not ended by what the endpoint lacks')
  t.same((await app.inject('/ready')).json().unsupported, ['GetTokensFromRefreshToken'])
})

t.test('an email change: moto ties refresh tokens to the sign-in name and crashes on the next refresh (an HTML 500, as for an action it lacks)', async (t) => {
  const app = await buildOnMoto(t, moto, pool, RELAXED_LIMITS)
  const client = new Client(app)
  await signedIn(client)
  const changed = newEmail('changed')
  // UpdateUserAttributes succeeds; the refresh that renews the tokens with the new address crashes.
  notSupported(t, await client.gql('mutation ($email: String!, $p: String) { updateProfile(input: { email: $email, currentPassword: $p }) { email } }', { email: changed, p: PASSWORD }))
  // (RevokeToken: the password check's sign-in is revoked after it.)
  t.same((await app.inject('/ready')).json().unsupported, ['InitiateAuth', 'RevokeToken'], 'the server cannot tell a crash page from a missing action')
  t.equal((await new Client(app).gql(SIGN_IN, { email: changed, password: PASSWORD })).data?.signIn.__typename, 'Session', 'the new address signs in (InitiateAuth answers)')
  t.same((await app.inject('/ready')).json().unsupported, ['RevokeToken'], 'so it is no longer named')
})

t.test('where moto differs from AWS: confirmation, email_verified, RESET_REQUIRED, a bad ListUsers cursor', async (t) => {
  const app = await buildOnMoto(t, moto, pool, RELAXED_LIMITS)
  const operator = await signedInAdmin(app, moto, pool)
  const client = new Client(app)
  const email = newEmail()
  await client.gql(SIGN_UP, { input: { email, password: PASSWORD } })
  t.equal((await client.gql(CONFIRM_SIGN_UP, { email, code: '999999' })).data?.confirmSignUp, true, 'moto checks no confirmation code (AWS: CODE_MISMATCH)')
  const users = await operator.gql(USERS, { filter: email })
  t.same(users.data?.users.nodes, [{ email, emailVerified: false }], 'confirming leaves email_verified unset (AWS sets it true: the code went to the address)')

  // AdminResetUserPassword needs a verified address, on AWS too: verified by hand here.
  await moto.sdk.send(new AdminUpdateUserAttributesCommand({ UserPoolId: pool.userPoolId, Username: email, UserAttributes: [{ Name: 'email_verified', Value: 'true' }] }))
  t.equal((await operator.gql('mutation ($email: String!) { adminResetPassword(input: { email: $email }) }', { email })).data?.adminResetPassword, true)
  const { UserStatus } = await moto.sdk.send(new AdminGetUserCommand({ UserPoolId: pool.userPoolId, Username: email }))
  t.equal(UserStatus, 'RESET_REQUIRED')
  t.equal((await client.gql(SIGN_IN, { email, password: PASSWORD })).data?.signIn.__typename, 'Session', 'the old password still signs in (AWS: PASSWORD_RESET_REQUIRED)')

  // AWS refuses a PaginationToken it did not issue with InvalidParameterException (BAD_USER_INPUT);
  // moto with `InvalidToken`, a name AWS does not have, so the server cannot map it.
  failsWith(t, await operator.gql(USERS, { after: 'not-a-cursor' }), 'INTERNAL_SERVER_ERROR')
})

t.test('where moto differs from AWS: MFA required, a client secret on refresh, GlobalSignOut outside us-east-1', async (t) => {
  const required = await createPool(moto)
  await moto.sdk.send(new SetUserPoolMfaConfigCommand({ UserPoolId: required.userPoolId, MfaConfiguration: 'ON', SoftwareTokenMfaConfiguration: { Enabled: true } }))
  const mfaApp = await buildOnMoto(t, moto, required)
  const email = newEmail()
  const client = new Client(mfaApp)
  await client.gql(SIGN_UP, { input: { email, password: PASSWORD } })
  await client.gql(CONFIRM_SIGN_UP, { email, code: '000000' })
  t.equal((await client.gql(SIGN_IN_STEP_DOC, { email, password: PASSWORD })).data?.signIn.__typename, 'Session', 'a pool that requires MFA signs in a user without any (AWS: the MFA_SETUP challenge)')

  // SECRET_HASH on refresh: AWS computes it over the Cognito username (the server sends that); moto over the name given at sign-in.
  const withSecret = await createPool(moto, { GenerateSecret: true })
  const secretApp = await buildOnMoto(t, moto, withSecret)
  const secretClient = new Client(secretApp)
  await signedIn(secretClient)
  failsWith(t, await secretClient.gql(REFRESH), 'UNAUTHENTICATED')
  t.same((await secretClient.gql(ME)).data, { me: null }, 'moto refused the refresh token: the session is over')

  // GlobalSignOut carries no signature; moto serves such calls from its default region only.
  const ireland = inRegion(t, moto, 'eu-west-1')
  const elsewhere = await createPool(ireland)
  const irelandApp = await buildOnMoto(t, ireland, elsewhere)
  const browser = new Client(irelandApp)
  const address = await signedIn(browser)
  const other = new Client(irelandApp)
  await other.gql(SIGN_IN, { email: address, password: PASSWORD })
  failsWith(t, await browser.gql(SIGN_OUT, { everywhere: true }), 'INVALID_CREDENTIALS')
  t.same((await other.gql(ME)).data, { me: null }, 'the server\'s own end of every session still applies')
})
