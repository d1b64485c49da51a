// Passkeys in the embedded emulator, through the AWS SDK, with a software authenticator whose
// signatures the emulator verifies for real: registration (StartWebAuthnRegistration,
// CompleteWebAuthnRegistration), listing, deletion, and signing in with WEB_AUTHN.
import t from 'tap'
import {
  CompleteWebAuthnRegistrationCommand, CreateUserPoolClientCommand, DeleteWebAuthnCredentialCommand, GetUserAuthFactorsCommand, InitiateAuthCommand,
  ListWebAuthnCredentialsCommand, StartWebAuthnRegistrationCommand, UpdateUserPoolCommand
} from '@aws-sdk/client-cognito-identity-provider'
import { PASSWORD, startPool } from './pool.ts'
import { PASSWORD_POLICY } from '../../src/password-policy.ts'
import { requestChallenge, SoftAuthenticator } from './soft-authenticator.ts'

const pool = await startPool(t)
const { emulator, cognito, userAuth, respond } = pool
const start = (access: string) => cognito.send(new StartWebAuthnRegistrationCommand({ AccessToken: access }))
const complete = (access: string, credential: unknown) => cognito.send(new CompleteWebAuthnRegistrationCommand({ AccessToken: access, Credential: credential as never }))
const list = (access: string, more: { MaxResults?: number, NextToken?: string } = {}) => cognito.send(new ListWebAuthnCredentialsCommand({ AccessToken: access, ...more }))
type Options = { challenge: string, rp: { id?: string, name: string }, user: { id: string, name: string, displayName: string } } & Record<string, any>

/** A user with a registered passkey of `authenticator`. */
async function withPasskey (authenticator = new SoftAuthenticator()) {
  const user = await pool.confirmedUser('passkey')
  const { CredentialCreationOptions } = await start(user.access)
  await complete(user.access, authenticator.register(CredentialCreationOptions as Options))
  return { ...user, authenticator }
}

/** The WEB_AUTHN challenge of a passkey sign-in. */
const passkeyChallenge = (email: string) => userAuth(email, { PREFERRED_CHALLENGE: 'WEB_AUTHN' })
const answer = (challenge: { Session?: string }, email: string, assertion: unknown) => respond(challenge, 'WEB_AUTHN', email, { CREDENTIAL: JSON.stringify(assertion) })
const refused = { name: 'NotAuthorizedException', message: /^Passkey authentication failed/ }

t.test('registration: the options as AWS makes them, the passkey verified, stored and listed', async (t) => {
  const { access, sub } = await pool.confirmedUser('passkey')
  const { CredentialCreationOptions } = await start(access)
  const options = CredentialCreationOptions as Options
  t.match(options, {
    rp: { id: 'localhost', name: 'localhost' },
    user: { id: Buffer.from(sub).toString('base64url'), name: /@example\.com$/ },
    pubKeyCredParams: [{ alg: -7, type: 'public-key' }, { alg: -257, type: 'public-key' }],
    authenticatorSelection: { residentKey: 'required', requireResidentKey: true, userVerification: 'preferred' },
    excludeCredentials: [],
    timeout: 60000
  })
  const authenticator = new SoftAuthenticator('cross-platform', ['usb'])
  t.same(await complete(access, authenticator.register(options)).then(({ $metadata, ...rest }) => rest), {})
  const { Credentials = [] } = await list(access)
  t.equal(Credentials.length, 1)
  t.match(Credentials[0], {
    CredentialId: authenticator.id, FriendlyCredentialName: 'Roaming passkey', RelyingPartyId: 'localhost', AuthenticatorAttachment: 'cross-platform', AuthenticatorTransports: ['usb']
  })
  t.type(Credentials[0]?.CreatedAt, Date)
  t.same((await cognito.send(new GetUserAuthFactorsCommand({ AccessToken: access }))).ConfiguredUserAuthFactors, ['PASSWORD', 'EMAIL_OTP', 'WEB_AUTHN'])
  const next = (await start(access)).CredentialCreationOptions as Options
  t.same(next.excludeCredentials, [{ id: authenticator.id, type: 'public-key', transports: ['usb'] }], 'the passkeys the user has are excluded')
  await t.rejects(complete(access, authenticator.register(next)), { name: 'InvalidParameterException' }, 'the same credential twice')
})

