// The adapter: sign-up, confirmation and password reset, with the pre-registration rule and the timing floor.
import {
  AdminDeleteUserCommand,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  ForgotPasswordCommand,
  ResendConfirmationCodeCommand,
  SignUpCommand
} from '@aws-sdk/client-cognito-identity-provider'
import { AppError } from '../../../errors.ts'
import { exceptionName } from './errors.ts'
import { DELIVERY_FAILURES, fail, type CognitoClient } from './client.ts'
import type { CodeDelivery } from './types.ts'
import { deliveryTo, isPhoneNumber, maskEmail, type SignInNameOperations } from './sign-in-names.ts'

/** Cognito's limits per user: answering them would tell that the user exists. */
const PER_USER_LIMITS = ['LimitExceededException', 'TooManyFailedAttemptsException']

/**
 * A CodeDelivery by email for an account name, derived from the name (never from Cognito's
 * answer): the masked address; for an account named by phone (an emailed sign-in code), an
 * address masked whole, the same for every account, since the name tells none.
 */
export const emailDelivery = (name: string): CodeDelivery => ({ medium: 'EMAIL', destination: isPhoneNumber(name) ? '***@***' : maskEmail(name) })

/**
 * How long a pending sign-up is safe from being replaced (ms): its owner confirms within minutes,
 * and an attacker who learns of it (or guesses it) cannot swap in a sign-up of their own meanwhile.
 */
export const PENDING_SIGN_UP_KEPT_MS = 5 * 60_000

/** Deletes a pending sign-up that a new one replaces; gone already (a sign-up racing this one) is as good. */
async function adminDeleteUnconfirmed (cognito: CognitoClient, username: string): Promise<void> {
  const command = new AdminDeleteUserCommand({ UserPoolId: cognito.pool.userPoolId, Username: username })
  try {
    // Retried: a retry after a delete that landed finds the user gone, which is the goal.
    await cognito.attempt(command, true)
  } catch (err) {
    if (exceptionName(err) !== 'UserNotFoundException') throw cognito.failure(command, err)
  }
}

/**
 * Signing up, confirming, and getting a forgotten password back: every answer alike whatever account
 * the name has. A name is a normalised email or phone number (E.164), as the pool takes it.
 */
