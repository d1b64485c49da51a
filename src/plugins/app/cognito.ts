import { AsyncLocalStorage } from 'node:async_hooks'
import { createHmac } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import fp from 'fastify-plugin'
import type { FastifyBaseLogger, FastifyInstance } from 'fastify'
import {
  AdminDeleteUserCommand,
  AdminGetUserCommand,
  AdminUserGlobalSignOutCommand,
  AssociateSoftwareTokenCommand,
  ChangePasswordCommand,
  CognitoIdentityProviderClient,
  ConfirmForgotPasswordCommand,
  ConfirmSignUpCommand,
  DeleteUserCommand,
  ForgotPasswordCommand,
  GetUserAttributeVerificationCodeCommand,
  GetUserCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  ResendConfirmationCodeCommand,
  RespondToAuthChallengeCommand,
  RevokeTokenCommand,
  SetUserMFAPreferenceCommand,
  SignUpCommand,
  UpdateUserAttributesCommand,
  VerifySoftwareTokenCommand,
  VerifyUserAttributeCommand,
  type AdminGetUserCommandOutput,
  type AttributeType,
  type AuthenticationResultType,
  type InitiateAuthCommandOutput,
  type RespondToAuthChallengeCommandInput
} from '@aws-sdk/client-cognito-identity-provider'
import type { PoolConfig } from '../../config.ts'
import { AppError, type ErrorCode } from '../../errors.ts'
import { errorCodeOf, exceptionName, toAppError } from './cognito-errors.ts'

/** Tokens of a finished authentication. Cognito returns a refresh token only on a fresh sign-in. */
export interface Tokens {
  accessToken: string
  idToken: string
  refreshToken?: string
}

/** The challenges this server carries through, as API.md names them (Cognito uses the same names). */
export const CHALLENGES = ['NEW_PASSWORD_REQUIRED', 'SOFTWARE_TOKEN_MFA', 'SMS_MFA', 'SELECT_MFA_TYPE', 'MFA_SETUP'] as const
export type ChallengeName = typeof CHALLENGES[number]

/** A step Cognito asks for before it hands out tokens, in API.md's vocabulary. */
export interface PendingChallenge {
  name: ChallengeName
  /** Cognito's opaque challenge session: held server-side, in a sealed cookie, never in a body. */
  session: string
  /** Cognito's username of the user the challenge is for, when Cognito names it. */
  username?: string
  /** SMS_MFA: where the code went (Cognito masks the number: +*******1234). */
  codeDelivery?: CodeDelivery
  /** SELECT_MFA_TYPE: the methods to choose from. */
  mfaOptions?: Array<'TOTP' | 'SMS'>
  /** MFA_SETUP: the authenticator secret Cognito made for this sign-in, shown to the user once. */
  totpSecret?: string
}

/** A challenge as the challenge cookie holds it: which one, Cognito's session, and whose it is. */
export interface HeldChallenge {
  name: string
  session: string
  /** Cognito's username of the user the challenge was issued for. */
  username: string
}

/** What a challenge answer carries (each challenge reads its own part). */
export interface ChallengeAnswer {
  /** SOFTWARE_TOKEN_MFA, SMS_MFA, MFA_SETUP */
  code?: string
  /** NEW_PASSWORD_REQUIRED */
  newPassword?: string
  /** SELECT_MFA_TYPE */
  mfaMethod?: 'TOTP' | 'SMS'
}

export type AuthOutcome = { tokens: Tokens, challenge?: undefined } | { challenge: PendingChallenge, tokens?: undefined }

export interface CodeDelivery { medium: 'EMAIL' | 'SMS', destination: string }

/** What Cognito knows of a user beyond the tokens. */
export interface UserDetails {
  username: string
  sub: string
  email: string
  emailVerified: boolean
  name: string | null
  mfa: Array<'TOTP' | 'SMS'>
  preferredMfa: 'TOTP' | 'SMS' | null
}

export interface CognitoAdapterOptions {
  pool: PoolConfig
  timeoutMs: number
  revealUserExistence: boolean
  logger: FastifyBaseLogger
  /** AWS credentials for the admin calls; the SDK's standard chain when absent. */
  credentials?: { accessKeyId: string, secretAccessKey: string }
  /** Told of every attempt: the SDK command's name, its seconds, and `success` or the code it failed with. */
  observeCall?: (operation: string, seconds: number, outcome: string) => void
  /**
   * While existence is hidden, signUp, forgotPassword and resendConfirmationCode settle (answer
   * or error) no earlier than this many ms after they start; 0 or absent: as soon as they are done.
   */
  existenceTimingFloorMs?: number
}

