/** Tokens of a finished authentication. Cognito returns a refresh token only on a fresh sign-in. */
export interface Tokens {
  accessToken: string
  idToken: string
  refreshToken?: string
}

/** The challenges this server carries through, as the API names them (Cognito uses the same names). */
export const CHALLENGES = [
  'NEW_PASSWORD_REQUIRED', 'SOFTWARE_TOKEN_MFA', 'SMS_MFA', 'SELECT_MFA_TYPE', 'MFA_SETUP',
  'EMAIL_OTP', 'SMS_OTP', 'WEB_AUTHN', 'SELECT_CHALLENGE', 'CUSTOM_CHALLENGE'
] as const
export type ChallengeName = typeof CHALLENGES[number]

/** A second factor, as the API names it. */
export type MfaMethod = 'TOTP' | 'SMS' | 'EMAIL'

/** Cognito's names of the second factors, by the API's. */
export const MFA_NAMES: Readonly<Record<string, MfaMethod>> = { SOFTWARE_TOKEN_MFA: 'TOTP', SMS_MFA: 'SMS', EMAIL_OTP: 'EMAIL' }

/** A first factor, as the API names it. */
export type SignInMethod = 'PASSWORD' | 'EMAIL_CODE' | 'SMS_CODE' | 'PASSKEY'

/** The pool's custom challenges (CUSTOM_AUTH): a first factor of its own, never one of Cognito's choice-based sign-in. */
export type FirstFactorMethod = SignInMethod | 'CUSTOM'

/** Every way to sign in, in the order a client offers them. */
export const SIGN_IN_METHODS: readonly SignInMethod[] = ['PASSWORD', 'EMAIL_CODE', 'SMS_CODE', 'PASSKEY']

/** Cognito's first factor (PREFERRED_CHALLENGE, a SELECT_CHALLENGE ANSWER) for each method. */
export const FIRST_FACTORS: Readonly<Record<SignInMethod, string>> = { PASSWORD: 'PASSWORD', EMAIL_CODE: 'EMAIL_OTP', SMS_CODE: 'SMS_OTP', PASSKEY: 'WEB_AUTHN' }

/** The challenge a passwordless method starts with. */
export const METHOD_CHALLENGES: Readonly<Record<Exclude<SignInMethod, 'PASSWORD'>, ChallengeName>> = { EMAIL_CODE: 'EMAIL_OTP', SMS_CODE: 'SMS_OTP', PASSKEY: 'WEB_AUTHN' }

/** A passkey of the user, in the API's vocabulary. */
export interface Passkey {
  /** The credential id, base64url. */
  id: string
  name: string | null
  createdAt: Date
}

export interface CodeDelivery { medium: 'EMAIL' | 'SMS', destination: string }

/** A step Cognito asks for before it hands out tokens, in the API's vocabulary. */
export interface PendingChallenge {
  name: ChallengeName
  /** Cognito's opaque challenge session: held server-side, in a sealed cookie, never in a body. */
  session: string
  /** Cognito's username of the user the challenge is for, when Cognito names it. */
  username?: string
  /** SMS_MFA: where the code went (Cognito masks the number: +*******1234). */
  codeDelivery?: CodeDelivery
  /** SELECT_MFA_TYPE: the methods to choose from. */
  mfaOptions?: MfaMethod[]
  /** MFA_SETUP: the authenticator secret Cognito made for this sign-in, shown to the user once. */
  totpSecret?: string
  /** SELECT_CHALLENGE: the ways to sign in to choose from. */
  availableMethods?: SignInMethod[]
  /** WEB_AUTHN: PublicKeyCredentialRequestOptionsJSON, as a JSON string. */
  publicKeyOptions?: string
  /** CUSTOM_CHALLENGE: the create auth challenge trigger's public parameters, a JSON object as a string. */
  parameters?: string
  /** The passwordless method this challenge is the first factor of (EMAIL_OTP is a second factor too). */
  method?: FirstFactorMethod
  /**
   * A stand-in for an account Cognito did not start the sign-in for (unknown, unconfirmed, or
   * without that method): the same shape as a real challenge, and no Cognito session behind it,
   * so that every answer fails as a wrong one would.
   */
  decoy?: true
}

/** What a challenge answer carries (each challenge reads its own part). */
export interface ChallengeAnswer {
  /** SOFTWARE_TOKEN_MFA, SMS_MFA, MFA_SETUP, EMAIL_OTP, SMS_OTP */
  code?: string
  /** NEW_PASSWORD_REQUIRED */
  newPassword?: string
  /** SELECT_MFA_TYPE */
  mfaMethod?: MfaMethod
  /** SELECT_CHALLENGE */
  method?: SignInMethod
  /** SELECT_CHALLENGE with PASSWORD */
  password?: string
  /** WEB_AUTHN: the AuthenticationResponseJSON, as a JSON string. */
  credential?: string
  /** CUSTOM_CHALLENGE */
  answer?: string
}

/** What a sign-in step ends with: the tokens, or the next challenge. */
/**
 * What answering a challenge reads of the one the server holds (plugins/app/challenge.ts): which
 * step, Cognito's challenge session, and whose it is.
 */
export interface ChallengeToAnswer {
  /** The challenge's name, as the API names it (NEW_PASSWORD_REQUIRED, SOFTWARE_TOKEN_MFA …). */
  name: string
  /** Cognito's opaque challenge session: answered once. */
  session: string
  /** The email the sign-in was started with (the account its codes are counted against). */
  email: string
  /** Cognito's username of the user the challenge was issued for. */
  username: string
  /** A stand-in for an account Cognito did not start a sign-in for: its `session` is random, and every answer fails (see PendingChallenge). */
  decoy?: true
}

export type AuthOutcome = { tokens: Tokens, challenge?: undefined, newDevice?: NewDevice } | { challenge: PendingChallenge, tokens?: undefined, newDevice?: undefined }

/** A device Cognito handed out with the tokens of a sign-in in a pool that tracks devices (NewDeviceMetadata), to be confirmed. */
export interface NewDevice { key: string, groupKey: string }

/** What Cognito knows of a user beyond the tokens. */
export interface UserDetails {
  username: string
  sub: string
  email: string
  emailVerified: boolean
  name: string | null
  phone: string | null
  phoneVerified: boolean
  mfa: MfaMethod[]
  preferredMfa: MfaMethod | null
  /** Every attribute Cognito gives the user's own access token, by Cognito's name (`locale`, `custom:plan` …). */
  attributes: Record<string, string>
}
