// The adapter's SDK client: timeouts, the request budget, retries, existence hiding, failure logging, metrics.
import { AsyncLocalStorage } from 'node:async_hooks'
import { createHmac } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import type { FastifyBaseLogger } from 'fastify'
import {
  CognitoIdentityProviderClient, DescribeUserPoolClientCommand, DescribeUserPoolCommand,
  type AttributeType, type DescribeUserPoolClientCommandOutput, type DescribeUserPoolCommandOutput
} from '@aws-sdk/client-cognito-identity-provider'
import type { PoolConfig } from '../../../config.ts'
import { AppError, type ErrorCode } from '../../../errors.ts'
import { errorCodeOf, exceptionName, isTransient, toAppError, unsupportedBy } from './errors.ts'

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
  /** COGNITO_PASSWORD_FLOW: how passwords are proven (cognito/password-flow.ts); `auto` when absent. */
  passwordFlow?: 'auto' | 'password' | 'srp'
  /** Keeps a decoy's made-up details the same for an email on every ask, every instance and every restart (cognito/decoys.ts); random when absent. */
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
  /** Sees the failure as Cognito gave it, before it is mapped (what a caller learns from Cognito's refusal). */
  seen?: (err: unknown) => void
}

/** The deadline (epoch ms) of the request a call is made for: retries never outlast it. */
const requestDeadlines = new AsyncLocalStorage<number>()

/**
 * Set while an existence-hiding flow runs (see `hidingExistence`): its calls are observed as one,
 * since which calls it makes, how they end and how long they take depend on the account.
 */
const hidingFlows = new AsyncLocalStorage<true>()

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

/** Operations (and auth flows) the endpoint answered as not implemented (GET /ready lists them). */
function unsupportedOperations (logger: FastifyBaseLogger, endpoint: string | undefined) {
  const names = new Set<string>()
  return {
    /** Remembers (and logs, the first time) an operation or auth flow the endpoint does not implement. */
    note (name: string): void {
      if (names.has(name)) return
      names.add(name)
      logger.error({ operation: name, endpoint }, 'the Cognito endpoint does not implement this operation')
    },
    /** An operation that answered after all is no longer listed (the heuristics of errors.ts can only guess). */
    answered (command: object, operation: string): void {
      if (names.size === 0) return
      names.delete(operation)
      names.delete(`${operation}:${authFlowOf(command)}`)
    },
    /** The operations the endpoint answered as not implemented, so far, by Cognito's names. */
    list: (): string[] => [...names].sort()
  }
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
  const unsupported = unsupportedOperations(logger, pool.endpoint)

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

  /** Reports one attempt to the metrics, unless an existence-hiding flow reports for all of its calls. */
  function observe (sdkName: string, started: number, outcome: string): void {
    if (hidingFlows.getStore() === undefined) options.observeCall?.(sdkName, (performance.now() - started) / 1000, outcome)
  }

  /**
   * Attempts until one answers or the retries are spent; only failures that may pass (Cognito
   * failing or unreachable, a concurrent change) are retried.
   * `outcomeOf` names what a failure is observed as, where it is not the failure it looks like:
   * an existence look-up's "no such user" is an answer, and a hidden exception is what the client
   * is told instead (metrics must not tell what the answer hides).
   */
  async function attempt<T> (command: object, retry: boolean, outcomeOf: (err: unknown) => string | undefined = () => undefined): Promise<T> {
    const sdkName = command.constructor.name
    const operation = sdkName.replace(/Command$/, '')
    for (let n = 1; ; n++) {
      const started = performance.now()
      try {
        const out = await send<T>(command)
        observe(sdkName, started, 'success')
        unsupported.answered(command, operation)
        return out
      } catch (err) {
        observe(sdkName, started, outcomeOf(err) ?? errorCodeOf(err))
        const lacking = unsupportedBy(err)
        if (lacking !== undefined) unsupported.note(lacking === 'auth-flow' ? `${operation}:${authFlowOf(command)}` : operation)
        if (!retry || n >= MAX_ATTEMPTS || !isTransient(err)) throw err
        await sleep(RETRY_BACKOFF_MS * n)
      }
    }
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
    unsupportedOperations: unsupported.list,

    /**
     * Runs a call. `retry: false` for calls that check a password or spend a code (a retry could
     * count twice or find the code spent by the first attempt). `hidden` lists exceptions answered
     * by `fallback` to keep user existence secret; `revealed` renames exceptions whose generic
     * code would mislead when existence may be told.
     */
    async call<T> (command: object, rules: CallRules<T> = {}): Promise<T> {
      // What the endpoint lacks is the same for every account: never hidden behind a fallback.
      const hides = (err: unknown): boolean => !revealUserExistence && rules.fallback !== undefined && unsupportedBy(err) === undefined && rules.hidden?.includes(exceptionName(err) ?? '') === true
      try {
        return await attempt<T>(command, rules.retry ?? true, (err) => hides(err) ? outcomeOfFallback(rules.fallback as () => T) : undefined)
      } catch (err) {
        rules.seen?.(err)
        const name = exceptionName(err) ?? ''
        if (hides(err) && rules.fallback !== undefined) {
          if (DELIVERY_FAILURES.includes(name)) logger.warn({ operation: command.constructor.name }, 'Cognito could not deliver a code')
          return rules.fallback()
        }
        const renamed = revealUserExistence ? rules.revealed?.[name] : undefined
        if (renamed !== undefined) throw new AppError(renamed)
        throw failure(command, err)
      }
    },

    ...descriptions(attempt, pool),
    /** Runs an existence-hiding flow: at the floor, and one observation in the metrics (see existenceFlows). */
    hidingExistence: existenceFlows(revealUserExistence, options.observeCall),

    close (): void {
      sdk.destroy()
    }
  }
}