/** An account as an administrator sees it. */
interface AdminUser {
  username: string
  sub: string | undefined
  /** Cognito's UserStatus: UNCONFIRMED, CONFIRMED, FORCE_CHANGE_PASSWORD, RESET_REQUIRED … */
  status: string | undefined
  enabled: boolean
}

/** `j***@e***.com`: enough for a user to recognise their address, not enough to learn one. */
export function maskEmail (email: string): string {
  const [local = '', domain = ''] = email.split('@')
  const dot = domain.lastIndexOf('.')
  const host = dot > 0 ? domain.slice(0, dot) : domain
  const tld = dot > 0 ? domain.slice(dot) : ''
  return `${local.slice(0, 1)}***@${host.slice(0, 1)}***${tld}`
}

/** Attempts of one call (first try included) when Cognito fails, times out or resets. */
const MAX_ATTEMPTS = 3
const RETRY_BACKOFF_MS = 100

interface CallRules<T> {
  retry?: boolean
  hidden?: string[]
  fallback?: () => T
  revealed?: Record<string, ErrorCode>
}

/** The deadline (epoch ms) of the request a call is made for: retries never outlast it. */
const requestDeadlines = new AsyncLocalStorage<number>()

/** Runs `fn` with every Cognito call inside bounded by `deadline` (epoch ms). */
export function withDeadline<T> (deadline: number, fn: () => T): T {
  return requestDeadlines.run(deadline, fn)
}

/**
 * Cognito only sends, and so only fails to deliver, to accounts that exist: a delivery failure
 * is answered like success (and logged), or it would tell that the account is there.
 */
const DELIVERY_FAILURES = ['CodeDeliveryFailureException']

/** Cognito's limits per user: answering them would tell that the user exists. */
const PER_USER_LIMITS = ['LimitExceededException', 'TooManyFailedAttemptsException']

const MFA_NAMES: Record<string, 'TOTP' | 'SMS'> = { SOFTWARE_TOKEN_MFA: 'TOTP', SMS_MFA: 'SMS' }

/**
 * Runs a step of a challenge. Cognito answers a challenge session it no longer honours (spent by
 * an earlier answer, expired, or issued for another user) with NotAuthorizedException.
 */
async function challengeStep<T> (step: () => Promise<T>): Promise<T> {
  try {
    return await step()
  } catch (err) {
    if (err instanceof AppError && err.code === 'INVALID_CREDENTIALS') throw new AppError('CHALLENGE_EXPIRED')
    throw err
  }
}

function attribute (attributes: AttributeType[] | undefined, name: string): string | undefined {
  return attributes?.find((a) => a.Name === name)?.Value
}

/**
 * The one place that talks to Cognito. It speaks API.md's vocabulary: inputs are emails and
 * codes, failures are AppErrors, and user existence stays hidden unless configured otherwise.
 */
