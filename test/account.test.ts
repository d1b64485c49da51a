import t from 'tap'
import { addToGroup } from '../scripts/admin.ts'
import { authorizationRules } from '../src/graphql/authorization.ts'
import { build, Client, CONFIRM_FORGOT, FORGOT, newEmail, PASSWORD, REFRESH, registerUser, SIGN_OUT, signedIn, DELETE_ACCOUNT, ADMIN_DELETE } from './helper.ts'
import { adminOf, cookieNames, failsWith, ME_WITH_MFA, RELAXED_LIMITS, SIGN_IN_STEP_DOC } from './challenge-helpers.ts'

const env = RELAXED_LIMITS
const UPDATE_PROFILE = 'mutation ($input: UpdateProfileInput!) { updateProfile(input: $input) { id email emailVerified name } }'
const VERIFY_EMAIL = 'mutation ($code: String!) { verifyEmail(input: { code: $code }) { id email emailVerified name } }'
const RESEND = 'mutation { resendEmailVerificationCode { medium destination } }'

/** An address that masks like every other here: `n***@e***.com`. */
const nEmail = () => newEmail('n').replace(/^n\./, 'n')

t.test('updateProfile(name): the new name is in the answer and in me at once (the tokens were renewed)', async (t) => {
  const app = await build(t, { env })
  const client = new Client(app)
  await signedIn(client)
  const access = client.jar.get('__Host-access')

  const res = await client.gql(UPDATE_PROFILE, { input: { name: '  Ada King  ' } })
  t.equal(res.errors, undefined)
  t.equal(res.data?.updateProfile.name, 'Ada King')
  t.not(client.jar.get('__Host-access'), access, 'new tokens were set')
  t.equal((await client.gql(ME_WITH_MFA)).data?.me.name, 'Ada King')
  t.equal((await client.gql('mutation { a: updateProfile(input: { name: "One" }) { name } b: updateProfile(input: { name: "Two" }) { name } }')).data?.b.name, 'Two',
    'a second change right after the first is current too')
  t.equal((await client.gql(ME_WITH_MFA)).data?.me.name, 'Two')

  failsWith(t, await client.gql(UPDATE_PROFILE, { input: {} }), 'BAD_USER_INPUT', /name or an email/)
  failsWith(t, await client.gql(UPDATE_PROFILE, { input: { name: '   ' } }), 'BAD_USER_INPUT', /name/)
  failsWith(t, await new Client(app).gql(UPDATE_PROFILE, { input: { name: 'X' } }), 'UNAUTHENTICATED')
})

t.test('updateProfile(email): step-up, a code to the new address, the old one stays until verifyEmail', async (t) => {
  const app = await build(t, { env })
  const client = new Client(app)
  const oldEmail = await signedIn(client)
  const other = new Client(app)
  await other.gql(SIGN_IN_STEP_DOC, { email: oldEmail, password: PASSWORD })
  const newEmail = nEmail()

  failsWith(t, await client.gql(UPDATE_PROFILE, { input: { email: newEmail } }), 'BAD_USER_INPUT', /current password/)
  failsWith(t, await client.gql(UPDATE_PROFILE, { input: { email: newEmail, name: 'Changed', currentPassword: 'Wrong-Horse-7' } }), 'INVALID_CREDENTIALS')
  t.equal(app.emulator?.mailbox.list(newEmail).length, 0, 'a wrong password sends nothing')
  t.equal((await client.gql(ME_WITH_MFA)).data?.me.name, null, 'and changes nothing, not even the name')
  failsWith(t, await client.gql(UPDATE_PROFILE, { input: { email: 'not-an-email', currentPassword: PASSWORD } }), 'BAD_USER_INPUT', /email/)

  const res = await client.gql(UPDATE_PROFILE, { input: { email: newEmail.toUpperCase(), currentPassword: PASSWORD } })
  t.equal(res.errors, undefined)
  t.match(res.data?.updateProfile, { email: oldEmail, emailVerified: true }, 'the old address stays the verified one')
  const code = await client.code(newEmail)
  t.match(code, /^\d{6}$/, 'a code went to the new address')
  t.equal(app.emulator?.mailbox.list(oldEmail).filter((m) => m.code === code).length, 0, 'not to the old one')
  t.equal((await new Client(app).gql(SIGN_IN_STEP_DOC, { email: oldEmail, password: PASSWORD })).data?.signIn.__typename, 'Session', 'the old address still signs in')
  failsWith(t, await new Client(app).gql(SIGN_IN_STEP_DOC, { email: newEmail, password: PASSWORD }), 'INVALID_CREDENTIALS')

  const resent = await client.gql(RESEND)
  t.same(resent.data, { resendEmailVerificationCode: { medium: 'EMAIL', destination: 'n***@e***.com' } })
  const second = await client.code(newEmail)

  const wrong = await client.gql(VERIFY_EMAIL, { code: second === '000000' ? '111111' : '000000' })
  failsWith(t, wrong, 'CODE_MISMATCH')
  failsWith(t, await client.gql(VERIFY_EMAIL, { code: '' }), 'BAD_USER_INPUT', /code/)
  const verified = await client.gql(VERIFY_EMAIL, { code: second })
  t.equal(verified.errors, undefined)
  t.match(verified.data?.verifyEmail, { email: newEmail, emailVerified: true })
  t.match((await client.gql(ME_WITH_MFA)).data?.me, { email: newEmail, emailVerified: true }, 'me is current at once')
  t.equal((await client.gql(REFRESH)).data?.refreshSession.user.email, newEmail)
  t.equal((await other.gql(ME_WITH_MFA)).data?.me.email, oldEmail, 'another session goes on with its tokens…')
  t.equal((await other.gql(REFRESH)).data?.refreshSession.user.email, newEmail, '…and learns the new address at its next refresh')

  t.equal((await new Client(app).gql(SIGN_IN_STEP_DOC, { email: newEmail, password: PASSWORD })).data?.signIn.__typename, 'Session', 'the new address signs in')
  failsWith(t, await new Client(app).gql(SIGN_IN_STEP_DOC, { email: oldEmail, password: PASSWORD }), 'INVALID_CREDENTIALS')
  failsWith(t, await client.gql(RESEND), 'BAD_USER_INPUT', /no email address waiting/)
})

