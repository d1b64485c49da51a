// The emulator's admin operations, through the AWS SDK signed as the server signs: ListUsers
// (pages, escaped filters), AdminDisableUser (sessions ended), AdminResetUserPassword (status,
// code, PasswordResetRequiredException), and the group calls cognito-local answers itself.
import t from 'tap'
import {
  AdminAddUserToGroupCommand, AdminCreateUserCommand, AdminDisableUserCommand, AdminEnableUserCommand, AdminGetUserCommand, AdminResetUserPasswordCommand,
  ConfirmForgotPasswordCommand, ConfirmSignUpCommand, CreateUserPoolClientCommand, GetUserCommand, InitiateAuthCommand, ListUsersCommand, RevokeTokenCommand, SignUpCommand
} from '@aws-sdk/client-cognito-identity-provider'
import { emulatorClient, emulatorInTempDir } from '../helper.ts'

const { emulator } = await emulatorInTempDir(t)
const cognito = emulatorClient(t, emulator)
const { clientId: ClientId, userPoolId: UserPoolId } = emulator
const PASSWORD = 'Correct1horse'

async function confirmed (email: string) {
  await cognito.send(new SignUpCommand({ ClientId, Username: email, Password: PASSWORD }))
  await cognito.send(new ConfirmSignUpCommand({ ClientId, Username: email, ConfirmationCode: emulator.mailbox.list(email)[0]?.code }))
  const out = await cognito.send(new InitiateAuthCommand({ ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: email, PASSWORD } }))
  return { access: out.AuthenticationResult?.AccessToken ?? '', refresh: out.AuthenticationResult?.RefreshToken ?? '' }
}
const refresh = (token: string) => cognito.send(new InitiateAuthCommand({ ClientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: token } }))
const emailOf = (user: { Attributes?: Array<{ Name?: string, Value?: string }> }) => user.Attributes?.find((a) => a.Name === 'email')?.Value

t.test('ListUsers: Limit and PaginationToken over every user once, a filter value with escaped quotes, bad input refused', async (t) => {
  const emails = ['list-a@example.com', 'list-b@example.com', 'list-c@example.com', 'list"q@example.com', 'other@example.com']
  for (const email of emails) await confirmed(email)
  const seen: string[] = []
  let token: string | undefined
  let pages = 0
  do {
    const page = await cognito.send(new ListUsersCommand({ UserPoolId, Filter: 'email ^= "list"', Limit: 2, PaginationToken: token }))
    t.ok((page.Users ?? []).length <= 2)
    seen.push(...(page.Users ?? []).map((u) => emailOf(u) ?? ''))
    token = page.PaginationToken
    pages++
  } while (token !== undefined && pages < 10)
  t.equal(pages, 2)
  t.same(seen.sort(), emails.filter((e) => e.startsWith('list')).sort(), 'every match once, across pages')
  const quoted = await cognito.send(new ListUsersCommand({ UserPoolId, Filter: 'email ^= "list\\"q"' }))
  t.same(quoted.Users?.map(emailOf), ['list"q@example.com'], 'an escaped quote is part of the value')
  t.equal((await cognito.send(new ListUsersCommand({ UserPoolId, Filter: 'email = "other@example.com"' }))).Users?.length, 1, 'equality')
  await t.rejects(cognito.send(new ListUsersCommand({ UserPoolId, Limit: 61 })), { name: 'InvalidParameterException' })
  await t.rejects(cognito.send(new ListUsersCommand({ UserPoolId, PaginationToken: 'bm90LWEtdG9rZW4' })), { name: 'InvalidParameterException' })
  await t.rejects(cognito.send(new ListUsersCommand({ UserPoolId, Filter: 'email ~ "x"' })), { name: 'InvalidParameterException' })
  await t.rejects(cognito.send(new ListUsersCommand({ UserPoolId, Filter: 'custom:plan = "x"' })), { name: 'InvalidParameterException' })
})

t.test('AdminDisableUser: sign-in refused, and every session ended: enabling again brings none back', async (t) => {
  const { access, refresh: token } = await confirmed('disabled@example.com')
  await cognito.send(new AdminDisableUserCommand({ UserPoolId, Username: 'DISABLED@example.com' }))
  t.equal((await cognito.send(new AdminGetUserCommand({ UserPoolId, Username: 'disabled@example.com' }))).Enabled, false)
  t.equal((await cognito.send(new ListUsersCommand({ UserPoolId, Filter: 'status = "Disabled"' }))).Users?.map(emailOf)[0], 'disabled@example.com')
  await t.rejects(cognito.send(new InitiateAuthCommand({ ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'disabled@example.com', PASSWORD } })), { name: 'NotAuthorizedException', message: 'User is disabled.' })
  await t.rejects(cognito.send(new GetUserCommand({ AccessToken: access })), { name: 'NotAuthorizedException' })
  await cognito.send(new AdminEnableUserCommand({ UserPoolId, Username: 'disabled@example.com' }))
  await t.rejects(refresh(token), { name: 'NotAuthorizedException' }, 'the old refresh token stays revoked')
  await t.rejects(cognito.send(new GetUserCommand({ AccessToken: access })), { name: 'NotAuthorizedException' }, 'and the old access token')
  await t.rejects(cognito.send(new AdminDisableUserCommand({ UserPoolId, Username: 'nobody@example.com' })), { name: 'UserNotFoundException' })
})