t.test('registration refused as AWS names each refusal', async (t) => {
  const { access } = await pool.confirmedUser('passkey')
  const authenticator = new SoftAuthenticator()
  const fresh = async () => (await start(access)).CredentialCreationOptions as Options
  await t.rejects(complete(access, authenticator.register({ challenge: 'bm90LXN0YXJ0ZWQ', rp: { id: 'localhost' }, user: { id: 'dQ' } })),
    { name: 'WebAuthnChallengeNotFoundException' }, 'nothing started')
  const options = await fresh()
  const made = authenticator.register(options)
  await t.rejects(complete(access, authenticator.register({ ...options, challenge: 'b3RoZXI' })), { name: 'WebAuthnChallengeNotFoundException' }, 'another challenge')
  await t.rejects(complete(access, made), { name: 'WebAuthnChallengeNotFoundException' }, 'a start is used once, even by a refusal')
  await t.rejects(complete(access, authenticator.register(await fresh(), { origin: 'https://evil.example' })), { name: 'WebAuthnOriginNotAllowedException' })
  await t.rejects(complete(access, authenticator.register(await fresh(), { origin: 'http://localhost.evil.example:3000' })), { name: 'WebAuthnOriginNotAllowedException' })
  await t.rejects(complete(access, authenticator.register(await fresh(), { rpId: 'example.com' })), { name: 'WebAuthnRelyingPartyMismatchException' })
  await t.rejects(complete(access, authenticator.register(await fresh(), { fmt: 'packed' })), { name: 'WebAuthnCredentialNotSupportedException' },
    'an attestation without the statement its format needs')
  await t.rejects(complete(access, { id: 'x' }), { name: 'InvalidParameterException' }, 'not a RegistrationResponseJSON')
  await t.rejects(start('not-a-token'), { name: 'NotAuthorizedException' })
  await t.rejects(list('not-a-token'), { name: 'NotAuthorizedException' })
  t.same((await list(access)).Credentials, [], 'nothing was stored')
  await t.rejects(complete(access, authenticator.register(await fresh(), { origin: 'http://localhost:8080' })), { name: 'WebAuthnOriginNotAllowedException' },
    'another localhost port: another local server, not the one the pool serves')
  emulator.setWebAuthnOrigins(['http://localhost:3000', 'https://localhost:8443'])
  t.teardown(() => { emulator.setWebAuthnOrigins(['http://localhost:3000']) })
  t.ok(await complete(access, authenticator.register(await fresh(), { origin: 'https://localhost:8443' })), 'an origin the server names is accepted')
})

