import { buildSchema, getDirectiveValues, isObjectType } from 'graphql'
import { AppError } from '../errors.ts'
import { requireSession, type GraphQLContext } from './context.ts'
import type { Role } from './generated.ts'
import { loadSchemaSDL } from './schema.ts'

/**
 * Who may use which field, as the SDL declares it with `@auth(requires: …)`, by
 * `Type.field`. The schema is the one place where authorization is written down; the field
 * policies (field-policy.ts) read it at start and guard.ts applies it.
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
export async function authorize (ctx: GraphQLContext, role: Role): Promise<void> {
  const session = await requireSession(ctx)
  if (role === 'ADMIN' && !session.groups.includes(ctx.request.server.config.adminGroup)) {
    throw new AppError('FORBIDDEN')
  }
}
