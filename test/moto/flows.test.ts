// The flows moto implements, end to end against moto_server (an implementation of Cognito we did
// not write): the server in production mode, configured by environment variables only, on pools
// made through Cognito's API. What moto lacks or does differently is gaps.test.ts's.
import { setTimeout as sleep } from 'node:timers/promises'
import { AdminCreateUserCommand, AdminGetUserCommand } from '@aws-sdk/client-cognito-identity-provider'
import t from 'tap'
import { attribute } from '../../src/plugins/app/cognito/client.ts'
import { ADMIN_DELETE, CHANGE_PASSWORD, Client, CONFIRM_FORGOT, FORGOT, ME, newEmail, PASSWORD, REFRESH, SIGN_IN, SIGN_OUT, SIGN_UP } from '../helper.ts'
import { cookieNames, DISABLE_TOTP, failsWith, ME_WITH_MFA, RELAXED_LIMITS, RESPOND, SETUP_TOTP, SIGN_IN_STEP_DOC, VERIFY_TOTP } from '../challenge-helpers.ts'
import { ANY_CODE, authenticatorCode, buildOnMoto, createPool, signedIn, signedInAdmin, startMoto } from './moto-server.ts'

const moto = await startMoto(t)
const pool = await createPool(moto)
const SESSION_COOKIES = ['__Host-access', '__Host-id', '__Host-refresh']
const NEW_PASSWORD = 'Another-Horse-10'
const SESSIONS = '{ sessions { id current } }'
const UPDATE_NAME = 'mutation ($name: String!) { updateProfile(input: { name: $name }) { name } }'
const ADMIN_USER = 'email id enabled status groups'
const USERS = `query ($filter: String) { users(filter: $filter) { nodes { ${ADMIN_USER} } hasNextPage } }`

// The authenticator test waits for the next 30-second step (moto takes only the current step's
// code, and the server refuses a code twice): the others run meanwhile.
t.jobs = 2

t.test('an authenticator app: set up and verified, a sign-in answered with its code, turned off again', async (t) => {
  const app = await buildOnMoto(t, moto, pool, RELAXED_LIMITS)
  const client = new Client(app)
  const email = await signedIn(client)
  const setup = await client.gql(SETUP_TOTP, { p: PASSWORD })
  const secret = setup.data?.setupTotp.secret as string
  t.match(setup.data?.setupTotp.otpauthUri, /^otpauth:\/\/totp\/.+\?secret=/, 'moto associated a secret (AssociateSoftwareToken)')
  t.match((await client.gql(VERIFY_TOTP, { code: authenticatorCode(secret) })).data?.verifyTotp, { mfa: ['TOTP'], preferredMfa: 'TOTP' }, 'verified and preferred (VerifySoftwareToken, SetUserMFAPreference)')
  t.match((await client.gql(ME_WITH_MFA)).data?.me, { mfa: ['TOTP'], preferredMfa: 'TOTP' }, 'me reads the settings from moto (GetUser)')

  const browser = new Client(app)
  const challenge = await browser.gql(SIGN_IN_STEP_DOC, { email, password: PASSWORD })
  t.equal(challenge.data?.signIn.name, 'SOFTWARE_TOKEN_MFA', 'the password alone gives a challenge')
  t.same(cookieNames(browser), ['__Host-challenge'], 'held in its own cookie, no session yet')
  const wrong = await browser.gql(RESPOND, { input: { name: 'SOFTWARE_TOKEN_MFA', code: authenticatorCode(secret, 0) } })
  failsWith(t, wrong, 'CODE_MISMATCH')
  t.equal(wrong.errors?.[0]?.extensions.challengeEnded, true, 'a wrong authenticator code ends the challenge (Cognito spends its session): sign in again')
  // The step of the verification code, spent: its successor's code answers, on a new challenge.
  await sleep(30_000 - (Date.now() % 30_000) + 500)
  t.equal((await browser.gql(SIGN_IN_STEP_DOC, { email, password: PASSWORD })).data?.signIn.name, 'SOFTWARE_TOKEN_MFA', 'signed in again: a new challenge')
  const answered = await browser.gql(RESPOND, { input: { name: 'SOFTWARE_TOKEN_MFA', code: authenticatorCode(secret) } })
  t.equal(answered.data?.respondToChallenge.__typename, 'Session', 'the authenticator\'s code signs in (RespondToAuthChallenge)')
  t.same(cookieNames(browser), SESSION_COOKIES)

  t.match((await client.gql(DISABLE_TOTP, { p: PASSWORD })).data?.disableTotp, { mfa: [], preferredMfa: null }, 'turned off')
  t.equal((await new Client(app).gql(SIGN_IN, { email, password: PASSWORD })).data?.signIn.__typename, 'Session', 'the password alone signs in again')
})

