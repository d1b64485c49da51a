import { GraphQLError } from 'graphql'
import type { ExecutionResult } from 'graphql'
import type { MercuriusContext } from 'mercurius'
import { AppError, ERROR_MESSAGES } from '../errors.ts'

interface FormattedError {
  message: string
  locations?: readonly { line: number, column: number }[]
  path?: readonly (string | number)[]
  extensions: Record<string, unknown>
}

interface StatusError { statusCode?: number, errors?: unknown[] }

/** Errors a client caused before any resolver ran: syntax, validation, variables, bad requests. */
function isClientError (error: GraphQLError): boolean {
  const original = error.originalError as (Error & StatusError) | undefined
  if (original === undefined || original instanceof GraphQLError) return true
  const status = original.statusCode
  return typeof status === 'number' && status >= 400 && status < 500
}

/**
 * The one error formatter: AppErrors keep their code and message; client mistakes become
 * BAD_USER_INPUT; everything else is masked as INTERNAL_SERVER_ERROR with the request id,
 * and only the log line (with that id) tells what happened.
 */
export function formatErrors (execution: ExecutionResult & { statusCode?: number }, ctx: MercuriusContext) {
  const reply = ctx.reply
  const log = reply?.log ?? ctx.app.log
  const requestId = reply?.request.id
  const suggestions = ctx.app.config.graphql.suggestions

  // Mercurius wraps the validation errors of one document in a single error.
  const flat = (execution.errors ?? []).flatMap((error): GraphQLError[] => {
    const inner = (error.originalError as StatusError | undefined)?.errors
    return Array.isArray(inner) ? inner.map((e) => (e instanceof GraphQLError ? e : new GraphQLError((e as Error).message, { originalError: e as Error }))) : [error]
  })

  const errors = flat.map((error): FormattedError => {
    const where = { locations: error.locations, path: error.path }
    const original = error.originalError
    if (original instanceof AppError) {
      if (original.code === 'INTERNAL_SERVER_ERROR') {
        log.error({ err: original.cause ?? original, requestId }, 'unexpected failure')
        return { ...where, message: ERROR_MESSAGES.INTERNAL_SERVER_ERROR, extensions: { code: 'INTERNAL_SERVER_ERROR', requestId } }
      }
      return { ...where, message: original.message, extensions: { ...original.extensions } }
    }
    if (isClientError(error)) {
      const message = suggestions ? error.message : error.message.replace(/ Did you mean .*$/, '')
      return { ...where, message, extensions: { code: 'BAD_USER_INPUT' } }
    }
    log.error({ err: original, requestId }, 'unexpected failure')
    return { ...where, message: ERROR_MESSAGES.INTERNAL_SERVER_ERROR, extensions: { code: 'INTERNAL_SERVER_ERROR', requestId } }
  })

  // A request refused as a whole (no data) keeps the status of its error, and an invalid
  // document (syntax, validation) is a 400; once execution started, the answer is a 200.
  let statusCode = execution.data != null ? 200 : (execution.statusCode ?? 200)
  if (execution.data == null && execution.statusCode === undefined) {
    const status = (execution.errors?.[0]?.originalError as StatusError | undefined)?.statusCode
    if (typeof status === 'number') statusCode = status
    else if (flat.length > 0 && flat.every(isClientError)) statusCode = 400
  }
  return { statusCode, response: { data: execution.data ?? null, errors } }
}
