// The embedded emulator's GetTokensFromRefreshToken: rotation, the grace period and reuse
// detection for an app client that rotates refresh tokens, and the plain refresh for one that does not.
import { setTimeout as sleep } from 'node:timers/promises'
import {
  ConfirmSignUpCommand, GetTokensFromRefreshTokenCommand, GetUserCommand, InitiateAuthCommand, RevokeTokenCommand, SignUpCommand, type CognitoIdentityProviderClient
} from '@aws-sdk/client-cognito-identity-provider'
import t, { type Test } from 'tap'
import type { Emulator } from '../../src/dev/emulator.ts'
import type { RefreshTokenRotation } from '../../src/dev/rules/refresh-rotation.ts'
import { emulatorClient, emulatorInTempDir } from '../helper.ts'

const PASSWORD = 'Correct1horse'
const claims = (jwt: string): Record<string, any> => JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString())

async function emulatorWith (t: Test, refreshTokenRotation?: RefreshTokenRotation): Promise<{ emulator: Emulator, cognito: CognitoIdentityProviderClient }> {
  const { emulator } = await emulatorInTempDir(t, { refreshTokenRotation })
  return { emulator, cognito: emulatorClient(t, emulator) }
}

/** A confirmed user's first tokens. */
async function signedIn ({ emulator, cognito }: { emulator: Emulator, cognito: CognitoIdentityProviderClient }) {
  const email = `rotation-${Date.now()}-${Math.random().toString(36).slice(2)}@example.com`
  await cognito.send(new SignUpCommand({ ClientId: emulator.clientId, Username: email, Password: PASSWORD }))
  const code = emulator.mailbox.list(email)[0]?.code ?? ''
  await cognito.send(new ConfirmSignUpCommand({ ClientId: emulator.clientId, Username: email, ConfirmationCode: code }))
  const out = await cognito.send(new InitiateAuthCommand({ ClientId: emulator.clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: email, PASSWORD } }))
  return out.AuthenticationResult as { AccessToken: string, IdToken: string, RefreshToken: string }
}

t.test('rotation on, no grace period: each refresh replaces the refresh token; the replaced one is RefreshTokenReuseException', async (t) => {
  const site = await emulatorWith(t, { Feature: 'ENABLED', RetryGracePeriodSeconds: 0 })
  const { emulator, cognito } = site
  const first = await signedIn(site)
  const refresh = (token: string) => cognito.send(new GetTokensFromRefreshTokenCommand({ ClientId: emulator.clientId, RefreshToken: token }))

  const second = (await refresh(first.RefreshToken)).AuthenticationResult
  t.ok(second?.RefreshToken !== undefined && second.RefreshToken !== first.RefreshToken, 'a new refresh token')
  t.equal(second?.TokenType, 'Bearer')
  t.equal(claims(second?.AccessToken ?? '').origin_jti, claims(first.AccessToken).origin_jti, 'the same session (origin_jti)')
  t.equal(claims(second?.RefreshToken ?? '').exp, claims(first.RefreshToken).exp, 'the session keeps its end')

  await t.rejects(refresh(first.RefreshToken), { name: 'RefreshTokenReuseException' }, 'the replaced token is a reuse')
  const third = (await refresh(second?.RefreshToken ?? '')).AuthenticationResult
  t.ok(third?.AccessToken, 'the new one refreshes (a reuse does not end the session at the emulator: the server does)')
  await t.rejects(cognito.send(new InitiateAuthCommand({ ClientId: emulator.clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: third?.RefreshToken ?? '' } })),
    { name: 'NotAuthorizedException' }, 'REFRESH_TOKEN_AUTH is refused on a rotating client')

  await cognito.send(new RevokeTokenCommand({ ClientId: emulator.clientId, Token: third?.RefreshToken ?? '' }))
  await t.rejects(refresh(third?.RefreshToken ?? ''), { name: 'NotAuthorizedException' }, 'a revoked token is refused')
  await t.rejects(refresh(first.RefreshToken), { name: 'NotAuthorizedException' }, 'and a replaced one of a revoked session is no reuse, only refused')
  await t.rejects(cognito.send(new GetUserCommand({ AccessToken: third?.AccessToken ?? '' })), { name: 'NotAuthorizedException' }, 'the session\'s access tokens are revoked with it')
  await t.rejects(refresh('not-a-token'), { name: 'NotAuthorizedException' })
})

t.test('rotation with a grace period: the replaced token refreshes again within it, then is a reuse', async (t) => {
  const site = await emulatorWith(t, { Feature: 'ENABLED', RetryGracePeriodSeconds: 2 })
  const { emulator, cognito } = site
  const first = await signedIn(site)
  const refresh = (token: string) => cognito.send(new GetTokensFromRefreshTokenCommand({ ClientId: emulator.clientId, RefreshToken: token }))
  const second = (await refresh(first.RefreshToken)).AuthenticationResult
  const retry = (await refresh(first.RefreshToken)).AuthenticationResult
  t.ok(retry?.RefreshToken !== undefined && retry.RefreshToken !== second?.RefreshToken, 'a retry within the grace period gets tokens too')
  await sleep(3100)
  await t.rejects(refresh(first.RefreshToken), { name: 'RefreshTokenReuseException' }, 'past the grace period it is a reuse')
  t.ok((await refresh(retry?.RefreshToken ?? '')).AuthenticationResult?.AccessToken, 'the newest token still refreshes')
})

t.test('rotation off: GetTokensFromRefreshToken answers like REFRESH_TOKEN_AUTH, with no new refresh token', async (t) => {
  const site = await emulatorWith(t)
  const { emulator, cognito } = site
  const first = await signedIn(site)
  const refresh = (token: string) => cognito.send(new GetTokensFromRefreshTokenCommand({ ClientId: emulator.clientId, RefreshToken: token }))
  const out = (await refresh(first.RefreshToken)).AuthenticationResult
  t.ok(out?.AccessToken !== undefined && out.IdToken !== undefined)
  t.equal(out?.RefreshToken, undefined, 'no new refresh token')
  t.ok((await refresh(first.RefreshToken)).AuthenticationResult?.AccessToken, 'the same token refreshes again')
  await t.rejects(cognito.send(new GetTokensFromRefreshTokenCommand({ ClientId: 'another-client', RefreshToken: first.RefreshToken })), { name: 'ResourceNotFoundException' })
})