t.test('sign-up, confirmation, sign-in, me (also by Bearer), refresh, sessions and sign-out', async (t) => {
  const app = await buildOnMoto(t, moto, pool)
  t.same((await app.inject('/ready')).json(), { status: 'ready', keys: true }, 'the keys came from moto\'s JWKS URI, over http')
  const client = new Client(app)
  const email = newEmail()
  const signUp = await client.gql(SIGN_UP, { input: { email, password: PASSWORD } })
  t.same(signUp.data?.signUp, { userConfirmed: false, codeDelivery: { medium: 'EMAIL', destination: 'u***@e***.com' } }, 'signed up (AdminGetUser, SignUp)')
  failsWith(t, await client.gql(SIGN_IN, { email, password: PASSWORD }), 'INVALID_CREDENTIALS', /Incorrect email or password/)
  t.equal((await client.gql('mutation ($email: String!, $code: String!) { confirmSignUp(input: { email: $email, code: $code }) }', { email, code: ANY_CODE })).data?.confirmSignUp, true, 'confirmed (ConfirmSignUp)')
  t.same((await client.gql(SIGN_UP, { input: { email, password: NEW_PASSWORD } })).data, signUp.data, 'a second sign-up of the address answers alike')
  failsWith(t, await client.gql(SIGN_IN, { email, password: NEW_PASSWORD }), 'INVALID_CREDENTIALS', /Incorrect email or password/)
  failsWith(t, await client.gql(SIGN_IN, { email: newEmail('nobody'), password: PASSWORD }), 'INVALID_CREDENTIALS', /Incorrect email or password/)
  failsWith(t, await client.gql(SIGN_UP, { input: { email: newEmail(), password: 'short' } }), 'INVALID_PASSWORD')

  const signIn = await client.gql(SIGN_IN, { email, password: PASSWORD })
  const { UserAttributes } = await moto.sdk.send(new AdminGetUserCommand({ UserPoolId: pool.userPoolId, Username: email }))
  t.match(signIn.data?.signIn, { __typename: 'Session', user: { id: attribute(UserAttributes, 'sub'), email, groups: [] } }, 'signed in as moto\'s user (InitiateAuth USER_PASSWORD_AUTH)')
  t.same(cookieNames(client), SESSION_COOKIES)
  t.notMatch(signIn.response.body, /eyJ/, 'no token in the body')
  t.equal((await client.gql(ME)).data?.me.email, email, 'me: moto\'s tokens verified with its keys')
  const bearer = await app.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json', authorization: `Bearer ${client.jar.get('__Host-access') as string}` }, payload: JSON.stringify({ query: ME }) })
  t.equal(bearer.json().data.me.email, email, 'moto\'s access token as a Bearer token (GetUser)')
  t.match((await client.gql(REFRESH)).data?.refreshSession, { user: { email } }, 'refreshed (InitiateAuth REFRESH_TOKEN_AUTH)')
  t.match((await client.gql(SESSIONS)).data?.sessions, [{ current: true }])

  const before = client.clone()
  t.equal((await client.gql(SIGN_OUT)).data?.signOut, true)
  t.same(cookieNames(client), [], 'every session cookie cleared')
  t.same((await before.gql(ME)).data, { me: null }, 'the old cookies get no session')
  failsWith(t, await before.gql(REFRESH), 'UNAUTHENTICATED')
})

t.test('a name change reaches the tokens at once (UpdateUserAttributes, then a refresh)', async (t) => {
  const app = await buildOnMoto(t, moto, pool)
  const client = new Client(app)
  await signedIn(client)
  t.same((await client.gql(UPDATE_NAME, { name: 'Ada' })).data, { updateProfile: { name: 'Ada' } })
  t.equal((await client.gql(ME)).data?.me.name, 'Ada', 'me reads it from the renewed id token')
})

t.test('password: a change ends the other sessions (ChangePassword, GlobalSignOut); a reset ends every one (ForgotPassword, ConfirmForgotPassword)', async (t) => {
  const app = await buildOnMoto(t, moto, pool, RELAXED_LIMITS)
  const client = new Client(app)
  const email = await signedIn(client)
  const elsewhere = new Client(app)
  await elsewhere.gql(SIGN_IN, { email, password: PASSWORD })

  t.equal((await client.gql(CHANGE_PASSWORD, { c: PASSWORD, n: NEW_PASSWORD })).data?.changePassword.__typename, 'Session', 'changed, and signed in again')
  t.equal((await client.gql(ME)).data?.me.email, email)
  t.same((await elsewhere.gql(ME)).data, { me: null }, 'the other browser is signed out')
  failsWith(t, await new Client(app).gql(SIGN_IN, { email, password: PASSWORD }), 'INVALID_CREDENTIALS')

  t.same((await client.gql(FORGOT, { email })).data, { forgotPassword: { destination: 'u***@e***.com' } })
  t.same((await client.gql(FORGOT, { email: newEmail('nobody') })).data, { forgotPassword: { destination: 'n***@e***.com' } }, 'an unknown email answers alike')
  t.equal((await client.gql(CONFIRM_FORGOT, { email, code: ANY_CODE, p: PASSWORD })).data?.confirmForgotPassword, true)
  t.same((await client.gql(ME)).data, { me: null }, 'the reset ended this session too')
  t.equal((await client.gql(SIGN_IN, { email, password: PASSWORD })).data?.signIn.__typename, 'Session', 'the new password signs in')
})

