// N8: federated accounts were out of the admin operations' and `npm run admin`'s reach (they look
// an account up by username, which is `<Provider>_<id>` for them), and one email could name a
// password account and a federated one: acting on the email hit the password account, and
// X-User-Email was the same for both. Now every account with the email is found, an ambiguous
// email is refused until an id chooses, and X-User-Email names a verified address only.
import t from 'tap'
import { addToGroup, poolAdmin, runAdmin } from '../../scripts/admin.ts'
import { failsWith } from '../challenge-helpers.ts'
import { buildFederated } from '../oauth-helpers.ts'
import { Client, ME, newEmail, PASSWORD, registerUser, SIGN_IN } from '../helper.ts'

const USERS = 'query ($f: String) { users(filter: $f) { nodes { id email status enabled } } }'
const SIGN_OUT_USER = 'mutation ($i: AdminUserInput!) { adminSignOutUser(input: $i) }'
const DISABLE = 'mutation ($i: AdminUserInput!) { adminDisableUser(input: $i) { id enabled status } }'

t.test('one email, a password account and a federated one: admin operations reach either, by id, and never guess', async (t) => {
  const { app, emulator, browser } = await buildFederated(t, { env: { RATE_LIMITS: JSON.stringify({ 'signIn.address': { max: 1000 }, 'cognito.user': { max: 1000 } }) } })
  const email = newEmail('shared')
  const password = new Client(app, emulator.mailbox)
  await registerUser(password, email)
  await password.gql(SIGN_IN, { email, password: PASSWORD })
  const federated = browser()
  t.equal((await federated.signIn(email, 'Federated')).status, 302, 'the same email signs in through DevIdP: a federated account of its own')
  const fedId = (await federated.client.gql(ME)).data?.me?.id as string
  t.not(fedId, (await password.gql(ME)).data?.me?.id, 'two accounts')

  const admin = new Client(app, emulator.mailbox)
  const adminEmail = await registerUser(admin)
  const pool = poolAdmin({ region: emulator.region, userPoolId: emulator.userPoolId, endpoint: emulator.endpoint, credentials: { ...emulator.credentials } })
  t.teardown(() => pool.cognito.destroy())
  await addToGroup(pool, adminEmail, app.config.adminGroup)
  await admin.gql(SIGN_IN, { email: adminEmail, password: PASSWORD })

  const listed = (await admin.gql(USERS, { f: email })).data?.users?.nodes as Array<{ id: string, status: string }>
  t.same(listed.map((u) => u.status).sort(), ['CONFIRMED', 'EXTERNAL_PROVIDER'], 'users lists both')
  failsWith(t, await admin.gql(SIGN_OUT_USER, { i: { email } }), 'BAD_USER_INPUT', /name the account by its id/)
  t.not((await password.gql(ME)).data?.me, null, 'refused: the password account was not signed out instead')
  t.same((await admin.gql(SIGN_OUT_USER, { i: { email, id: fedId } })).data, { adminSignOutUser: true }, 'the federated account, by id')
  t.same((await federated.client.gql(ME)).data, { me: null }, 'its session ended')
  t.not((await password.gql(ME)).data?.me, null, 'the password account\'s did not')
  t.same((await admin.gql(DISABLE, { i: { email, id: fedId } })).data?.adminDisableUser, { id: fedId, enabled: false, status: 'EXTERNAL_PROVIDER' }, 'a federated account is disabled')
  t.same((await admin.gql(SIGN_OUT_USER, { i: { email, id: 'no-such-id' } })).data, { adminSignOutUser: false }, 'an id that is not one of the email\'s accounts: false')

  // npm run admin: the same refusal, and the account by its id.
  const env = { COGNITO_USER_POOL_ID: emulator.userPoolId, COGNITO_ENDPOINT: emulator.endpoint, COGNITO_REGION: emulator.region }
  const run = async (...argv: string[]) => {
    const out: string[] = []
    const code = await runAdmin(argv, env, (line) => out.push(line), (line) => out.push(line))
    return { code, out: out.join('\n') }
  }
  const ambiguous = await run('enable', email)
  t.equal(ambiguous.code, 1)
  t.match(ambiguous.out, /2 accounts have the email .*name one by its id/)
  t.equal((await run('enable', fedId)).code, 0, 'the federated account enabled again, by id')
  t.match((await run('list-users', email)).out, new RegExp(`EXTERNAL_PROVIDER\\tenabled\\t.*\\t${fedId}`), 'list-users prints the ids')
})

t.test('X-User-Email names a verified address only', async (t) => {
  const { app, browser } = await buildFederated(t)
  const unverified = browser()
  await unverified.signIn(newEmail('claimed'), 'Claimer', undefined, false)
  const session = await app.inject({ method: 'GET', url: '/session', headers: { cookie: unverified.client.cookieHeader() } })
  t.equal(session.statusCode, 200)
  t.equal(session.json().user.emailVerified, false)
  t.equal(session.headers['x-user-email'], undefined, 'an unproven address is not sent as the user\'s email')
  t.ok(session.headers['x-user-id'], 'the id is')
  const verified = browser()
  const address = newEmail('proven')
  await verified.signIn(address, 'Prover')
  t.equal((await app.inject({ method: 'GET', url: '/session', headers: { cookie: verified.client.cookieHeader() } })).headers['x-user-email'], address)
})
