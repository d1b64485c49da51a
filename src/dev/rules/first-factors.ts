// Choice-based sign-in (USER_AUTH): the first factors a user can choose from and how each one
// starts. Where a username matches nobody, AWS (PreventUserExistenceErrors) still answers with
// challenges; the bridge answers as for a plausible user: one with an email address and a passkey
// and no phone number, whose every answer turns out wrong.
import { InvalidParameterError } from 'cognito-local/lib/errors.js'
import { attributeValue, type User, type UserPoolService } from 'cognito-local/lib/services/userPoolService.js'
import type { Bridge } from './bridge.ts'
import type { AuthAnswer } from './authentication-result.ts'
import { sendCodeChallenge } from './one-time-codes.ts'
import { allowedFirstFactors, passkeysOf, requestOptions } from './passkeys.ts'

/** The first factors of choice-based sign-in, in the order AWS lists them. */
export const FIRST_FACTORS = ['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP', 'SMS_OTP', 'WEB_AUTHN'] as const
export type FirstFactor = typeof FIRST_FACTORS[number]

export const isFirstFactor = (name: unknown): name is FirstFactor => FIRST_FACTORS.includes(name as FirstFactor)

/**
 * The factors a user can sign in with: those the pool allows (a password always, as PASSWORD and
 * PASSWORD_SRP) that the user has. Assumed: one-time codes need a verified address and a
 * confirmed account, as do passkeys; `null` (nobody) has an email address and a passkey.
 */
export function availableFactors (pool: UserPoolService, user: User | null): FirstFactor[] {
  const allowed = allowedFirstFactors(pool)
  const confirmed = user === null || user.UserStatus === 'CONFIRMED'
  const verified = (attribute: string) => user === null ? attribute === 'email' : attributeValue(`${attribute}_verified`, user.Attributes) === 'true'
  const has: Record<FirstFactor, boolean> = {
    PASSWORD: true,
    PASSWORD_SRP: true,
    EMAIL_OTP: confirmed && verified('email'),
    SMS_OTP: confirmed && verified('phone_number'),
    WEB_AUTHN: confirmed && (user === null || passkeysOf(user).length > 0)
  }
  return FIRST_FACTORS.filter((f) => has[f] && (f === 'PASSWORD_SRP' ? allowed.includes('PASSWORD') : allowed.includes(f)))
}

type Starting = Pick<Bridge, 'ctx' | 'services' | 'sessions'>

/**
 * SELECT_CHALLENGE with the user's AvailableChallenges. Assumed: when a passkey is among them, the
 * parameters carry CREDENTIAL_REQUEST_OPTIONS, so that a client can answer WEB_AUTHN with its
 * CREDENTIAL at once (which AWS documents for this answer).
 */
export async function selectChallenge (bridge: Starting, pool: UserPoolService, user: User | null, username: string): Promise<AuthAnswer & { AvailableChallenges: string[] }> {
  const available = availableFactors(pool, user)
  const webAuthn = available.includes('WEB_AUTHN') ? await requestOptions(pool, user, username) : undefined
  return {
    ChallengeName: 'SELECT_CHALLENGE',
    ChallengeParameters: webAuthn === undefined ? {} : { CREDENTIAL_REQUEST_OPTIONS: webAuthn.json },
    AvailableChallenges: available,
    Session: bridge.sessions.issue(pool, user?.Username ?? username, 'SELECT_CHALLENGE', { available, webAuthnChallenge: webAuthn?.challenge, ghost: user === null })
  }
}

/**
 * The challenge of a chosen factor that needs one: a code sent (EMAIL_OTP, SMS_OTP) or passkey
 * options (WEB_AUTHN). PASSWORD and PASSWORD_SRP come with their first message (PASSWORD, SRP_A):
 * ../targets/auth-flows/user-auth.ts and ../targets/challenges/select-challenge.ts start them.
 */
export async function startFactor (bridge: Starting, pool: UserPoolService, user: User | null, username: string, factor: FirstFactor, clientId: unknown): Promise<AuthAnswer> {
  if (factor === 'EMAIL_OTP' || factor === 'SMS_OTP') return await sendCodeChallenge(bridge, pool, user, username, factor, clientId)
  if (factor === 'WEB_AUTHN') {
    const { json, challenge } = await requestOptions(pool, user, username)
    return {
      ChallengeName: 'WEB_AUTHN',
      ChallengeParameters: { CREDENTIAL_REQUEST_OPTIONS: json },
      Session: bridge.sessions.issue(pool, user?.Username ?? username, 'WEB_AUTHN', { webAuthnChallenge: challenge, ghost: user === null })
    }
  }
  throw new InvalidParameterError(`${factor} is answered with its secret`)
}
