// The adapter: profile, email, second factors, deletion and admin lookups.
import {
  AdminDeleteUserCommand,
  AdminGetUserCommand,
  AssociateSoftwareTokenCommand,
  ChangePasswordCommand,
  DeleteUserCommand,
  GetUserAttributeVerificationCodeCommand,
  GetUserCommand,
  SetUserMFAPreferenceCommand,
  UpdateUserAttributesCommand,
  VerifySoftwareTokenCommand,
  VerifyUserAttributeCommand,
  type AdminGetUserCommandOutput,
  type AttributeType,
  type UserType
} from '@aws-sdk/client-cognito-identity-provider'
import { AppError } from '../../../errors.ts'
import { exceptionName } from './errors.ts'
import { attribute, fail, type CognitoClient } from './client.ts'
import { MFA_NAMES, type MfaMethod, type UserDetails } from './types.ts'

/** Cognito's largest ListUsers page (its `Limit`), and the largest AdminListGroupsForUser page. */
export const MAX_PAGE = 60

/** The longest filter ListUsers takes (AWS refuses a longer one with InvalidParameterException). */
export const MAX_LIST_USERS_FILTER = 256

/**
 * ListUsers' filter for an attribute's value (`=`) or its start (`^=`). Cognito reads the value
 * between double quotes, with quotes and backslashes escaped by a backslash. A value whose filter
 * would pass Cognito's limit is refused here, before any call (an email of 254 characters does).
 */
export function attributeFilter (attribute: 'email' | 'phone_number' | 'sub', operator: '=' | '^=', value: string): string {
  const filter = `${attribute} ${operator} "${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`
  if (filter.length > MAX_LIST_USERS_FILTER) throw new AppError('BAD_USER_INPUT', `The ${attribute} to look up is too long (quotes and backslashes count twice).`)
  return filter
}

/** What a lookup with admin credentials tells of the account behind an email (not the API's AdminUser). */
export interface AccountLookup {
  username: string
  sub: string | undefined
  /** Cognito's UserStatus: UNCONFIRMED, CONFIRMED, FORCE_CHANGE_PASSWORD, RESET_REQUIRED … */
  status: string | undefined
  enabled: boolean
  /** Whether the user has a second factor (TOTP, SMS or email MFA) enabled. */
  secondFactor: boolean
  /** The phone number, when the account has one. */
  phone: string | undefined
  /** When the account was made (a sign-up: when it was started). */
  createdAt: Date | undefined
}

/**
 * An account as AdminGetUser (UserAttributes, its MFA lists) or ListUsers (Attributes; no MFA
 * lists, so no second factor is known) describes it.
 */
export function lookupOf (user: UserType & { Username: string, UserAttributes?: AttributeType[], UserMFASettingList?: string[], MFAOptions?: unknown[] }): AccountLookup {
  const attributes = user.UserAttributes ?? user.Attributes
  return {
    username: user.Username,
    sub: attribute(attributes, 'sub'),
    status: user.UserStatus,
    enabled: user.Enabled !== false,
    // MFAOptions is Cognito's older record of SMS MFA.
    secondFactor: (user.UserMFASettingList ?? []).length > 0 || (user.MFAOptions ?? []).length > 0,
    phone: attribute(attributes, 'phone_number'),
    createdAt: user.UserCreateDate
  }
}

/** The account behind an email, as an administrator sees it (admin credentials); undefined for none. */
export async function adminGetUser (cognito: CognitoClient, email: string): Promise<AccountLookup | undefined> {
  const command = new AdminGetUserCommand({ UserPoolId: cognito.pool.userPoolId, Username: email })
  try {
    // No such user is an answer, not a failure (the metrics must not count it as one).
    const out = await cognito.attempt<AdminGetUserCommandOutput>(command, true, (err) => exceptionName(err) === 'UserNotFoundException' ? 'success' : undefined)
    if (out.Username === undefined) throw new AppError('SERVICE_UNAVAILABLE')
    return lookupOf({ ...out, Username: out.Username })
  } catch (err) {
    if (exceptionName(err) === 'UserNotFoundException') return undefined
    throw cognito.failure(command, err)
  }
}

