// GraphQL errors as clients read them: catalogue codes, masked internals, the HTTP status GraphQL-over-HTTP asks for.
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
  return isClientStatus(original.statusCode)
}

function isClientStatus (status: unknown): boolean {
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

  // Mercurius wraps the validation errors of one document in a single error; an inner error that
  // is no GraphQLError (its 405 for a mutation over GET wraps a plain Error) is the wrapper's.
  const flat = (execution.errors ?? []).flatMap((error): GraphQLError[] => {
    const wrapper = error.originalError as (Error & StatusError) | undefined
    const inner = wrapper?.errors
    if (!Array.isArray(inner)) return [error]
    const clientStatus = isClientStatus(wrapper?.statusCode)
    return inner.map((e) => (e instanceof GraphQLError ? e : new GraphQLError((e as Error).message, { originalError: clientStatus ? wrapper : e as Error })))
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

  // GraphQL-over-HTTP: once execution started the answer is a 200. A request refused as a whole
  // keeps the status of its error (a bad body is a 400); an invalid document (syntax,
  // validation) is a 400 under application/graphql-response+json and a 200 under
  // application/json, whose older clients read the errors from a 200.
  const modern = reply !== undefined && acceptsGraphQLResponse(reply.request.headers.accept)
  if (execution.data != null) return { statusCode: 200, response: { data: execution.data, errors } }
  let statusCode = execution.statusCode ?? 200
  if (execution.statusCode === undefined) {
    const original = execution.errors?.[0]?.originalError as (StatusError & { code?: string }) | undefined
    const documentError = original?.code === 'MER_ERR_GQL_VALIDATION' || (original === undefined && flat.length > 0 && flat.every(isClientError))
    if (documentError) statusCode = modern ? 400 : 200
    else if (typeof original?.statusCode === 'number') statusCode = original.statusCode
  }
  // Under the new media type a request that never executed has no `data` entry at all.
  return { statusCode, response: statusCode >= 400 && modern ? { errors } : { data: null, errors } }
}

export const GRAPHQL_RESPONSE = 'application/graphql-response+json'

/** Whether the client takes application/graphql-response+json (listed in Accept, not refused with q=0). */
export function acceptsGraphQLResponse (accept: string | undefined): boolean {
  if (accept === undefined) return false
  return accept.split(',').some((part) => {
    const [type, ...params] = part.trim().toLowerCase().split(';').map((p) => p.trim())
    return type === GRAPHQL_RESPONSE && !params.some((p) => /^q=0(\.0*)?$/.test(p))
  })
}
