import {
  AdminSetUserMFAPreferenceCommand,
  AdminUpdateUserAttributesCommand,
  CognitoIdentityProviderClient,
  SetUserPoolMfaConfigCommand
} from '@aws-sdk/client-cognito-identity-provider'
import { generateSync } from 'otplib'
import type { Test } from 'tap'
import type { PoolAdmin } from '../scripts/admin.ts'
import { adminOf, type Client, type GraphQLResponse, PASSWORD, signedIn } from './helper.ts'

/** Rate limits out of the way of tests that sign in more often than a person would. */
export const RELAXED_LIMITS = { RATE_LIMITS: JSON.stringify({ 'signIn.address': { max: 1000 }, 'signIn.email': { max: 1000 }, 'signIn.device': { max: 1000 }, 'code.user': { max: 1000 }, 'code.address': { max: 1000 } }) }

/** The TOTP code of `secret`, `steps` 30-second steps from `now` (Cognito takes the step either side). */
export function totp (secret: string, steps = 0, now = Date.now()): string {
  return generateSync({ secret, epoch: Math.floor(now / 1000) + steps * 30 })
}

/** A code for `secret` that is surely wrong now. */
export function wrongTotp (secret: string): string {
  const valid = new Set([-1, 0, 1].map((s) => totp(secret, s)))
  for (let n = 0; ; n++) {
    const candidate = String(n).padStart(6, '0')
    if (!valid.has(candidate)) return candidate
  }
}

/** Makes the pool require MFA (MfaConfiguration ON), as a pool provisioned with `--mfa ON` does. */
export async function requireMfa (admin: PoolAdmin): Promise<void> {
  await admin.cognito.send(new SetUserPoolMfaConfigCommand({ UserPoolId: admin.userPoolId, MfaConfiguration: 'ON', SoftwareTokenMfaConfiguration: { Enabled: true } }))
}

/** Gives a user a verified phone number and turns SMS MFA on for them (self-service SMS enrolment is out of scope). */
export async function enableSmsMfa (admin: PoolAdmin, email: string, phone: string, preferred = true): Promise<void> {
  await admin.cognito.send(new AdminUpdateUserAttributesCommand({
    UserPoolId: admin.userPoolId,
    Username: email,
    UserAttributes: [{ Name: 'phone_number', Value: phone }, { Name: 'phone_number_verified', Value: 'true' }]
  }))
  await admin.cognito.send(new AdminSetUserMFAPreferenceCommand({ UserPoolId: admin.userPoolId, Username: email, SMSMfaSettings: { Enabled: true, PreferredMfa: preferred } }))
}

export type { CognitoIdentityProviderClient }
/** One admin helper (test/helper.ts's), also reachable here where the challenge tests import it. */
export { adminOf }

/** Everything a sign-in step answers: the session's user with its MFA settings, or the whole challenge. */
export const SIGN_IN_STEP = `
  __typename
  ... on Session { expiresAt user { id email mfa preferredMfa } }
  ... on Challenge { name codeDelivery { medium destination } mfaOptions totpSetup { secret otpauthUri } }
`
/** signIn answering the whole SIGN_IN_STEP (helper.ts's SIGN_IN asks for less). */
export const SIGN_IN_STEP_DOC = `mutation ($email: String!, $password: String!) { signIn(input: { email: $email, password: $password }) { ${SIGN_IN_STEP} } }`
export const RESPOND = `mutation ($input: RespondToChallengeInput!) { respondToChallenge(input: $input) { ${SIGN_IN_STEP} } }`
/** me with the MFA settings (helper.ts's ME reads only what the tokens carry). */
export const ME_WITH_MFA = '{ me { id email emailVerified name groups mfa preferredMfa } }'
export const SETUP_TOTP = 'mutation ($p: String!) { setupTotp(input: { currentPassword: $p }) { secret otpauthUri } }'
export const VERIFY_TOTP = 'mutation ($code: String!) { verifyTotp(input: { code: $code }) { id mfa preferredMfa } }'
export const DISABLE_TOTP = 'mutation ($p: String!) { disableTotp(input: { currentPassword: $p }) { id mfa preferredMfa } }'

/** The cookie names a client holds, without the known-device cookie (no session). */
export function cookieNames (client: Client): string[] {
  return [...client.jar.keys()].filter((name) => !name.endsWith('device')).sort()
}

/** Asserts that the answer failed with exactly `code`. */
export function failsWith (t: Test, res: GraphQLResponse, code: string, message?: RegExp): void {
  t.same(res.codes, [code], `answers ${code}`)
  t.notMatch(res.response.body, /Exception/, 'no AWS exception name in the body')
  if (message !== undefined) t.match(res.errors?.[0]?.message, message)
}

/** A signed-in user with an authenticator set up and verified; the codes of the current steps are spent. */
export async function withTotp (client: Client, email?: string): Promise<{ email: string, secret: string }> {
  const address = await signedIn(client, email)
  const setup = await client.gql(SETUP_TOTP, { p: PASSWORD })
  const secret = setup.data?.setupTotp?.secret as string | undefined
  if (secret === undefined) throw new Error(`setupTotp failed: ${JSON.stringify(setup.errors)}`)
  const verified = await client.gql(VERIFY_TOTP, { code: totp(secret) })
  if (verified.errors !== undefined) throw new Error(`verifyTotp failed: ${JSON.stringify(verified.errors)}`)
  return { email: address, secret }
}
