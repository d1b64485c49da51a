// Sign-in names against moto (an implementation of Cognito we did not write): a phone-username
// pool and an email-alias pool, made through Cognito's API, the server in production mode.
import { AdminUpdateUserAttributesCommand, CreateUserPoolClientCommand, CreateUserPoolCommand, ListUsersCommand, type CreateUserPoolCommandInput } from '@aws-sdk/client-cognito-identity-provider'
import t from 'tap'
import { Client, newEmail, PASSWORD } from '../helper.ts'
import { ANY_CODE, buildOnMoto, startMoto, type Moto, type MotoPool } from './moto-server.ts'

const SIGN_UP = 'mutation ($input: SignUpInput!) { signUp(input: $input) { userConfirmed codeDelivery { medium destination } } }'
const CONFIRM = 'mutation ($input: ConfirmSignUpInput!) { confirmSignUp(input: $input) }'
const SIGN_IN = 'mutation ($input: SignInInput!) { signIn(input: $input) { __typename } }'
const ME = '{ me { phone } }'

const moto = await startMoto(t)

/** A pool of `shape` and an app client that reads the contact attributes (moto's id tokens carry only those named). */
async function poolOf (moto: Moto, shape: Omit<CreateUserPoolCommandInput, 'PoolName'>): Promise<MotoPool> {
  const { UserPool } = await moto.sdk.send(new CreateUserPoolCommand({ PoolName: `names-${Date.now()}`, ...shape }))
  const userPoolId = UserPool?.Id as string
  const { UserPoolClient } = await moto.sdk.send(new CreateUserPoolClientCommand({
    UserPoolId: userPoolId,
    ClientName: 'names',
    ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    ReadAttributes: ['email', 'email_verified', 'phone_number', 'phone_number_verified', 'name']
  }))
  return { userPoolId, clientId: UserPoolClient?.ClientId as string, clientSecret: UserPoolClient?.ClientSecret }
}

t.test('a phone-username pool: sign-up, confirmation and sign-in by phone number', async (t) => {
  const pool = await poolOf(moto, { UsernameAttributes: ['phone_number'], AutoVerifiedAttributes: ['phone_number'] })
  const app = await buildOnMoto(t, moto, pool)
  const client = new Client(app)
  const phone = `+49151${String(Date.now()).slice(-8)}`
  const signUp = await client.gql(SIGN_UP, { input: { phone, password: PASSWORD } })
  t.same(signUp.data?.signUp, { userConfirmed: false, codeDelivery: { medium: 'SMS', destination: `+*******${phone.slice(-4)}` } }, 'signed up by phone (AdminGetUser, SignUp)')
  t.same((await client.gql(CONFIRM, { input: { phone, code: ANY_CODE } })).data, { confirmSignUp: true }, 'confirmed (ConfirmSignUp)')
  t.same((await client.gql(SIGN_IN, { input: { phone, password: PASSWORD } })).data?.signIn, { __typename: 'Session' }, 'signed in by phone (InitiateAuth)')
  t.match((await client.gql(ME)).data?.me, { phone }, 'me: the phone number from moto\'s id token')
  t.same((await client.gql(SIGN_IN, { input: { email: newEmail(), password: PASSWORD } })).codes, ['BAD_USER_INPUT'], 'an email where the pool signs in by phone')
})

t.test('an email-alias pool: sign-up makes a UUID username, confirmation by email; moto signs in by no alias', async (t) => {
  const pool = await poolOf(moto, { AliasAttributes: ['email'], AutoVerifiedAttributes: ['email'] })
  const app = await buildOnMoto(t, moto, pool)
  const client = new Client(app)
  const email = newEmail('alias')
  t.same((await client.gql(SIGN_UP, { input: { email, password: PASSWORD } })).errors, undefined, 'signed up')
  const { Users = [] } = await moto.sdk.send(new ListUsersCommand({ UserPoolId: pool.userPoolId, Filter: `email = "${email}"` }))
  t.match(Users.map((u) => u.Username), [/^[0-9a-f-]{36}$/], 'one account, its username a UUID')
  t.same((await client.gql(CONFIRM, { input: { email, code: ANY_CODE } })).data, { confirmSignUp: true }, 'confirmed by its email (found by ListUsers)')
  // moto finds no user by an alias: neither after its confirmation (which verifies no auto-verified
  // attribute, as AWS's does) nor once the email is verified. Listed in docs/moto.md, not worked around.
  t.same((await client.gql(SIGN_IN, { input: { email, password: PASSWORD } })).codes, ['INVALID_CREDENTIALS'], 'moto: no sign-in by an unverified alias')
  await moto.sdk.send(new AdminUpdateUserAttributesCommand({ UserPoolId: pool.userPoolId, Username: Users[0]?.Username, UserAttributes: [{ Name: 'email_verified', Value: 'true' }] }))
  t.same((await client.gql(SIGN_IN, { input: { email, password: PASSWORD } })).codes, ['INVALID_CREDENTIALS'], 'moto: nor by a verified one (a gap: AWS signs the user in)')
})