export function createCognitoAdapter (options: CognitoAdapterOptions) {
  const { pool, timeoutMs, revealUserExistence, logger } = options
  const client = new CognitoIdentityProviderClient({
    region: pool.region,
    endpoint: pool.endpoint,
    credentials: options.credentials,
    // Retrying is decided per operation (a password check is never retried), not by the SDK.
    maxAttempts: 1
  })
  const clientId = pool.clientId

  /** SECRET_HASH over the Cognito username, when the app client has a secret. */
  function secretHash (username: string): string | undefined {
    if (pool.clientSecret === undefined) return undefined
    return createHmac('sha256', pool.clientSecret).update(username + clientId).digest('base64')
  }

  /** One attempt, bounded by the call timeout and by what is left of the request's budget. */
  async function send<T> (command: object): Promise<T> {
    const left = (requestDeadlines.getStore() ?? Infinity) - Date.now()
    if (left <= 0) throw Object.assign(new Error('request budget spent'), { name: 'TimeoutError' })
    // The SDK's commands share no useful base type for `send`; each caller names its output type.
    return await (client.send as (c: object, o: object) => Promise<T>)(command, { abortSignal: AbortSignal.timeout(Math.max(1, Math.floor(Math.min(timeoutMs, left)))) })
  }

  /** Attempts until one answers or the retries are spent; only failures of Cognito itself are retried. */
  async function attempt<T> (command: object, retry: boolean): Promise<T> {
    const operation = command.constructor.name
    for (let n = 1; ; n++) {
      const started = performance.now()
      try {
        const out = await send<T>(command)
        options.observeCall?.(operation, (performance.now() - started) / 1000, 'success')
        return out
      } catch (err) {
        options.observeCall?.(operation, (performance.now() - started) / 1000, errorCodeOf(err))
        if (!retry || n >= MAX_ATTEMPTS || errorCodeOf(err) !== 'SERVICE_UNAVAILABLE') throw err
        await sleep(RETRY_BACKOFF_MS * n)
      }
    }
  }

  /**
   * Runs a call. `retry: false` for calls that check a password or spend a code (a retry could
   * count twice or find the code spent by the first attempt). `hidden` lists exceptions answered
   * by `fallback` to keep user existence secret; `revealed` renames exceptions whose generic
   * code would mislead when existence may be told.
   */
  async function call<T> (command: object, rules: CallRules<T> = {}): Promise<T> {
    try {
      return await attempt<T>(command, rules.retry ?? true)
    } catch (err) {
      const name = exceptionName(err) ?? ''
      if (!revealUserExistence && rules.fallback !== undefined && rules.hidden?.includes(name) === true) {
        if (DELIVERY_FAILURES.includes(name)) logger.warn({ operation: command.constructor.name }, 'Cognito could not deliver a code')
        return rules.fallback()
      }
      const renamed = revealUserExistence ? rules.revealed?.[name] : undefined
      if (renamed !== undefined) throw new AppError(renamed)
      throw failure(command, err)
    }
  }

  /** A failed call as an AppError; Cognito's own failures are logged. */
  function failure (command: object, err: unknown): AppError {
    const mapped = toAppError(err)
    if (mapped.code === 'INTERNAL_SERVER_ERROR' || mapped.code === 'SERVICE_UNAVAILABLE') {
      // The cause by its names only: an AWS message can quote the user's input.
      const cause = err as { code?: string, $metadata?: { httpStatusCode?: number, requestId?: string } }
      logger.warn({ operation: command.constructor.name, code: mapped.code, exception: exceptionName(err), errno: cause.code, status: cause.$metadata?.httpStatusCode, awsRequestId: cause.$metadata?.requestId }, 'cognito call failed')
    }
    return mapped
  }

  /** The account behind an email, as an administrator sees it (admin credentials); undefined for none. */
  async function adminGetUser (email: string): Promise<AdminUser | undefined> {
    const command = new AdminGetUserCommand({ UserPoolId: pool.userPoolId, Username: email })
    try {
      const out = await attempt<AdminGetUserCommandOutput>(command, true)
      if (out.Username === undefined) throw new AppError('SERVICE_UNAVAILABLE')
      return { username: out.Username, sub: attribute(out.UserAttributes, 'sub'), status: out.UserStatus, enabled: out.Enabled !== false }
    } catch (err) {
      if (exceptionName(err) === 'UserNotFoundException') return undefined
      throw failure(command, err)
    }
  }

  /** Deletes a pending sign-up that a new one replaces; gone already (a sign-up racing this one) is as good. */
  async function adminDeleteUnconfirmed (username: string): Promise<void> {
    const command = new AdminDeleteUserCommand({ UserPoolId: pool.userPoolId, Username: username })
    try {
      // Retried: a retry after a delete that landed finds the user gone, which is the goal.
      await attempt(command, true)
    } catch (err) {
      if (exceptionName(err) !== 'UserNotFoundException') throw failure(command, err)
    }
  }

  const floorMs = revealUserExistence ? 0 : Math.max(0, options.existenceTimingFloorMs ?? 0)

  /**
   * Runs work that takes longer for some accounts than for others (Cognito stores and mails only
   * for an account that exists, or is being made) and settles, with its value or its error alike,
   * no earlier than `floorMs` after it began: the answer leaves at a time that does not depend on
   * the account. Chosen over answering first and working after: errors (a password the policy
   * refuses, throttling, Cognito down) still reach the client, and no work outlives its request.
   * Work slower than the floor (a Cognito outlier) still shows in the answer's time, for that
   * request only.
   */
  async function atFloor<T> (work: () => Promise<T>): Promise<T> {
    const start = performance.now()
    try {
      return await work()
    } finally {
      const left = start + floorMs - performance.now()
      if (left > 0) await sleep(left)
    }
  }

  const emailDelivery = (email: string): CodeDelivery => ({ medium: 'EMAIL', destination: maskEmail(email) })
  const fail = (code: 'CODE_MISMATCH' | 'INVALID_CREDENTIALS') => () => { throw new AppError(code) }

  function authOutcome (out: InitiateAuthCommandOutput): AuthOutcome {
    const result: AuthenticationResultType | undefined = out.AuthenticationResult
    if (result?.AccessToken !== undefined && result.IdToken !== undefined) {
      return { tokens: { accessToken: result.AccessToken, idToken: result.IdToken, refreshToken: result.RefreshToken } }
    }
    if (out.ChallengeName !== undefined && out.Session !== undefined) return { challenge: challengeOf(out.ChallengeName, out.Session, out.ChallengeParameters ?? {}) }
    throw new AppError('SERVICE_UNAVAILABLE')
  }

  /** Cognito's challenge, read into API.md's vocabulary; one this server does not carry is a configuration error. */
  function challengeOf (name: string, session: string, p: Record<string, string>): PendingChallenge {
    if (!(CHALLENGES as readonly string[]).includes(name)) {
      logger.error({ challenge: name }, 'the user pool asked for a challenge this server does not support: check the app client settings')
      throw new AppError('INTERNAL_SERVER_ERROR')
    }
    return {
      name: name as ChallengeName,
      session,
      username: p.USER_ID_FOR_SRP,
      codeDelivery: p.CODE_DELIVERY_DESTINATION !== undefined ? { medium: 'SMS', destination: p.CODE_DELIVERY_DESTINATION } : undefined,
      mfaOptions: p.MFAS_CAN_CHOOSE !== undefined ? (JSON.parse(p.MFAS_CAN_CHOOSE) as string[]).flatMap((m) => MFA_NAMES[m] ?? []) : undefined
    }
  }

  /** MFA_SETUP comes with the authenticator secret to set up: Cognito makes it for the challenge session. */
  async function withTotpSetup (outcome: AuthOutcome): Promise<AuthOutcome> {
    if (outcome.challenge?.name !== 'MFA_SETUP') return outcome
    const challenge = outcome.challenge
    const out = await challengeStep(() => call<{ SecretCode?: string, Session?: string }>(new AssociateSoftwareTokenCommand({ Session: challenge.session }), { retry: false }))
    if (out.SecretCode === undefined || out.Session === undefined) throw new AppError('SERVICE_UNAVAILABLE')
    return { challenge: { ...challenge, session: out.Session, totpSecret: out.SecretCode } }
  }

  const withSecretHash = (username: string): Record<string, string> => pool.clientSecret !== undefined ? { SECRET_HASH: secretHash(username) as string } : {}

  /** USER_PASSWORD_AUTH: a password check, never retried; an unknown or unconfirmed user is a wrong password. */
  async function passwordAuth (username: string, password: string): Promise<InitiateAuthCommandOutput> {
    return await call<InitiateAuthCommandOutput>(new InitiateAuthCommand({
      ClientId: clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: username, PASSWORD: password, ...withSecretHash(username) }
    }), { retry: false, hidden: ['UserNotConfirmedException', 'UserNotFoundException'], fallback: fail('INVALID_CREDENTIALS') })
  }

  async function revokeRefreshToken (refreshToken: string): Promise<void> {
    await call(new RevokeTokenCommand({ ClientId: clientId, ClientSecret: pool.clientSecret, Token: refreshToken }))
  }

  async function setTotp (accessToken: string, enabled: boolean): Promise<void> {
    await call(new SetUserMFAPreferenceCommand({ AccessToken: accessToken, SoftwareTokenMfaSettings: { Enabled: enabled, PreferredMfa: enabled } }))
  }

  return {
    /** A CodeDelivery for an email, derived from the address (never from Cognito's answer). */
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
    async signUp (input: { email: string, password: string, name?: string | null }) {
      return await atFloor(async () => {
        const fresh = { userConfirmed: false, codeDelivery: emailDelivery(input.email) }
        // Looked up first (admin credentials): missing credentials fail every sign-up alike.
        const existing = await adminGetUser(input.email)
        if (existing !== undefined) {
          if (existing.status !== 'UNCONFIRMED' || !existing.enabled) {
            if (revealUserExistence) throw new AppError('USERNAME_EXISTS')
            return fresh
          }
          await adminDeleteUnconfirmed(existing.username)
        }
        // An account may exist by now all the same: a sign-up of the address that landed in between.
        const out = await call<{ UserConfirmed?: boolean }>(new SignUpCommand({
          ClientId: clientId,
          SecretHash: secretHash(input.email),
          Username: input.email,
          Password: input.password,
          UserAttributes: [
            { Name: 'email', Value: input.email },
            ...(input.name != null ? [{ Name: 'name', Value: input.name }] : [])
          ]
        }), { retry: false, hidden: ['UsernameExistsException', 'AliasExistsException', ...DELIVERY_FAILURES], fallback: () => ({ UserConfirmed: false }) })
        return { ...fresh, userConfirmed: out.UserConfirmed === true }
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
      return await atFloor(async () => {
        await call(new ResendConfirmationCodeCommand({ ClientId: clientId, SecretHash: secretHash(email), Username: email }),
          { retry: false, hidden: ['UserNotFoundException', 'InvalidParameterException', 'NotAuthorizedException', ...PER_USER_LIMITS, ...DELIVERY_FAILURES], fallback: () => undefined })
        return emailDelivery(email)
      })
    },

    async signIn (email: string, password: string): Promise<AuthOutcome> {
      return await withTotpSetup(authOutcome(await passwordAuth(email, password)))
    },

    /**
     * Answers a held challenge: the next challenge or the tokens. Whether a refused answer spends
     * the challenge is Cognito's call; a challenge it no longer honours is CHALLENGE_EXPIRED.
     */
    async respondToChallenge (challenge: HeldChallenge, answer: ChallengeAnswer): Promise<AuthOutcome> {
      const responses: Record<string, string> = { USERNAME: challenge.username, ...withSecretHash(challenge.username) }
      let session = challenge.session
      switch (challenge.name) {
        case 'NEW_PASSWORD_REQUIRED': responses.NEW_PASSWORD = answer.newPassword ?? ''; break
        case 'SOFTWARE_TOKEN_MFA': responses.SOFTWARE_TOKEN_MFA_CODE = answer.code ?? ''; break
        case 'SMS_MFA': responses.SMS_MFA_CODE = answer.code ?? ''; break
        case 'SELECT_MFA_TYPE': responses.ANSWER = answer.mfaMethod === 'SMS' ? 'SMS_MFA' : 'SOFTWARE_TOKEN_MFA'; break
        case 'MFA_SETUP': {
          // The first code verifies the authenticator; Cognito answers with the session to finish with.
          const out = await challengeStep(() => call<{ Status?: string, Session?: string }>(new VerifySoftwareTokenCommand({ Session: session, UserCode: answer.code }), { retry: false }))
          if (out.Status !== 'SUCCESS') throw new AppError('CODE_MISMATCH')
          session = out.Session ?? session
          break
        }
        default:
          throw new AppError('BAD_USER_INPUT', 'This sign-in step cannot be answered here: sign in again.')
      }
      const out = await challengeStep(() => call<InitiateAuthCommandOutput>(new RespondToAuthChallengeCommand({
        ClientId: clientId, ChallengeName: challenge.name as RespondToAuthChallengeCommandInput['ChallengeName'], Session: session, ChallengeResponses: responses
      }), { retry: false }))
      const outcome = await withTotpSetup(authOutcome(out))
      // The authenticator set up during sign-in becomes the preferred method, as verifyTotp makes it.
      if (challenge.name === 'MFA_SETUP' && outcome.tokens !== undefined) await setTotp(outcome.tokens.accessToken, true)
      return outcome
    },

    /**
     * Checks a signed-in user's current password by signing in with it: tokens (revoked at once,
     * so no session is left behind) or a challenge both prove it. Throws INVALID_CREDENTIALS.
     * `username` is Cognito's (it stays the same while an email change is pending).
     */
    async checkPassword (username: string, password: string): Promise<void> {
      const refreshToken = (await passwordAuth(username, password)).AuthenticationResult?.RefreshToken
      if (refreshToken === undefined) return
      // A check leaves no session behind.
      try {
        await revokeRefreshToken(refreshToken)
      } catch (err) {
        logger.warn({ code: (err as AppError).code }, 'could not revoke the refresh token of a password check')
      }
    },

    /** Renews the access and id tokens; `username` is Cognito's username (SECRET_HASH needs it). */
    async refresh (refreshToken: string, username: string): Promise<Tokens> {
      const out = await call<InitiateAuthCommandOutput>(new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        AuthParameters: { REFRESH_TOKEN: refreshToken, ...withSecretHash(username) }
      }))
      const outcome = authOutcome(out)
      if (outcome.tokens === undefined) throw new AppError('UNAUTHENTICATED')
      return outcome.tokens
    },

    revokeRefreshToken,

    /** Cognito's global sign-out with the user's own access token. */
    async globalSignOut (accessToken: string): Promise<void> {
      await call(new GlobalSignOutCommand({ AccessToken: accessToken }))
    },

    /** Cognito's global sign-out for a user whose tokens the server does not hold (admin credentials). */
    async adminGlobalSignOut (username: string): Promise<void> {
      await call(new AdminUserGlobalSignOutCommand({ UserPoolId: pool.userPoolId, Username: username }))
    },

    /** Cognito's username and `sub` of the account behind an email (admin credentials). */
    async adminFindUser (email: string): Promise<{ username: string, sub: string } | undefined> {
      const user = await adminGetUser(email)
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
        mfa: (out.UserMFASettingList ?? []).flatMap((m) => MFA_NAMES[m] ?? []),
        preferredMfa: preferred ?? null
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

    /** Turns TOTP on as the preferred second factor, or off. */
    setTotp,

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
    async verifyEmail (accessToken: string, code: string): Promise<void> {
      // The new address may have been taken since the code was sent: that is no news to give.
      await call(new VerifyUserAttributeCommand({ AccessToken: accessToken, AttributeName: 'email', Code: code }),
        { retry: false, hidden: ['AliasExistsException', 'UsernameExistsException'], fallback: fail('CODE_MISMATCH') })
    },

    /** Sends the email verification code again (to the pending new address, if any). */
    async resendEmailVerification (accessToken: string): Promise<void> {
      await call(new GetUserAttributeVerificationCodeCommand({ AccessToken: accessToken, AttributeName: 'email' }), { retry: false })
    },

    /** Deletes the signed-in user. */
    async deleteUser (accessToken: string): Promise<void> {
      await call(new DeleteUserCommand({ AccessToken: accessToken }), { retry: false })
    },

    /** Deletes a user by Cognito username (admin credentials). */
    async adminDeleteUser (username: string): Promise<void> {
      await call(new AdminDeleteUserCommand({ UserPoolId: pool.userPoolId, Username: username }), { retry: false })
    },

    async forgotPassword (email: string): Promise<CodeDelivery> {
      return await atFloor(async () => {
        await call(new ForgotPasswordCommand({ ClientId: clientId, SecretHash: secretHash(email), Username: email }),
          { retry: false, hidden: ['UserNotFoundException', 'InvalidParameterException', 'NotAuthorizedException', ...PER_USER_LIMITS, ...DELIVERY_FAILURES], fallback: () => undefined })
        return emailDelivery(email)
      })
    },

    async confirmForgotPassword (email: string, code: string, newPassword: string): Promise<void> {
      // Cognito calls any code for an account with no reset pending expired (see confirmSignUp).
      await call(new ConfirmForgotPasswordCommand({ ClientId: clientId, SecretHash: secretHash(email), Username: email, ConfirmationCode: code, Password: newPassword }),
        { retry: false, hidden: ['UserNotFoundException', 'NotAuthorizedException', 'ExpiredCodeException', ...PER_USER_LIMITS], fallback: fail('CODE_MISMATCH') })
    },

    close (): void {
      client.destroy()
    }
  }
}

export type CognitoAdapter = ReturnType<typeof createCognitoAdapter>

declare module 'fastify' {
  interface FastifyInstance {
    cognito: CognitoAdapter
  }
}

async function cognito (fastify: FastifyInstance): Promise<void> {
  const pool = fastify.config.pool ?? fastify.emulator?.pool
  if (pool === undefined) throw new Error('no user pool: configure one or run the embedded emulator')
  const adapter = createCognitoAdapter({
    pool,
    timeoutMs: fastify.config.cognitoTimeoutMs,
    revealUserExistence: fastify.config.revealUserExistence,
    logger: fastify.log.child({ plugin: 'cognito' }),
    credentials: fastify.emulator?.credentials,
    existenceTimingFloorMs: fastify.config.existenceTimingFloorMs,
    observeCall: fastify.metrics?.observeCognitoCall
  })
  fastify.decorate('cognito', adapter)
  fastify.addHook('onClose', async () => adapter.close())
}

export default fp(cognito, { name: 'cognito', dependencies: ['config', 'metrics'] })
