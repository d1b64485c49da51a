import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import {
  AdminDeleteUserCommand,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  ForgotPasswordCommand,
  ResendConfirmationCodeCommand,
  SignUpCommand
} from '@aws-sdk/client-cognito-identity-provider'
import { AppError } from '../../../errors.ts'
import { exceptionName } from '../cognito-errors.ts'
import { DELIVERY_FAILURES, fail, type CognitoClient } from './client.ts'
import type { CodeDelivery } from './types.ts'
import { adminGetUser } from './user.ts'

/** Cognito's limits per user: answering them would tell that the user exists. */
const PER_USER_LIMITS = ['LimitExceededException', 'TooManyFailedAttemptsException']

/** `j***@e***.com`: enough for a user to recognise their address, not enough to learn one. */
export function maskEmail (email: string): string {
  const [local = '', domain = ''] = email.split('@')
  const dot = domain.lastIndexOf('.')
  const host = dot > 0 ? domain.slice(0, dot) : domain
  const tld = dot > 0 ? domain.slice(dot) : ''
  return `${local.slice(0, 1)}***@${host.slice(0, 1)}***${tld}`
}

/** A CodeDelivery for an email, derived from the address (never from Cognito's answer). */
export const emailDelivery = (email: string): CodeDelivery => ({ medium: 'EMAIL', destination: maskEmail(email) })

/**
 * Runs work that takes longer for some accounts than for others (Cognito stores and mails only
 * for an account that exists, or is being made) and settles, with its value or its error alike,
 * no earlier than `floorMs` after it began: the answer leaves at a time that does not depend on
 * the account. Chosen over answering first and working after: errors (a password the policy
 * refuses, throttling, Cognito down) still reach the client, and no work outlives its request.
 * Work slower than the floor (a Cognito outlier) still shows in the answer's time, for that
 * request only.
 */
export async function atFloor<T> (floorMs: number, work: () => Promise<T>): Promise<T> {
  const start = performance.now()
  try {
    return await work()
  } finally {
    const left = start + floorMs - performance.now()
    if (left > 0) await sleep(left)
  }
}

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

/** Signing up, confirming, and getting a forgotten password back: every answer alike whatever account the email has. */
export function accountOperations (cognito: CognitoClient, existenceTimingFloorMs = 0) {
  const { call, clientId, secretHash, revealUserExistence } = cognito
  // Timing can only tell what the answers hide while existence is hidden.
  const floorMs = revealUserExistence ? 0 : Math.max(0, existenceTimingFloorMs)

  return {
    emailDelivery,

    /**
     * Signs up, answering alike whatever account the email has (a fresh sign-up's answer).
     *
     * A sign-up that meets an UNCONFIRMED account replaces it: the pending account is deleted and
     * this sign-up made in its place, with its own password and attributes, and a new code goes to
     * the address (the earlier code is void). The latest sign-up wins until the account is
     * confirmed, and only the owner of the address can confirm, since the code goes only there.
     * Without this, whoever signed up an address first (an attacker, with a password of theirs)
     * would own the account that its owner later signs up for and confirms (pre-hijacking), and
     * the owner could not be told (existence stays hidden). The same rule lets an attacker replace
     * the owner's pending sign-up; an owner who then confirms the attacker's sign-up finds that
     * their password does not sign in, and forgotPassword takes the account back. The attacker has
     * to land between the owner's sign-up and confirmation, and each replacement mails the owner.
     * Replacing an unconfirmed account loses nothing: it cannot sign in and holds no session.
     *
     * A confirmed account is never replaced, nor one an administrator created (FORCE_CHANGE_PASSWORD)
     * or disabled: that sign-up changes nothing. Between reading the status and deleting there is
     * one Cognito round trip in which the owner could confirm; that confirmed account would be
     * deleted and replaced by this (unconfirmed) sign-up: a lost confirmation, never a takeover.
     */
    async signUp (input: { email: string, password: string, name?: string | null }): Promise<{ userConfirmed: boolean, codeDelivery: CodeDelivery, userId?: string }> {
      return await atFloor(floorMs, async () => {
        const fresh = { userConfirmed: false, codeDelivery: emailDelivery(input.email) }
        // Looked up first (admin credentials): missing credentials fail every sign-up alike.
        const existing = await adminGetUser(cognito, input.email)
        if (existing !== undefined) {
          if (existing.status !== 'UNCONFIRMED' || !existing.enabled) {
            if (revealUserExistence) throw new AppError('USERNAME_EXISTS')
            return fresh
          }
          await adminDeleteUnconfirmed(cognito, existing.username)
        }
        // An account may exist by now all the same: a sign-up of the address that landed in between.
        const out = await call<{ UserConfirmed?: boolean, UserSub?: string }>(new SignUpCommand({
          ClientId: clientId,
          SecretHash: secretHash(input.email),
          Username: input.email,
          Password: input.password,
          UserAttributes: [
            { Name: 'email', Value: input.email },
            ...(input.name != null ? [{ Name: 'name', Value: input.name }] : [])
          ]
        }), { retry: false, hidden: ['UsernameExistsException', 'AliasExistsException', ...DELIVERY_FAILURES], fallback: () => ({ UserConfirmed: false }) })
        // The new account's id, for its audit event only (no field answers it): absent when none was made.
        return { ...fresh, userConfirmed: out.UserConfirmed === true, ...(out.UserSub !== undefined ? { userId: out.UserSub } : {}) }
      })
    },

    async confirmSignUp (email: string, code: string): Promise<void> {
      // Cognito refuses a confirmed (or disabled) account with NotAuthorizedException: its code was
      // used. It calls any code for an account with no pending one (one an administrator created)
      // expired, where an unknown email gets a mismatch.
      await call(new ConfirmSignUpCommand({ ClientId: clientId, SecretHash: secretHash(email), Username: email, ConfirmationCode: code }),
        { retry: false, hidden: ['UserNotFoundException', 'NotAuthorizedException', 'ExpiredCodeException', ...PER_USER_LIMITS], fallback: fail('CODE_MISMATCH'), revealed: { NotAuthorizedException: 'CODE_EXPIRED' } })
    },

    async resendConfirmationCode (email: string): Promise<CodeDelivery> {
      return await atFloor(floorMs, async () => {
        await call(new ResendConfirmationCodeCommand({ ClientId: clientId, SecretHash: secretHash(email), Username: email }),
          { retry: false, hidden: ['UserNotFoundException', 'InvalidParameterException', 'NotAuthorizedException', ...PER_USER_LIMITS, ...DELIVERY_FAILURES], fallback: () => undefined })
        return emailDelivery(email)
      })
    },

    async forgotPassword (email: string): Promise<CodeDelivery> {
      return await atFloor(floorMs, async () => {
        await call(new ForgotPasswordCommand({ ClientId: clientId, SecretHash: secretHash(email), Username: email }),
          { retry: false, hidden: ['UserNotFoundException', 'InvalidParameterException', 'NotAuthorizedException', ...PER_USER_LIMITS, ...DELIVERY_FAILURES], fallback: () => undefined })
        return emailDelivery(email)
      })
    },

    async confirmForgotPassword (email: string, code: string, newPassword: string): Promise<void> {
      // Cognito calls any code for an account with no reset pending expired (see confirmSignUp).
      await call(new ConfirmForgotPasswordCommand({ ClientId: clientId, SecretHash: secretHash(email), Username: email, ConfirmationCode: code, Password: newPassword }),
        { retry: false, hidden: ['UserNotFoundException', 'NotAuthorizedException', 'ExpiredCodeException', ...PER_USER_LIMITS], fallback: fail('CODE_MISMATCH') })
    }
  }
}