t.test('updateProfile(email) does not tell whether the new email belongs to another account', async (t) => {
  const app = await build(t, { env })
  const owner = new Client(app)
  const taken = await registerUser(owner, nEmail())

  async function change (target: string) {
    const client = new Client(app)
    const email = await signedIn(client, nEmail())
    const update = await client.gql(UPDATE_PROFILE, { input: { email: target, currentPassword: PASSWORD } })
    const resend = await client.gql(RESEND)
    const mailboxAfter = app.emulator?.mailbox.list(target).length ?? 0
    const verify = await client.gql(VERIFY_EMAIL, { code: '000000' })
    const me = await client.gql(ME_WITH_MFA)
    return { email, update, resend, verify, me, mailboxAfter }
  }
  const free = nEmail()
  const freeAnswer = await change(free)
  const before = app.emulator?.mailbox.list(taken).length ?? 0
  const takenAnswer = await change(taken)

  t.same(takenAnswer.update.data?.updateProfile, { ...freeAnswer.update.data?.updateProfile, id: takenAnswer.update.data?.updateProfile.id, email: takenAnswer.email },
    'updateProfile answers the same')
  t.equal(takenAnswer.update.errors, undefined)
  t.same(takenAnswer.resend.data, freeAnswer.resend.data, 'resendEmailVerificationCode answers the same')
  t.same(takenAnswer.verify.codes, freeAnswer.verify.codes, 'a wrong code is a wrong code either way')
  t.same(takenAnswer.verify.codes, ['CODE_MISMATCH'])
  t.equal(app.emulator?.mailbox.list(taken).length, before, 'the other account\'s owner got no code')
  t.ok(freeAnswer.mailboxAfter > 0, 'the free address did')
  t.equal(takenAnswer.me.data?.me.email, takenAnswer.email, 'the taker still has their own address')
  t.equal((await new Client(app).gql(SIGN_IN_STEP_DOC, { email: taken, password: PASSWORD })).data?.signIn.__typename, 'Session', 'the owner is unaffected')

  const revealing = await build(t, { env: { ...env, REVEAL_USER_EXISTENCE: 'true' } })
  await registerUser(new Client(revealing), taken)
  const client = new Client(revealing)
  await signedIn(client, nEmail())
  failsWith(t, await client.gql(UPDATE_PROFILE, { input: { email: taken, currentPassword: PASSWORD } }), 'USERNAME_EXISTS')
})

t.test('UNAUTHENTICATED without a session for every account operation', async (t) => {
  const app = await build(t, { env })
  const nobody = new Client(app)
  for (const [query, variables, field] of [
    [UPDATE_PROFILE, { input: { name: 'X' } }, 'updateProfile'],
    [VERIFY_EMAIL, { code: '123456' }, 'verifyEmail'],
    [RESEND, {}, 'resendEmailVerificationCode'],
    [DELETE_ACCOUNT, { p: PASSWORD }, 'deleteAccount'],
    [ADMIN_DELETE, { email: 'someone@example.com' }, 'adminDeleteUser']
  ] as const) {
    const res = await nobody.gql(query, variables)
    failsWith(t, res, 'UNAUTHENTICATED')
    t.same(res.data, { [field]: null })
  }
})