/** Turns TOTP on as the preferred second factor, or off. */
export async function setTotp (cognito: CognitoClient, accessToken: string, enabled: boolean): Promise<void> {
  await cognito.call(new SetUserMFAPreferenceCommand({ AccessToken: accessToken, SoftwareTokenMfaSettings: { Enabled: enabled, PreferredMfa: enabled } }))
}

/** Cognito's settings object of each second factor in SetUserMFAPreference. */
const MFA_SETTINGS: Readonly<Record<MfaMethod, 'SoftwareTokenMfaSettings' | 'SMSMfaSettings' | 'EmailMfaSettings'>> = {
  TOTP: 'SoftwareTokenMfaSettings', SMS: 'SMSMfaSettings', EMAIL: 'EmailMfaSettings'
}

/** Verifies an email or a phone number with the code sent to it. */
async function verifyContact (cognito: CognitoClient, accessToken: string, attribute: 'email' | 'phone_number', code: string): Promise<void> {
  // The new address may have been taken since the code was sent: that is no news to give.
  await cognito.call(new VerifyUserAttributeCommand({ AccessToken: accessToken, AttributeName: attribute, Code: code }),
    { retry: false, hidden: ['AliasExistsException', 'UsernameExistsException'], fallback: fail('CODE_MISMATCH') })
}

/** Sends the verification code of an email or a phone number (to its pending new value, if any). */
async function sendContactCode (cognito: CognitoClient, accessToken: string, attribute: 'email' | 'phone_number'): Promise<void> {
  await cognito.call(new GetUserAttributeVerificationCodeCommand({ AccessToken: accessToken, AttributeName: attribute }), { retry: false })
}

/**
 * Sets a new phone number, unverified until `verifyPhone`, and has a code texted to it (Cognito
 * sends one itself only where the pool verifies phone numbers on its own). 'taken' when another
 * account has the number as its sign-in name; the caller must not tell (see requestEmailChange).
 */
export async function requestPhoneChange (cognito: CognitoClient, accessToken: string, phone: string): Promise<'sent' | 'taken'> {
  const out = await cognito.call<{ CodeDeliveryDetailsList?: Array<{ AttributeName?: string }> } | 'taken'>(
    new UpdateUserAttributesCommand({ AccessToken: accessToken, UserAttributes: [{ Name: 'phone_number', Value: phone }] }),
    { retry: false, hidden: ['AliasExistsException', 'UsernameExistsException'], fallback: () => 'taken' })
  if (out === 'taken') return 'taken'
  if (!(out.CodeDeliveryDetailsList ?? []).some((d) => d.AttributeName === 'phone_number')) await sendContactCode(cognito, accessToken, 'phone_number')
  return 'sent'
}