export function accountOperations (cognito: CognitoClient, names: SignInNameOperations, existenceTimingFloorMs = 0) {
  const { call, clientId, secretHash, revealUserExistence } = cognito
  // Timing can only tell what the answers hide while existence is hidden.
  const floorMs = revealUserExistence ? 0 : Math.max(0, existenceTimingFloorMs)

  return {
    emailDelivery,

    /**
     * Signs up, answering alike whatever account the email has (a fresh sign-up's answer).
     *
     * A sign-up that meets an UNCONFIRMED account older than PENDING_SIGN_UP_KEPT_MS replaces it:
     * the pending account is deleted and this sign-up made in its place, with its own password and
     * attributes, and a new code goes to the address (the earlier code is void). Without this,
     * whoever signed up an address first (an attacker, with a password of theirs) would own the
     * account that its owner later signs up for and confirms (pre-hijacking), and the owner could
     * not be told (existence stays hidden). A younger pending sign-up is kept and this one changes
     * nothing (nor sends anything): an attacker who times an owner's sign-up cannot swap in their
     * own password before the owner confirms the code they were sent. An owner who signs up twice
     * within the window keeps their first sign-up (resendConfirmationCode sends its code again).
     * Replacing an unconfirmed account loses nothing: it cannot sign in and holds no session.
     *
     * A confirmed account is never replaced, nor one an administrator created (FORCE_CHANGE_PASSWORD)
     * or disabled: that sign-up changes nothing. Between reading the status and deleting there is
     * one Cognito round trip in which the owner could confirm; that confirmed account would be
     * deleted and replaced by this (unconfirmed) sign-up: a lost confirmation, never a takeover.
     */
    async signUp (input: { account: string, password: string, name?: string | null }): Promise<{ userConfirmed: boolean, codeDelivery: CodeDelivery, userId?: string }> {
      return await cognito.hidingExistence('signUp', floorMs, async () => {
        const fresh = { userConfirmed: false, codeDelivery: deliveryTo(input.account) }
        // Looked up first (admin credentials): missing credentials fail every sign-up alike.
        const existing = await names.findAccount(input.account)
        if (existing !== undefined) {
          if (existing.status !== 'UNCONFIRMED' || !existing.enabled) {
            if (revealUserExistence) throw new AppError('USERNAME_EXISTS')
            return fresh
          }
          const age = Date.now() - (existing.createdAt?.getTime() ?? 0)
          if (age < PENDING_SIGN_UP_KEPT_MS) return fresh
          await adminDeleteUnconfirmed(cognito, existing.username)
        }
        // An account may exist by now all the same: a sign-up of the address that landed in between.
        const { username, attribute } = names.newAccount(input.account)
        const out = await call<{ UserConfirmed?: boolean, UserSub?: string }>(new SignUpCommand({
          ClientId: clientId,
          SecretHash: secretHash(username),
          Username: username,
          Password: input.password,
          UserAttributes: [
            attribute,
            ...(input.name != null ? [{ Name: 'name', Value: input.name }] : [])
          ]
        }), { retry: false, hidden: ['UsernameExistsException', 'AliasExistsException', ...DELIVERY_FAILURES], fallback: () => ({ UserConfirmed: false }) })
        // The new account's id, for its audit event only (no field answers it): absent when none was made.
        return { ...fresh, userConfirmed: out.UserConfirmed === true, ...(out.UserSub !== undefined ? { userId: out.UserSub } : {}) }
      })
    },

    async confirmSignUp (account: string, code: string): Promise<void> {
      const username = await names.unconfirmedUsername(account)
      // Cognito refuses a confirmed (or disabled) account with NotAuthorizedException: its code was
      // used. It calls any code for an account with no pending one (one an administrator created)
      // expired, where an unknown name gets a mismatch.
      await call(new ConfirmSignUpCommand({ ClientId: clientId, SecretHash: secretHash(username), Username: username, ConfirmationCode: code }),
        { retry: false, hidden: ['UserNotFoundException', 'NotAuthorizedException', 'ExpiredCodeException', ...PER_USER_LIMITS], fallback: fail('CODE_MISMATCH'), revealed: { NotAuthorizedException: 'CODE_EXPIRED' } })
    },

    async resendConfirmationCode (account: string): Promise<CodeDelivery> {
      return await cognito.hidingExistence('resendConfirmationCode', floorMs, async () => {
        const username = await names.unconfirmedUsername(account)
        await call(new ResendConfirmationCodeCommand({ ClientId: clientId, SecretHash: secretHash(username), Username: username }),
          { retry: false, hidden: ['UserNotFoundException', 'InvalidParameterException', 'NotAuthorizedException', ...PER_USER_LIMITS, ...DELIVERY_FAILURES], fallback: () => undefined })
        return deliveryTo(account)
      })
    },

    async forgotPassword (account: string): Promise<CodeDelivery> {
      return await cognito.hidingExistence('forgotPassword', floorMs, async () => {
        await call(new ForgotPasswordCommand({ ClientId: clientId, SecretHash: secretHash(account), Username: account }),
          { retry: false, hidden: ['UserNotFoundException', 'InvalidParameterException', 'NotAuthorizedException', ...PER_USER_LIMITS, ...DELIVERY_FAILURES], fallback: () => undefined })
        return deliveryTo(account)
      })
    },

    async confirmForgotPassword (account: string, code: string, newPassword: string): Promise<void> {
      // Cognito calls any code for an account with no reset pending expired (see confirmSignUp).
      await call(new ConfirmForgotPasswordCommand({ ClientId: clientId, SecretHash: secretHash(account), Username: account, ConfirmationCode: code, Password: newPassword }),
        { retry: false, hidden: ['UserNotFoundException', 'NotAuthorizedException', 'ExpiredCodeException', ...PER_USER_LIMITS], fallback: fail('CODE_MISMATCH') })
    }
  }
}
