import { AsyncLocalStorage } from 'node:async_hooks'
import { createHmac } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import type { FastifyBaseLogger } from 'fastify'
import { CognitoIdentityProviderClient, type AttributeType } from '@aws-sdk/client-cognito-identity-provider'
import type { PoolConfig } from '../../../config.ts'
import { AppError, type ErrorCode } from '../../../errors.ts'
import { errorCodeOf, exceptionName, isTransient, toAppError, unsupportedBy } from '../cognito-errors.ts'

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
  /** The passkey relying party (PUBLIC_ORIGIN's host), for the WebAuthn options of decoy challenges until the pool's own are seen. */
  relyingPartyId?: string
  /** Keeps a decoy's made-up details the same for an email on every ask and every instance (cognito/decoys.ts); random when absent. */
  decoySecret?: string
}

/** Attempts of one call (first try included) when Cognito fails, times out or resets. */
const MAX_ATTEMPTS = 3
const RETRY_BACKOFF_MS = 100

/**
 * Codes of failures an operator needs to see: Cognito failing or unreachable, a failure nothing
 * maps, a request its firewall (AWS WAF) blocked, a token or client secret it did not accept.
 */
const LOGGED = new Set<ErrorCode>(['INTERNAL_SERVER_ERROR', 'SERVICE_UNAVAILABLE', 'FORBIDDEN', 'UNAUTHENTICATED'])

/** The AuthFlow a command sends (InitiateAuth, AdminInitiateAuth), for naming an unknown one. */
const authFlowOf = (command: object): string | undefined => (command as { input?: { AuthFlow?: string } }).input?.AuthFlow

/** How a call treats Cognito's failures (see `call`). */
export interface CallRules<T> {
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
export const DELIVERY_FAILURES = ['CodeDeliveryFailureException']

/** A fallback that refuses with `code`: the answer a hidden exception gets instead of its own. */
export const fail = (code: 'CODE_MISMATCH' | 'INVALID_CREDENTIALS') => (): never => { throw new AppError(code) }

/** The value of a user attribute, by Cognito's name. */
export function attribute (attributes: AttributeType[] | undefined, name: string): string | undefined {
  return attributes?.find((a) => a.Name === name)?.Value
}

/**
 * The SDK client and the rules every call follows: a timeout per attempt within the request's
 * budget, retries of Cognito's own failures only, existence kept hidden, failures as AppErrors.
 */
export function createCognitoClient (options: CognitoAdapterOptions) {
  const { pool, timeoutMs, revealUserExistence, logger } = options
  const sdk = new CognitoIdentityProviderClient({
    region: pool.region,
    endpoint: pool.endpoint,
    credentials: options.credentials,
    // Retrying is decided per operation (a password check is never retried), not by the SDK.
    maxAttempts: 1
  })
  const clientId = pool.clientId
  /** Operations (and auth flows) the endpoint answered as not implemented (GET /ready lists them). */
  const unsupported = new Set<string>()

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
    return await (sdk.send as (c: object, o: object) => Promise<T>)(command, { abortSignal: AbortSignal.timeout(Math.max(1, Math.floor(Math.min(timeoutMs, left)))) })
  }

  /**
   * Attempts until one answers or the retries are spent; only failures that may pass (Cognito
   * failing or unreachable, a concurrent change) are retried.
   */
  async function attempt<T> (command: object, retry: boolean): Promise<T> {
    const sdkName = command.constructor.name
    const operation = sdkName.replace(/Command$/, '')
    for (let n = 1; ; n++) {
      const started = performance.now()
      try {
        const out = await send<T>(command)
        options.observeCall?.(sdkName, (performance.now() - started) / 1000, 'success')
        if (unsupported.size > 0) supported(command, operation)
        return out
      } catch (err) {
        options.observeCall?.(sdkName, (performance.now() - started) / 1000, errorCodeOf(err))
        const lacking = unsupportedBy(err)
        if (lacking !== undefined) noteUnsupported(lacking === 'auth-flow' ? `${operation}:${authFlowOf(command)}` : operation)
        if (!retry || n >= MAX_ATTEMPTS || !isTransient(err)) throw err
        await sleep(RETRY_BACKOFF_MS * n)
      }
    }
  }

  /** Remembers (and logs, the first time) an operation or auth flow the endpoint does not implement. */
  function noteUnsupported (name: string): void {
    if (unsupported.has(name)) return
    unsupported.add(name)
    logger.error({ operation: name, endpoint: pool.endpoint }, 'the Cognito endpoint does not implement this operation')
  }

  /** An operation that answered after all is no longer listed (the heuristics of cognito-errors.ts can only guess). */
  function supported (command: object, operation: string): void {
    unsupported.delete(operation)
    unsupported.delete(`${operation}:${authFlowOf(command)}`)
  }

  /** A failed call as an AppError; Cognito's own failures, and its refusals of the server's requests, are logged. */
  function failure (command: object, err: unknown): AppError {
    const mapped = toAppError(err)
    if (LOGGED.has(mapped.code)) {
      // The cause by its names only: an AWS message can quote the user's input.
      const cause = err as { code?: string, $metadata?: { httpStatusCode?: number, requestId?: string } }
      logger.warn({ operation: command.constructor.name, code: mapped.code, exception: exceptionName(err), errno: cause.code, status: cause.$metadata?.httpStatusCode, awsRequestId: cause.$metadata?.requestId }, 'cognito call failed')
    }
    return mapped
  }

  return {
    pool,
    clientId,
    logger,
    revealUserExistence,
    secretHash,
    /** SECRET_HASH as a Cognito auth parameter, when the app client has a secret. */
    withSecretHash: (username: string): Record<string, string> => pool.clientSecret !== undefined ? { SECRET_HASH: secretHash(username) as string } : {},
    attempt,
    failure,
    /** The operations the endpoint answered as not implemented, so far, by Cognito's names. */
    unsupportedOperations: (): string[] => [...unsupported].sort(),

    /**
     * Runs a call. `retry: false` for calls that check a password or spend a code (a retry could
     * count twice or find the code spent by the first attempt). `hidden` lists exceptions answered
     * by `fallback` to keep user existence secret; `revealed` renames exceptions whose generic
     * code would mislead when existence may be told.
     */
    async call<T> (command: object, rules: CallRules<T> = {}): Promise<T> {
      try {
        return await attempt<T>(command, rules.retry ?? true)
      } catch (err) {
        // What the endpoint lacks is the same for every account: never hidden behind a fallback.
        const name = unsupportedBy(err) === undefined ? exceptionName(err) ?? '' : ''
        if (!revealUserExistence && rules.fallback !== undefined && rules.hidden?.includes(name) === true) {
          if (DELIVERY_FAILURES.includes(name)) logger.warn({ operation: command.constructor.name }, 'Cognito could not deliver a code')
          return rules.fallback()
        }
        const renamed = revealUserExistence ? rules.revealed?.[name] : undefined
        if (renamed !== undefined) throw new AppError(renamed)
        throw failure(command, err)
      }
    },

    close (): void {
      sdk.destroy()
    }
  }
}

/** What each part of the adapter talks to Cognito through. */
export type CognitoClient = ReturnType<typeof createCognitoClient>