t.test('me has groups, mfa and preferredMfa', async (t) => {
  const app = await build(t, { env })
  const admin = adminOf(t, app)
  const client = new Client(app)
  const email = await signedIn(client)
  t.match((await client.gql(ME_WITH_MFA)).data?.me, { email, groups: [], mfa: [], preferredMfa: null })
  await addToGroup(admin, email, 'admin')
  await client.gql(SIGN_IN_STEP_DOC, { email, password: PASSWORD })
  t.match((await client.gql(ME_WITH_MFA)).data?.me, { groups: ['admin'] }, 'groups come from the tokens of the next sign-in')
})

t.test('deleteAccount: the current password, then the account is gone and every session with it', async (t) => {
  const app = await build(t, { env })
  const laptop = new Client(app)
  const email = await signedIn(laptop)
  const phone = new Client(app)
  await phone.gql(SIGN_IN_STEP_DOC, { email, password: PASSWORD })
  const oldCookies = laptop.clone()

  const wrong = await laptop.gql(DELETE_ACCOUNT, { p: 'Wrong-Horse-7' })
  failsWith(t, wrong, 'INVALID_CREDENTIALS')
  t.same(wrong.data, { deleteAccount: null })
  t.equal((await laptop.gql(ME_WITH_MFA)).data?.me.email, email, 'a wrong password deletes nothing')

  const res = await laptop.gql('mutation ($p: String!) { deleteAccount(input: { currentPassword: $p }) after: updateProfile(input: { name: "x" }) { id } }', { p: PASSWORD })
  t.same(res.data, { deleteAccount: true, after: null })
  t.same(res.codes, ['UNAUTHENTICATED'], 'a field after the deletion in the same request has no session')
  t.same(cookieNames(laptop), [], 'the cookies are cleared')
  t.same((await phone.gql(ME_WITH_MFA)).data, { me: null }, 'the other session ended')
  failsWith(t, await phone.gql(REFRESH), 'UNAUTHENTICATED')
  t.same((await oldCookies.gql(ME_WITH_MFA)).data, { me: null }, 'the old cookies are void')
  failsWith(t, await oldCookies.gql(REFRESH), 'UNAUTHENTICATED')
  failsWith(t, await new Client(app).gql(SIGN_IN_STEP_DOC, { email, password: PASSWORD }), 'INVALID_CREDENTIALS', /Incorrect email or password/)
  failsWith(t, await new Client(app).gql(DELETE_ACCOUNT, { p: PASSWORD }), 'UNAUTHENTICATED')
})

t.test('adminDeleteUser: FORBIDDEN for others; for the admin group, the user is gone and their sessions end', async (t) => {
  const app = await build(t, { env })
  const admin = adminOf(t, app)
  const victim = new Client(app)
  const victimEmail = await signedIn(victim)
  const victimCookies = victim.clone()

  const member = new Client(app)
  await signedIn(member)
  const forbidden = await member.gql(ADMIN_DELETE, { email: victimEmail })
  failsWith(t, forbidden, 'FORBIDDEN', /not allowed/)
  t.same(forbidden.data, { adminDeleteUser: null })
  t.equal((await victim.gql(ME_WITH_MFA)).data?.me.email, victimEmail, 'the user is still there')
  failsWith(t, await new Client(app).gql(ADMIN_DELETE, { email: victimEmail }), 'UNAUTHENTICATED')

  const operator = new Client(app)
  const operatorEmail = await signedIn(operator)
  await addToGroup(admin, operatorEmail, 'admin')
  await operator.gql(SIGN_IN_STEP_DOC, { email: operatorEmail, password: PASSWORD })
  failsWith(t, await operator.gql(ADMIN_DELETE, { email: 'not-an-email' }), 'BAD_USER_INPUT')
  t.same((await operator.gql(ADMIN_DELETE, { email: newEmail('nobody') })).data, { adminDeleteUser: false }, 'no such user: false')
  t.same((await operator.gql(ADMIN_DELETE, { email: victimEmail.toUpperCase() })).data, { adminDeleteUser: true })

  t.same((await victim.gql(ME_WITH_MFA)).data, { me: null }, 'the deleted user\'s session ended')
  failsWith(t, await victimCookies.gql(REFRESH), 'UNAUTHENTICATED')
  failsWith(t, await new Client(app).gql(SIGN_IN_STEP_DOC, { email: victimEmail, password: PASSWORD }), 'INVALID_CREDENTIALS')
  t.equal((await operator.gql(ME_WITH_MFA)).data?.me.email, operatorEmail, 'the admin\'s own session goes on')
  t.equal((await operator.gql(SIGN_OUT)).data?.signOut, true)
})