t.test('a registration started with another app client\'s token', async (t) => {
  const { UserPoolClient } = await cognito.send(new CreateUserPoolClientCommand({ UserPoolId: emulator.userPoolId, ClientName: 'second', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'] }))
  const { email, access } = await pool.confirmedUser('passkey')
  const second = await cognito.send(new InitiateAuthCommand({ ClientId: UserPoolClient?.ClientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: email, PASSWORD } }))
  const options = (await start(second.AuthenticationResult?.AccessToken ?? '')).CredentialCreationOptions as Options
  await t.rejects(complete(access, new SoftAuthenticator().register(options)), { name: 'WebAuthnClientMismatchException' })
})

t.test('signing in with a passkey: a real signature, once, for this user, at an allowed origin', async (t) => {
  const alice = await withPasskey()
  const bob = await withPasskey()
  const choose = await userAuth(alice.email)
  t.same(choose.AvailableChallenges, ['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP', 'WEB_AUTHN'])

  const challenge = await passkeyChallenge(alice.email)
  t.equal(challenge.ChallengeName, 'WEB_AUTHN')
  const options = JSON.parse(challenge.ChallengeParameters?.CREDENTIAL_REQUEST_OPTIONS ?? '{}')
  t.match(options, { rpId: 'localhost', userVerification: 'preferred', allowCredentials: [{ id: alice.authenticator.id, type: 'public-key' }] })
  const assertion = alice.authenticator.sign(options.challenge)
  const tokens = await answer(challenge, alice.email, assertion)
  t.ok(tokens.AuthenticationResult?.AccessToken, 'signed in')
  await t.rejects(answer(challenge, alice.email, assertion), { name: 'NotAuthorizedException', message: /can only be used once/ }, 'the session is spent')
  await t.rejects(answer(await passkeyChallenge(alice.email), alice.email, assertion), refused, 'a replayed assertion signs another challenge')

  const forBob = await passkeyChallenge(bob.email)
  await t.rejects(answer(forBob, bob.email, alice.authenticator.sign(requestChallenge(forBob.ChallengeParameters?.CREDENTIAL_REQUEST_OPTIONS))), refused,
    'alice\'s passkey answering bob\'s challenge')
  const aliceSession = await passkeyChallenge(alice.email)
  await t.rejects(answer(aliceSession, bob.email, bob.authenticator.sign(requestChallenge(aliceSession.ChallengeParameters?.CREDENTIAL_REQUEST_OPTIONS))),
    { name: 'NotAuthorizedException', message: /^Invalid session for the user/ }, 'bob answering with alice\'s session')

  const elsewhere = await passkeyChallenge(alice.email)
  await t.rejects(answer(elsewhere, alice.email, alice.authenticator.sign(requestChallenge(elsewhere.ChallengeParameters?.CREDENTIAL_REQUEST_OPTIONS), { origin: 'https://evil.example' })),
    refused, 'signed for another origin')
  const otherRp = await passkeyChallenge(alice.email)
  await t.rejects(answer(otherRp, alice.email, alice.authenticator.sign(requestChallenge(otherRp.ChallengeParameters?.CREDENTIAL_REQUEST_OPTIONS), { rpId: 'example.com' })),
    refused, 'signed for another relying party')
  const cloned = await passkeyChallenge(alice.email)
  await t.rejects(answer(cloned, alice.email, alice.authenticator.sign(requestChallenge(cloned.ChallengeParameters?.CREDENTIAL_REQUEST_OPTIONS), { counter: 1 })),
    refused, 'a counter that did not go up (a cloned authenticator)')
  await t.rejects(answer(await passkeyChallenge(alice.email), alice.email, 'not json'), refused)

  const otherPort = await passkeyChallenge(alice.email)
  await t.rejects(answer(otherPort, alice.email, alice.authenticator.sign(requestChallenge(otherPort.ChallengeParameters?.CREDENTIAL_REQUEST_OPTIONS), { origin: 'http://localhost:8080' })),
    refused, 'signed at another localhost port: a page of another local server')
  emulator.setWebAuthnOrigins(['http://localhost:3000', 'https://localhost:8443'])
  t.teardown(() => { emulator.setWebAuthnOrigins(['http://localhost:3000']) })
  const secure = await passkeyChallenge(alice.email)
  t.ok((await answer(secure, alice.email, alice.authenticator.sign(requestChallenge(secure.ChallengeParameters?.CREDENTIAL_REQUEST_OPTIONS), { origin: 'https://localhost:8443' })))
    .AuthenticationResult?.AccessToken, 'the counter was stored, and an origin the server names is accepted')

  const picked = await respond(await userAuth(alice.email), 'SELECT_CHALLENGE', alice.email, { ANSWER: 'WEB_AUTHN' })
  t.equal(picked.ChallengeName, 'WEB_AUTHN', 'chosen without a credential: its challenge')
  const atOnce = await userAuth(alice.email)
  const signed = await respond(atOnce, 'SELECT_CHALLENGE', alice.email, {
    ANSWER: 'WEB_AUTHN', CREDENTIAL: JSON.stringify(alice.authenticator.sign(requestChallenge(atOnce.ChallengeParameters?.CREDENTIAL_REQUEST_OPTIONS)))
  })
  t.ok(signed.AuthenticationResult?.AccessToken, 'chosen with a credential signing the options SELECT_CHALLENGE came with')
})

t.test('listing pages through the passkeys; deleting one of one\'s own only', async (t) => {
  const alice = await withPasskey()
  const second = new SoftAuthenticator()
  await complete(alice.access, second.register((await start(alice.access)).CredentialCreationOptions as Options))
  const first = await list(alice.access, { MaxResults: 1 })
  t.same(first.Credentials?.map((c) => c.CredentialId), [alice.authenticator.id])
  t.type(first.NextToken, 'string')
  const rest = await list(alice.access, { MaxResults: 1, NextToken: first.NextToken })
  t.same(rest.Credentials?.map((c) => c.CredentialId), [second.id])
  t.equal(rest.NextToken, undefined)
  await t.rejects(list(alice.access, { MaxResults: 21 }), { name: 'InvalidParameterException' })

  const bob = await withPasskey()
  await t.rejects(cognito.send(new DeleteWebAuthnCredentialCommand({ AccessToken: bob.access, CredentialId: alice.authenticator.id })), { name: 'ResourceNotFoundException' },
    'another user\'s credential')
  await cognito.send(new DeleteWebAuthnCredentialCommand({ AccessToken: alice.access, CredentialId: alice.authenticator.id }))
  t.same((await list(alice.access)).Credentials?.map((c) => c.CredentialId), [second.id])
  const challenge = await passkeyChallenge(alice.email)
  t.same(JSON.parse(challenge.ChallengeParameters?.CREDENTIAL_REQUEST_OPTIONS ?? '{}').allowCredentials.map((c: { id: string }) => c.id), [second.id])
  await t.rejects(answer(challenge, alice.email, alice.authenticator.sign(requestChallenge(challenge.ChallengeParameters?.CREDENTIAL_REQUEST_OPTIONS))), refused,
    'a deleted passkey signs in no more')
  await cognito.send(new DeleteWebAuthnCredentialCommand({ AccessToken: alice.access, CredentialId: second.id }))
  t.equal((await passkeyChallenge(alice.email)).ChallengeName, 'SELECT_CHALLENGE', 'without a passkey, WEB_AUTHN is not offered')
})

t.test('a registration start lives three minutes; a user has at most 20 passkeys', async (t) => {
  const { access } = await pool.confirmedUser('passkey')
  const late = (await start(access)).CredentialCreationOptions as Options
  pool.clock.offsetMs += 3 * 60_000 + 1000
  t.teardown(() => { pool.clock.offsetMs = 0 })
  await t.rejects(complete(access, new SoftAuthenticator().register(late)), { name: 'WebAuthnChallengeNotFoundException' }, 'an expired start')
  for (let i = 0; i < 20; i++) await complete(access, new SoftAuthenticator().register((await start(access)).CredentialCreationOptions as Options))
  t.equal((await list(access, { MaxResults: 20 })).Credentials?.length, 20)
  await t.rejects(complete(access, new SoftAuthenticator().register((await start(access)).CredentialCreationOptions as Options)), { name: 'LimitExceededException' })
})

t.test('a pool that does not allow passkeys refuses to register them', async (t) => {
  const strict = await startPool(t)
  await strict.cognito.send(new UpdateUserPoolCommand({
    // As on AWS, what UpdateUserPool leaves out goes back to its default: the password policy is given again.
    UserPoolId: strict.emulator.userPoolId,
    AutoVerifiedAttributes: ['email'],
    Policies: { PasswordPolicy: PASSWORD_POLICY, SignInPolicy: { AllowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP'] } }
  }))
  const { email, access } = await strict.confirmedUser()
  await t.rejects(strict.cognito.send(new StartWebAuthnRegistrationCommand({ AccessToken: access })), { name: 'WebAuthnNotEnabledException' })
  t.same((await strict.userAuth(email)).AvailableChallenges, ['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP'])
})
