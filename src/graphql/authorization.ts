import { buildSchema, getDirectiveValues, isObjectType } from 'graphql'
import { AppError } from '../errors.ts'
import { requireSession, type AnyResolver, type GraphQLContext } from './context.ts'
import type { Role } from './generated.ts'
import { loadSchemaSDL } from './schema.ts'

/**
 * Who may use which field, as the SDL declares it with `@auth(requires: …)`, by
 * `Type.field`. The schema is the one place where authorization is written down.
 */
export function authorizationRules (sdl: string = loadSchemaSDL()): Map<string, Role> {
  const schema = buildSchema(sdl)
  const auth = schema.getDirective('auth')
  const rules = new Map<string, Role>()
  if (auth == null) return rules
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue
    for (const field of Object.values(type.getFields())) {
      const values = field.astNode === undefined || field.astNode === null ? undefined : getDirectiveValues(auth, field.astNode)
      if (values !== undefined) rules.set(`${type.name}.${field.name}`, values.requires as Role)
    }
  }
  return rules
}

/** Refuses a caller without `role`: UNAUTHENTICATED without a session, FORBIDDEN without the role. */
async function authorize (ctx: GraphQLContext, role: Role): Promise<void> {
  const session = await requireSession(ctx)
  if (role === 'ADMIN' && !session.groups.includes(ctx.request.server.config.adminGroup)) {
    throw new AppError('FORBIDDEN')
  }
}

/**
 * Puts the SDL's `@auth` rules in front of the resolvers they name. A rule without a resolver
 * is a mistake found at start, not a field left open.
 */
export function withAuthorization<T extends Record<string, unknown>> (resolvers: T, rules = authorizationRules()): T {
  const result: Record<string, unknown> = { ...resolvers }
  for (const [path, role] of rules) {
    const [typeName = '', fieldName = ''] = path.split('.')
    const fields = result[typeName] as Record<string, unknown> | undefined
    const resolve = fields?.[fieldName]
    if (typeof resolve !== 'function') throw new Error(`@auth on ${path}, which has no resolver`)
    const guarded: AnyResolver = async (root, args, ctx, info) => {
      await authorize(ctx, role)
      return await (resolve as AnyResolver)(root, args, ctx, info)
    }
    result[typeName] = { ...fields, [fieldName]: guarded }
  }
  return result as T
}
