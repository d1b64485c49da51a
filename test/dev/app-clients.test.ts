// App clients made through Cognito's API take effect in the embedded emulator (token validities
// and units, secrets, AWS's defaults and limits, UpdateUserPoolClient resetting what it is not
// given), and SECRET_HASH is checked on every operation that takes one, over the name AWS uses.
import t from 'tap'
import {
  ConfirmForgotPasswordCommand, ConfirmSignUpCommand, CreateUserPoolClientCommand, DescribeUserPoolClientCommand, ForgotPasswordCommand,
  GetTokensFromRefreshTokenCommand, InitiateAuthCommand, ResendConfirmationCodeCommand, SignUpCommand, UpdateUserPoolClientCommand
} from '@aws-sdk/client-cognito-identity-provider'
import { createApiPool, secretHashOf, srpExchange } from './pools.ts'
import { PASSWORD, startPool } from './pool.ts'

const { emulator, cognito } = await startPool(t)
const claims = (jwt = '') => JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString()) as Record<string, number | string>
const lifetime = (jwt?: string) => Number(claims(jwt).exp) - Number(claims(jwt).iat)

t.test('token validities and their units, as the client was made and updated', async (t) => {
  const pool = await createApiPool(cognito, {
    client: { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'], AccessTokenValidity: 10, IdTokenValidity: 2, RefreshTokenValidity: 90, TokenValidityUnits: { AccessToken: 'minutes', IdToken: 'hours', RefreshToken: 'minutes' } }
  })
  const email = await pool.user()
  const signIn = () => cognito.send(new InitiateAuthCommand({ ClientId: pool.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: email, PASSWORD } }))
  const { AuthenticationResult: first } = await signIn()
  t.equal(lifetime(first?.AccessToken), 600, 'access: 10 minutes')
  t.equal(first?.ExpiresIn, 600)
  t.equal(lifetime(first?.IdToken), 7200, 'id: 2 hours')
  t.equal(lifetime(first?.RefreshToken), 5400, 'refresh: 90 minutes')

  await cognito.send(new UpdateUserPoolClientCommand({ UserPoolId: pool.userPoolId, ClientId: pool.clientId, ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'], AccessTokenValidity: 1 }))
  const { UserPoolClient: updated } = await cognito.send(new DescribeUserPoolClientCommand({ UserPoolId: pool.userPoolId, ClientId: pool.clientId }))
  t.match(updated, { AccessTokenValidity: 1, IdTokenValidity: 1, RefreshTokenValidity: 30, TokenValidityUnits: { AccessToken: 'hours', IdToken: 'hours', RefreshToken: 'days' }, ClientName: 'app' },
    'what the update left out went back to AWS\'s defaults, as on AWS')
  const { AuthenticationResult: second } = await signIn()
  t.equal(lifetime(second?.AccessToken), 3600, 'access: 1 hour')
  t.equal(lifetime(second?.RefreshToken), 30 * 86400, 'refresh: 30 days')
  await t.rejects(cognito.send(new InitiateAuthCommand({ ClientId: pool.clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: second?.RefreshToken ?? '' } })),
    { name: 'InvalidParameterException' }, 'the update took refresh from the client')
})

t.test('AWS\'s limits and defaults for a new client', async (t) => {
  const { userPoolId } = await createApiPool(cognito)
  const create = (settings: object) => cognito.send(new CreateUserPoolClientCommand({ UserPoolId: userPoolId, ClientName: 'limits', ...settings }))
  await t.rejects(create({ AccessTokenValidity: 2, TokenValidityUnits: { AccessToken: 'minutes' } }), { name: 'InvalidParameterException', message: /AccessTokenValidity must be between 5 minutes and 1 day/ })
  await t.rejects(create({ IdTokenValidity: 25 }), { name: 'InvalidParameterException', message: /IdTokenValidity/ }, '25 hours')
  await t.rejects(create({ RefreshTokenValidity: 3651 }), { name: 'InvalidParameterException', message: /RefreshTokenValidity/ }, 'over ten years')
  await t.rejects(create({ ExplicitAuthFlows: ['ALLOW_EVERYTHING'] }), { name: 'InvalidParameterException' })
  await t.rejects(create({ ExplicitAuthFlows: ['USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH'] }), { name: 'InvalidParameterException' }, 'legacy and ALLOW_ names mixed')
  const { UserPoolClient } = await create({ GenerateSecret: true })
  t.match(UserPoolClient, { ClientSecret: /^[a-z0-9]{51}$/, ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_CUSTOM_AUTH'], EnableTokenRevocation: true, AuthSessionValidity: 3 })
  const described = await cognito.send(new DescribeUserPoolClientCommand({ UserPoolId: userPoolId, ClientId: UserPoolClient?.ClientId }))
  t.equal(described.UserPoolClient?.ClientSecret, UserPoolClient?.ClientSecret, 'DescribeUserPoolClient shows the secret')
  const legacy = await create({ ExplicitAuthFlows: ['USER_PASSWORD_AUTH'] })
  t.same(legacy.UserPoolClient?.ExplicitAuthFlows, ['USER_PASSWORD_AUTH'], 'the legacy names are kept as given')
})

t.test('SECRET_HASH: missing, wrong, or over another name is refused on every operation that takes it; the right one passes', async (t) => {
  const pool = await createApiPool(cognito, { client: { GenerateSecret: true, ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] } })
  const ClientId = pool.clientId
  const secret = pool.clientSecret ?? ''
  const email = `secret-${Date.now()}@example.com`
  const right = secretHashOf(secret, email, ClientId)
  const missing = { name: 'NotAuthorizedException', message: `Client ${ClientId} is configured for secret but secret was not received` }
  const wrong = { name: 'NotAuthorizedException', message: `Unable to verify secret hash for client ${ClientId}` }
  const byOperation = (hash: string | undefined) => ({
    SignUp: () => cognito.send(new SignUpCommand({ ClientId, Username: email, Password: PASSWORD, SecretHash: hash })),
    ResendConfirmationCode: () => cognito.send(new ResendConfirmationCodeCommand({ ClientId, Username: email, SecretHash: hash })),
    ConfirmSignUp: () => cognito.send(new ConfirmSignUpCommand({ ClientId, Username: email, ConfirmationCode: emulator.mailbox.list(email)[0]?.code, SecretHash: hash })),
    InitiateAuth: () => cognito.send(new InitiateAuthCommand({ ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: email, PASSWORD, ...(hash === undefined ? {} : { SECRET_HASH: hash }) } })),
    ForgotPassword: () => cognito.send(new ForgotPasswordCommand({ ClientId, Username: email, SecretHash: hash })),
    ConfirmForgotPassword: () => cognito.send(new ConfirmForgotPasswordCommand({ ClientId, Username: email, ConfirmationCode: emulator.mailbox.list(email)[0]?.code, Password: PASSWORD, SecretHash: hash }))
  })
  for (const [operation, call] of Object.entries(byOperation(right))) {
    await t.rejects(byOperation(undefined)[operation as 'SignUp'](), missing, `${operation}: missing`)
    await t.rejects(byOperation(`${right.startsWith('A') ? 'B' : 'A'}${right.slice(1)}`)[operation as 'SignUp'](), wrong, `${operation}: wrong`)
    await t.rejects(byOperation(secretHashOf(secret, email.toUpperCase(), ClientId))[operation as 'SignUp'](), wrong, `${operation}: over another name`)
    await t.resolves(call(), `${operation}: right`)
  }

  // RespondToAuthChallenge: over the USERNAME answered (for SRP, USER_ID_FOR_SRP).
  const srp = srpExchange(pool.poolName)
  const started = await cognito.send(new InitiateAuthCommand({ ClientId, AuthFlow: 'USER_SRP_AUTH', AuthParameters: { USERNAME: email, SRP_A: srp.A, SECRET_HASH: right } }))
  const id = String(started.ChallengeParameters?.USER_ID_FOR_SRP)
  const claim = srp.claim(id, PASSWORD, started.ChallengeParameters)
  await t.rejects(pool.respond(started, 'PASSWORD_VERIFIER', id, { ...claim, SECRET_HASH: right }), wrong, 'PASSWORD_VERIFIER over the email, not USER_ID_FOR_SRP')
  const tokens = await pool.respond(started, 'PASSWORD_VERIFIER', id, claim)
  t.ok(tokens.AuthenticationResult?.RefreshToken, 'over USER_ID_FOR_SRP (the session stood: the hash is checked before it is spent)')

  // A refresh: over Cognito's username, not the email signed in with.
  const refresh = (hash?: string) => cognito.send(new InitiateAuthCommand({ ClientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: tokens.AuthenticationResult?.RefreshToken ?? '', ...(hash === undefined ? {} : { SECRET_HASH: hash }) } }))
  await t.rejects(refresh(), missing)
  await t.rejects(refresh(right), wrong, 'over the email')
  t.ok((await refresh(secretHashOf(secret, id, ClientId))).AuthenticationResult?.AccessToken, 'over Cognito\'s username')
  await t.rejects(cognito.send(new GetTokensFromRefreshTokenCommand({ ClientId, RefreshToken: tokens.AuthenticationResult?.RefreshToken, ClientSecret: `${secret}x` })), { name: 'NotAuthorizedException' }, 'GetTokensFromRefreshToken takes the secret itself')

  const open = await createApiPool(cognito, { client: { ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'] } })
  const user = await open.user()
  t.ok((await cognito.send(new InitiateAuthCommand({ ClientId: open.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: user, PASSWORD, SECRET_HASH: 'anything' } }))).AuthenticationResult,
    'a client without a secret ignores one')
})