/**
 * The pool's settings (DescribeUserPool) and the app client's (DescribeUserPoolClient), each read
 * once with the admin credentials and shared by the parts that read them at start (sign-in names,
 * device tracking, password flows, attributes); a failure is shared too.
 */
function descriptions (attempt: <T>(command: object, retry: boolean) => Promise<T>, pool: PoolConfig) {
  let poolDescription: Promise<DescribeUserPoolCommandOutput> | undefined
  let clientDescription: Promise<DescribeUserPoolClientCommandOutput> | undefined
  return {
    describePool: async (): Promise<DescribeUserPoolCommandOutput> => await (poolDescription ??= attempt(new DescribeUserPoolCommand({ UserPoolId: pool.userPoolId }), true)),
    describeClient: async (): Promise<DescribeUserPoolClientCommandOutput> =>
      await (clientDescription ??= attempt(new DescribeUserPoolClientCommand({ UserPoolId: pool.userPoolId, ClientId: pool.clientId }), true))
  }
}

/**
 * Runs an existence-hiding flow (sign-up, a reset, a code sent, a passwordless start or answer):
 * it settles no earlier than `floorMs` (see atFloor), and while existence is hidden the metrics
 * see it as one observation under `name`, timed with the floor and ending as the client is
 * answered. Its calls (which ones, how they end, how long they take) depend on the account and
 * are not observed one by one: reading /metrics around a request must not tell what its answer hides.
 */
function existenceFlows (revealUserExistence: boolean, observeCall: CognitoAdapterOptions['observeCall']) {
  return async function hidingExistence<T> (name: string, floorMs: number, work: () => Promise<T>): Promise<T> {
    if (revealUserExistence) return await atFloor(floorMs, work)
    const started = performance.now()
    let outcome = 'success'
    try {
      return await hidingFlows.run(true, async () => await atFloor(floorMs, work))
    } catch (err) {
      outcome = err instanceof AppError ? err.code : errorCodeOf(err)
      throw err
    } finally {
      observeCall?.(name, (performance.now() - started) / 1000, outcome)
    }
  }
}

/** What a hidden exception's fallback makes of it, as the metrics see it: an answer, or the error the client is told instead. */
function outcomeOfFallback (fallback: () => unknown): string {
  try {
    fallback()
    return 'success'
  } catch (err) {
    return err instanceof AppError ? err.code : 'INTERNAL_SERVER_ERROR'
  }
}

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

/** What each part of the adapter talks to Cognito through. */
export type CognitoClient = ReturnType<typeof createCognitoClient>