t.test('the admin group is configurable (ADMIN_GROUP)', async (t) => {
  const app = await build(t, { env: { ...env, ADMIN_GROUP: 'operators' } })
  const admin = adminOf(t, app)
  const target = await registerUser(new Client(app))

  const inAdmin = new Client(app)
  const inAdminEmail = await signedIn(inAdmin)
  await addToGroup(admin, inAdminEmail, 'admin')
  await inAdmin.gql(SIGN_IN_STEP_DOC, { email: inAdminEmail, password: PASSWORD })
  failsWith(t, await inAdmin.gql(ADMIN_DELETE, { email: target }), 'FORBIDDEN', undefined)

  const operator = new Client(app)
  const operatorEmail = await signedIn(operator)
  await addToGroup(admin, operatorEmail, 'operators') // the embedded emulator creates the configured group
  await operator.gql(SIGN_IN_STEP_DOC, { email: operatorEmail, password: PASSWORD })
  t.same((await operator.gql(ADMIN_DELETE, { email: target })).data, { adminDeleteUser: true })
})

t.test('authorization is declared in the SDL: @auth on every field that needs a session, ADMIN on the admin operations', async (t) => {
  const rules = Object.fromEntries(authorizationRules())
  t.same(rules, {
    'Mutation.adminDeleteUser': 'ADMIN',
    'Mutation.adminDisableUser': 'ADMIN',
    'Mutation.adminEnableUser': 'ADMIN',
    'Mutation.adminAddUserToGroup': 'ADMIN',
    'Mutation.adminRemoveUserFromGroup': 'ADMIN',
    'Mutation.adminSignOutUser': 'ADMIN',
    'Mutation.adminResetPassword': 'ADMIN',
    'Query.users': 'ADMIN',
    'Mutation.changePassword': 'USER',
    'Mutation.revokeSession': 'USER',
    'Mutation.revokeOtherSessions': 'USER',
    'Query.sessions': 'USER',
    'Query.securityEvents': 'USER',
    'Mutation.deleteAccount': 'USER',
    'Mutation.disableTotp': 'USER',
    'Mutation.resendEmailVerificationCode': 'USER',
    'Mutation.setupTotp': 'USER',
    'Mutation.updateProfile': 'USER',
    'Mutation.verifyEmail': 'USER',
    'Mutation.verifyPhone': 'USER',
    'Mutation.resendPhoneVerificationCode': 'USER',
    'Mutation.verifyTotp': 'USER',
    'Mutation.enableEmailMfa': 'USER',
    'Mutation.disableEmailMfa': 'USER',
    'Mutation.setPreferredMfa': 'USER',
    'Mutation.startPasskeyRegistration': 'USER',
    'Mutation.finishPasskeyRegistration': 'USER',
    'Mutation.deletePasskey': 'USER',
    'Query.devices': 'USER',
    'Mutation.rememberDevice': 'USER',
    'Mutation.forgetDevice': 'USER'
  })
})

t.test('a password reset\'s code goes to the email of an account that also verified a phone number (the embedded pool orders recovery as npm run provision does)', async (t) => {
  const app = await build(t, { env })
  const client = new Client(app)
  const email = await signedIn(client)
  const phone = `+49152${String(Date.now() % 1e8).padStart(8, '0')}`
  t.same((await client.gql('mutation ($input: UpdateProfileInput!) { updateProfile(input: $input) { phone } }', { input: { phone, currentPassword: PASSWORD } })).errors, undefined)
  const verified = await client.gql('mutation ($code: String!) { verifyPhone(input: { code: $code }) { phoneVerified } }', { code: app.emulator?.mailbox.list(phone)[0]?.code })
  t.same(verified.data?.verifyPhone, { phoneVerified: true }, 'the number is verified')
  const texts = app.emulator?.mailbox.list(phone).length
  t.match((await client.gql(FORGOT, { email })).data?.forgotPassword, { destination: /^.\*\*\*@/ }, 'the answer names the email')
  t.equal(app.emulator?.mailbox.list(phone).length, texts, 'nothing more was texted')
  const code = app.emulator?.mailbox.list(email)[0]?.code
  t.same((await client.gql(CONFIRM_FORGOT, { email, code, p: 'Another-Horse-7' })).data, { confirmForgotPassword: true }, 'the emailed code resets the password')
})