t.test('AdminResetUserPassword: RESET_REQUIRED, a code emailed, PasswordResetRequiredException until ConfirmForgotPassword', async (t) => {
  await confirmed('reset@example.com')
  await cognito.send(new AdminResetUserPasswordCommand({ UserPoolId, Username: 'reset@example.com' }))
  t.equal((await cognito.send(new AdminGetUserCommand({ UserPoolId, Username: 'reset@example.com' }))).UserStatus, 'RESET_REQUIRED')
  const message = emulator.mailbox.list('reset@example.com')[0]
  t.match(message, { source: 'ForgotPassword', medium: 'EMAIL' })
  await t.rejects(cognito.send(new InitiateAuthCommand({ ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'reset@example.com', PASSWORD } })), { name: 'PasswordResetRequiredException' })
  await cognito.send(new ConfirmForgotPasswordCommand({ ClientId, Username: 'reset@example.com', ConfirmationCode: message?.code, Password: 'Another1horse' }))
  const out = await cognito.send(new InitiateAuthCommand({ ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'reset@example.com', PASSWORD: 'Another1horse' } }))
  t.ok(out.AuthenticationResult?.AccessToken, 'the new password signs in')
  await t.rejects(cognito.send(new AdminResetUserPasswordCommand({ UserPoolId, Username: 'nobody@example.com' })), { name: 'UserNotFoundException' })
})

t.test('groups (cognito-local\'s own): in the tokens of the next refresh; an unknown group is ResourceNotFoundException', async (t) => {
  const { refresh: token } = await confirmed('grouped@example.com')
  await cognito.send(new AdminAddUserToGroupCommand({ UserPoolId, Username: 'grouped@example.com', GroupName: 'admin' }))
  const renewed = await refresh(token)
  const claims = JSON.parse(Buffer.from((renewed.AuthenticationResult?.AccessToken ?? '').split('.')[1] ?? '', 'base64url').toString())
  t.same(claims['cognito:groups'], ['admin'])
  await t.rejects(cognito.send(new AdminAddUserToGroupCommand({ UserPoolId, Username: 'grouped@example.com', GroupName: 'nope' })), { name: 'ResourceNotFoundException' })
})

t.test('ListUsers: AWS\'s case rules, the 256-character limit, sorted by the filter\'s attribute, AttributesToGet', async (t) => {
  for (const email of ['Case-b@example.com', 'case-a@example.com']) await confirmed(email)
  const list = (Filter: string, extra = {}) => cognito.send(new ListUsersCommand({ UserPoolId, Filter, ...extra }))
  t.same((await list('email ^= "CASE-"')).Users?.map(emailOf), ['case-a@example.com', 'Case-b@example.com'], 'email ignoring case, sorted by it')
  t.equal((await list('email = "case-B@EXAMPLE.com"')).Users?.length, 1)
  t.equal((await list('cognito:user_status = "confirmed"')).Users?.some((u) => emailOf(u) === 'case-a@example.com'), true, 'the status ignoring case')
  t.equal((await list('status = "enabled"')).Users?.length, 0, 'status (Enabled) is case-sensitive')
  const { Users: [someone] = [] } = await list('email = "case-a@example.com"')
  t.equal((await list(`username = "${String(someone?.Username).toUpperCase()}"`)).Users?.length, 0, 'username is case-sensitive')
  t.same((await list('email = "case-a@example.com"', { AttributesToGet: ['email'] })).Users?.[0]?.Attributes?.map((a) => a.Name), ['email'])
  await t.rejects(list(`email ^= "${'x'.repeat(250)}"`), { name: 'InvalidParameterException', message: /Member must have length less than or equal to 256/ })
})

t.test('RevokeToken: refresh tokens only, a client with revocation on, its own secret and tokens; a token revoked already is fine', async (t) => {
  const { access, refresh: token } = await confirmed('revoke@example.com')
  const revoke = (Token: string, ClientSecret?: string, client = ClientId) => cognito.send(new RevokeTokenCommand({ ClientId: client, Token, ClientSecret }))
  await t.rejects(revoke(access), { name: 'UnsupportedTokenTypeException' })
  await t.rejects(revoke(token, 'a-secret'), { name: 'UnauthorizedException' }, 'a secret for a client without one')
  const { UserPoolClient: other } = await cognito.send(new CreateUserPoolClientCommand({ UserPoolId, ClientName: 'secret', GenerateSecret: true, EnableTokenRevocation: true }))
  await t.rejects(revoke(token, other?.ClientSecret, other?.ClientId), { name: 'UnauthorizedException' }, 'a token of another client')
  await t.rejects(revoke(token, 'wrong', other?.ClientId), { name: 'UnauthorizedException' }, 'a wrong secret')
  const { UserPoolClient: closed } = await cognito.send(new CreateUserPoolClientCommand({ UserPoolId, ClientName: 'no-revocation', EnableTokenRevocation: false }))
  await t.rejects(revoke(token, undefined, closed?.ClientId), { name: 'UnsupportedOperationException' })
  t.same(await revoke(token).then(({ $metadata, ...rest }) => rest), {})
  await t.rejects(refresh(token), { name: 'NotAuthorizedException' }, 'revoked')
  t.same(await revoke(token).then(({ $metadata, ...rest }) => rest), {}, 'again: AWS answers success for a token revoked already')
  t.same(await revoke('not-a-token').then(({ $metadata, ...rest }) => rest), {}, 'and for one that is no token')
})

t.test('AdminResetUserPassword: a user with no password of their own yet cannot be reset', async (t) => {
  await cognito.send(new AdminCreateUserCommand({ UserPoolId, Username: 'invited-reset@example.com', MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email_verified', Value: 'true' }] }))
  await t.rejects(cognito.send(new AdminResetUserPasswordCommand({ UserPoolId, Username: 'invited-reset@example.com' })), { name: 'NotAuthorizedException' })
})
