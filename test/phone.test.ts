// `User.phone` and `User.phoneVerified` on a pool made through Cognito's API: from the id token
// for a cookie session, from Cognito for a Bearer token; null and false for an account without one.
import t from 'tap'
import { AdminUpdateUserAttributesCommand, type CreateUserPoolClientCommandInput } from '@aws-sdk/client-cognito-identity-provider'
import { build, Client, SIGN_IN, withAwsCredentials } from './helper.ts'
import { PASSWORD, startTestEmulator } from './dev/pool.ts'
import { createApiPool } from './dev/pools.ts'

const { emulator, cognito } = await startTestEmulator(t)
withAwsCredentials(t, emulator.credentials)
const CLIENT: Partial<CreateUserPoolClientCommandInput> = { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'], PreventUserExistenceErrors: 'ENABLED', EnableTokenRevocation: true }
const pool = await createApiPool(cognito, { client: { ...CLIENT } })
const app = await build(t, { env: { COGNITO_USER_POOL_ID: pool.userPoolId, COGNITO_CLIENT_ID: pool.clientId, COGNITO_ENDPOINT: emulator.endpoint } })
const ME = '{ me { email phone phoneVerified } }'

/** A confirmed user (pool.ts's PASSWORD), with `phone` attributes if given, signed in. */
async function signedInWith (phone?: { number: string, verified: boolean }): Promise<{ client: Client, email: string }> {
  const email = await pool.user('phone')
  if (phone !== undefined) {
    await cognito.send(new AdminUpdateUserAttributesCommand({
      UserPoolId: pool.userPoolId, Username: email, UserAttributes: [{ Name: 'phone_number', Value: phone.number }, { Name: 'phone_number_verified', Value: String(phone.verified) }]
    }))
  }
  const client = new Client(app, emulator.mailbox)
  const res = await client.gql(SIGN_IN, { email, password: PASSWORD })
  if (res.data?.signIn?.__typename !== 'Session') throw new Error(`sign-in failed: ${JSON.stringify(res.errors)}`)
  return { client, email }
}

t.test('a verified phone number: from the id token, and the same for a Bearer token', async (t) => {
  const { client, email } = await signedInWith({ number: '+4915112345678', verified: true })
  const res = await client.gql(ME)
  t.same(res.errors, undefined)
  t.same(res.data?.me, { email, phone: '+4915112345678', phoneVerified: true })
  const bearer = await new Client(app).gql(ME, undefined, { authorization: `Bearer ${client.jar.get('__Host-access') ?? ''}` })
  t.same(bearer.data?.me, res.data?.me, 'from Cognito for a Bearer token')
})

t.test('an unverified phone number, and none', async (t) => {
  const unverified = await signedInWith({ number: '+14155550100', verified: false })
  t.same((await unverified.client.gql(ME)).data?.me, { email: unverified.email, phone: '+14155550100', phoneVerified: false })
  const none = await signedInWith()
  t.same((await none.client.gql(ME)).data?.me, { email: none.email, phone: null, phoneVerified: false })
  const bearer = await new Client(app).gql(ME, undefined, { authorization: `Bearer ${none.client.jar.get('__Host-access') ?? ''}` })
  t.same(bearer.data?.me, { email: none.email, phone: null, phoneVerified: false }, 'and for a Bearer token')
})
