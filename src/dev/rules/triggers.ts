// The pool's Lambda triggers in development: the functions a module exports (EMULATOR_TRIGGERS)
// run where Cognito runs its triggers, with AWS's event (common parameters, request, response)
// in, the returned event's `response` read by AWS's rules, and a throw answered as AWS answers
// it: UserLambdaValidationException '<Trigger> failed with error <message>.'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { User, UserPoolService } from 'cognito-local/lib/services/userPoolService.js'
import { invalidLambdaResponse, unexpectedLambda, userLambdaValidation } from './errors.ts'

/** The triggers the emulator runs, by export name, with the name AWS gives each in its messages and LambdaConfig. */
export const TRIGGER_NAMES = {
  preSignUp: 'PreSignUp',
  postConfirmation: 'PostConfirmation',
  preAuthentication: 'PreAuthentication',
  postAuthentication: 'PostAuthentication',
  preTokenGeneration: 'PreTokenGeneration',
  customMessage: 'CustomMessage',
  defineAuthChallenge: 'DefineAuthChallenge',
  createAuthChallenge: 'CreateAuthChallenge',
  verifyAuthChallengeResponse: 'VerifyAuthChallengeResponse'
} as const

export type TriggerName = keyof typeof TRIGGER_NAMES

/** A Lambda handler as Node.js Lambda runs one: async (event, context), or with a callback. */
type Handler = (event: TriggerEvent, context: object, callback: (err?: unknown, result?: unknown) => void) => unknown

/** AWS's event: the common parameters, the trigger's request, and a response for the function to fill in. */
export interface TriggerEvent {
  version: string
  triggerSource: string
  region: string
  userPoolId: string
  userName: string
  callerContext: { awsSdkVersion: string, clientId: string }
  request: Record<string, unknown>
  response: Record<string, unknown>
}

/** What a trigger is run for: the pool, whose user (a username), through which app client, and its source. */
export interface Invocation {
  pool: Pick<UserPoolService, 'options'>
  triggerSource: string
  userName: string
  clientId?: unknown
  request: Record<string, unknown>
  response?: Record<string, unknown>
  /** The event's version; '1' but for the V2 pre token generation event. */
  version?: string
}

/** AWS answers a trigger that does not return within five seconds (after its retries) as a failure; the emulator does not retry. */
const TIMEOUT_MS = 5000

/** AWS fills callerContext.clientId with this when no app client is involved (an administrator's call). */
const NO_CLIENT = 'CLIENT_ID_NOT_APPLICABLE'

/** The functions of one triggers module. */
export class Triggers {
  private readonly handlers: Partial<Record<TriggerName, Handler>>
  /** The module's path, for messages. */
  readonly source?: string
  constructor (handlers: Partial<Record<TriggerName, Handler>> = {}, source?: string) {
    this.handlers = handlers
    this.source = source
  }

  /**
   * The module at `file` (resolved from the working directory), its exports checked: each of
   * TRIGGER_NAMES it exports must be a function (also accepted as members of a default export).
   * Without a file, no triggers.
   */
  static async load (file: string | undefined): Promise<Triggers> {
    if (file === undefined || file === '') return new Triggers()
    const path = resolve(file)
    let module: Record<string, unknown>
    try {
      module = await import(pathToFileURL(path).href) as Record<string, unknown>
    } catch (err) {
      throw new Error(`EMULATOR_TRIGGERS=${file}: the module did not load: ${(err as Error).message}`)
    }
    const fallback = typeof module.default === 'object' && module.default !== null ? module.default as Record<string, unknown> : {}
    const handlers: Partial<Record<TriggerName, Handler>> = {}
    for (const name of Object.keys(TRIGGER_NAMES) as TriggerName[]) {
      const fn = module[name] ?? fallback[name]
      if (fn === undefined) continue
      if (typeof fn !== 'function') throw new Error(`EMULATOR_TRIGGERS=${file}: the export ${name} is not a function`)
      handlers[name] = fn as Handler
    }
    return new Triggers(handlers, path)
  }

  has (name: TriggerName): boolean {
    return this.handlers[name] !== undefined
  }

  /** The triggers the module exports. */
  names (): TriggerName[] {
    return (Object.keys(TRIGGER_NAMES) as TriggerName[]).filter((name) => this.has(name))
  }

  /**
   * Runs `name` with AWS's event for `invocation` and answers the `response` of the event it
   * returns (a function must return the event, as on AWS). Undefined when the module does not
   * export the trigger.
   */
  async run (name: TriggerName, invocation: Invocation): Promise<Record<string, unknown> | undefined> {
    const handler = this.handlers[name]
    if (handler === undefined) return undefined
    const event = eventOf(invocation)
    const answer = await call(handler, structuredClone(event), TRIGGER_NAMES[name])
    const response = (answer as { response?: unknown } | null | undefined)?.response
    if (typeof answer !== 'object' || answer === null || typeof response !== 'object' || response === null) throw invalidLambdaResponse()
    return response as Record<string, unknown>
  }
}

/** The event AWS sends: the common parameters around the trigger's request and response. */
function eventOf ({ pool, triggerSource, userName, clientId, request, response = {}, version = '1' }: Invocation): TriggerEvent {
  const poolId = pool.options.Id
  return {
    version,
    triggerSource,
    region: poolId.slice(0, Math.max(0, poolId.indexOf('_'))),
    userPoolId: poolId,
    userName,
    // What AWS sends when the caller's SDK is not known (the emulator does not look).
    callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: typeof clientId === 'string' && clientId !== '' ? clientId : NO_CLIENT },
    request,
    response
  }
}

/** A handler's answer: what its promise resolves to, or what it hands its callback; a throw or a callback error is the trigger's failure. */
async function call (handler: Handler, event: TriggerEvent, trigger: string): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined
  try {
    return await new Promise<unknown>((resolve, reject) => {
      timer = setTimeout(() => { reject(unexpectedLambda(`${trigger} did not answer within ${TIMEOUT_MS / 1000} seconds.`)) }, TIMEOUT_MS)
      const callback = (err?: unknown, result?: unknown): void => { if (err !== undefined && err !== null) reject(failure(trigger, err)); else resolve(result) }
      try {
        const returned = handler(event, { functionName: trigger }, callback)
        // An async handler (or one returning a promise) answers with its promise; a callback-style one through the callback.
        if (returned instanceof Promise) returned.then(resolve, (err: unknown) => { reject(failure(trigger, err)) })
        else if (returned !== undefined || handler.length < 3) resolve(returned)
      } catch (err) {
        reject(failure(trigger, err))
      }
    })
  } finally {
    clearTimeout(timer)
  }
}

const failure = (trigger: string, err: unknown): Error =>
  userLambdaValidation(trigger, err instanceof Error ? err.message : String(err))

/** A user's attributes as the events carry them: a record, with cognito:user_status as AWS adds it. */
export function eventAttributes (user: User | null): Record<string, string> {
  if (user === null) return {}
  return { ...Object.fromEntries(user.Attributes.map((a) => [a.Name, a.Value ?? ''])), 'cognito:user_status': user.UserStatus }
}