t.test('signOut everywhere ends the sessions of every browser (GlobalSignOut)', async (t) => {
  const app = await buildOnMoto(t, moto, pool)
  const client = new Client(app)
  const email = await signedIn(client)
  const elsewhere = new Client(app)
  await elsewhere.gql(SIGN_IN, { email, password: PASSWORD })
  t.equal((await client.gql(SIGN_OUT, { everywhere: true })).data?.signOut, true)
  t.same((await elsewhere.gql(ME)).data, { me: null })
  failsWith(t, await elsewhere.gql(REFRESH), 'UNAUTHENTICATED')
})

t.test('an account an administrator made: the temporary password asks for a new one (AdminCreateUser, NEW_PASSWORD_REQUIRED)', async (t) => {
  const app = await buildOnMoto(t, moto, pool)
  const email = newEmail('invited')
  await moto.sdk.send(new AdminCreateUserCommand({ UserPoolId: pool.userPoolId, Username: email, TemporaryPassword: 'Temporary-Horse-1', MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: email }] }))
  const client = new Client(app)
  t.equal((await client.gql(SIGN_IN_STEP_DOC, { email, password: 'Temporary-Horse-1' })).data?.signIn.name, 'NEW_PASSWORD_REQUIRED')
  failsWith(t, await client.gql(RESPOND, { input: { name: 'NEW_PASSWORD_REQUIRED', newPassword: 'short' } }), 'INVALID_PASSWORD')
  const answered = await client.gql(RESPOND, { input: { name: 'NEW_PASSWORD_REQUIRED', newPassword: NEW_PASSWORD } })
  t.match(answered.data?.respondToChallenge, { __typename: 'Session', user: { email } })
  t.equal((await new Client(app).gql(SIGN_IN, { email, password: NEW_PASSWORD })).data?.signIn.__typename, 'Session')
})

t.test('administrators: users, groups, disabling, enabling, signing out and deleting a user', async (t) => {
  const app = await buildOnMoto(t, moto, pool, RELAXED_LIMITS)
  const operator = await signedInAdmin(app, moto, pool)
  t.same((await operator.gql(ME)).data?.me.groups, ['admin'], 'cognito:groups in moto\'s tokens')
  const user = new Client(app)
  const email = await signedIn(user, newEmail('target'))
  failsWith(t, await user.gql(USERS, { filter: email }), 'FORBIDDEN')

  t.same((await operator.gql(USERS, { filter: email })).data?.users, { nodes: [{ email, id: (await user.gql(ME)).data?.me.id, enabled: true, status: 'CONFIRMED', groups: [] }], hasNextPage: false }, 'found by email prefix (ListUsers)')
  const change = (query: string, group?: string) => operator.gql(`mutation ($email: String!${group === undefined ? '' : ', $group: String!'}) { ${query}(input: { email: $email${group === undefined ? '' : ', group: $group'} }) { ${ADMIN_USER} } }`, { email, group })
  t.match((await change('adminAddUserToGroup', 'admin')).data?.adminAddUserToGroup, { groups: ['admin'] })
  t.match((await change('adminRemoveUserFromGroup', 'admin')).data?.adminRemoveUserFromGroup, { groups: [] })
  t.match((await change('adminDisableUser')).data?.adminDisableUser, { enabled: false })
  t.same((await user.gql(ME)).data, { me: null }, 'disabling ended the user\'s session')
  failsWith(t, await user.gql(SIGN_IN, { email, password: PASSWORD }), 'INVALID_CREDENTIALS')
  t.match((await change('adminEnableUser')).data?.adminEnableUser, { enabled: true })
  t.equal((await user.gql(SIGN_IN, { email, password: PASSWORD })).data?.signIn.__typename, 'Session', 'enabled: signs in again')
  t.equal((await operator.gql('mutation ($email: String!) { adminSignOutUser(input: { email: $email }) }', { email })).data?.adminSignOutUser, true)
  t.same((await user.gql(ME)).data, { me: null }, 'signed out by the administrator')
  t.equal((await operator.gql(ADMIN_DELETE, { email })).data?.adminDeleteUser, true, 'deleted (AdminDeleteUser)')
  failsWith(t, await user.gql(SIGN_IN, { email, password: PASSWORD }), 'INVALID_CREDENTIALS')
  t.same((await operator.gql(USERS, { filter: email })).data?.users.nodes, [], 'gone from the list')
})