/** What a signed-in user does to their own account (their access token), and an administrator's lookups and deletions. */
export function userOperations (cognito: CognitoClient) {
  const { call, pool } = cognito

  return {
    /** Cognito's username and `sub` of the account behind an email (admin credentials). */
    async adminFindUser (email: string): Promise<{ username: string, sub: string } | undefined> {
      const user = await adminGetUser(cognito, email)
      return user?.sub !== undefined ? { username: user.username, sub: user.sub } : undefined
    },

    async getUser (accessToken: string): Promise<UserDetails> {
      const out = await call<{ Username?: string, UserAttributes?: AttributeType[], UserMFASettingList?: string[], PreferredMfaSetting?: string }>(
        new GetUserCommand({ AccessToken: accessToken }))
      const attrs = out.UserAttributes
      const preferred = out.PreferredMfaSetting === undefined ? undefined : MFA_NAMES[out.PreferredMfaSetting]
      return {
        username: out.Username ?? '',
        sub: attribute(attrs, 'sub') ?? '',
        email: attribute(attrs, 'email') ?? '',
        emailVerified: attribute(attrs, 'email_verified') === 'true',
        name: attribute(attrs, 'name') ?? null,
        phone: attribute(attrs, 'phone_number') ?? null,
        phoneVerified: attribute(attrs, 'phone_number_verified') === 'true',
        mfa: (out.UserMFASettingList ?? []).flatMap((m) => MFA_NAMES[m] ?? []),
        preferredMfa: preferred ?? null,
        attributes: Object.fromEntries((attrs ?? []).flatMap((a) => a.Name === undefined || a.Value === undefined ? [] : [[a.Name, a.Value]]))
      }
    },

    async changePassword (accessToken: string, currentPassword: string, newPassword: string): Promise<void> {
      await call(new ChangePasswordCommand({ AccessToken: accessToken, PreviousPassword: currentPassword, ProposedPassword: newPassword }), { retry: false })
    },

    /** Starts an authenticator setup for a signed-in user: the new secret (base32). */
    async associateSoftwareToken (accessToken: string): Promise<string> {
      const out = await call<{ SecretCode?: string }>(new AssociateSoftwareTokenCommand({ AccessToken: accessToken }))
      if (out.SecretCode === undefined) throw new AppError('SERVICE_UNAVAILABLE')
      return out.SecretCode
    },

    /** Verifies the first code of the authenticator being set up. */
    async verifySoftwareToken (accessToken: string, code: string): Promise<void> {
      const out = await call<{ Status?: string }>(new VerifySoftwareTokenCommand({ AccessToken: accessToken, UserCode: code }), { retry: false })
      if (out.Status !== 'SUCCESS') throw new AppError('CODE_MISMATCH')
    },

    /** Turns email codes on as the preferred second factor, or off (SetUserMFAPreference EmailMfaSettings). */
    async setEmailMfa (accessToken: string, enabled: boolean): Promise<void> {
      await call(new SetUserMFAPreferenceCommand({ AccessToken: accessToken, EmailMfaSettings: { Enabled: enabled, PreferredMfa: enabled } }))
    },

    /** Makes one of the user's enabled second factors the preferred one. */
    async setPreferredMfa (accessToken: string, method: MfaMethod): Promise<void> {
      await call(new SetUserMFAPreferenceCommand({ AccessToken: accessToken, [MFA_SETTINGS[method]]: { Enabled: true, PreferredMfa: true } }))
    },

    /** Turns TOTP on as the preferred second factor, or off. */
    setTotp: async (accessToken: string, enabled: boolean): Promise<void> => await setTotp(cognito, accessToken, enabled),

    async updateName (accessToken: string, name: string): Promise<void> {
      await call(new UpdateUserAttributesCommand({ AccessToken: accessToken, UserAttributes: [{ Name: 'name', Value: name }] }))
    },

    /**
     * Asks for a new email: Cognito sends a code to it and keeps the old one until it is verified.
     * 'taken' when another account has the address; the caller must not tell (unless existence
     * is revealed, when this is USERNAME_EXISTS).
     */
    async requestEmailChange (accessToken: string, email: string): Promise<'sent' | 'taken'> {
      const out = await call<object | 'taken'>(new UpdateUserAttributesCommand({ AccessToken: accessToken, UserAttributes: [{ Name: 'email', Value: email }] }),
        { retry: false, hidden: ['AliasExistsException', 'UsernameExistsException'], fallback: () => 'taken' })
      return out === 'taken' ? 'taken' : 'sent'
    },

    /** Verifies the email (the pending new one, if any) with the code sent to it. */
    verifyEmail: async (accessToken: string, code: string): Promise<void> => { await verifyContact(cognito, accessToken, 'email', code) },

    /** Sends the email verification code again (to the pending new address, if any). */
    resendEmailVerification: async (accessToken: string): Promise<void> => { await sendContactCode(cognito, accessToken, 'email') },

    requestPhoneChange: async (accessToken: string, phone: string): Promise<'sent' | 'taken'> => await requestPhoneChange(cognito, accessToken, phone),

    /** Verifies the phone number (the pending new one, if any) with the code texted to it. */
    verifyPhone: async (accessToken: string, code: string): Promise<void> => { await verifyContact(cognito, accessToken, 'phone_number', code) },

    /** Texts the phone verification code again (to the pending new number, if any). */
    resendPhoneVerification: async (accessToken: string): Promise<void> => { await sendContactCode(cognito, accessToken, 'phone_number') },

    /** Deletes the signed-in user. */
    async deleteUser (accessToken: string): Promise<void> {
      await call(new DeleteUserCommand({ AccessToken: accessToken }), { retry: false })
    },

    /** Deletes a user by Cognito username (admin credentials). */
    async adminDeleteUser (username: string): Promise<void> {
      await call(new AdminDeleteUserCommand({ UserPoolId: pool.userPoolId, Username: username }), { retry: false })
    }
  }
}
