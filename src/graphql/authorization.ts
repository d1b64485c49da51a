// The roles of the SDL's @auth, read at start, and the check that applies one.
import { buildSchema, getDirectiveValues, isObjectType } from 'graphql'
import { AppError } from '../errors.ts'
import { requireSession, type GraphQLContext } from './context.ts'
import type { Role } from './generated.ts'
import { loadSchemaSDL } from './schema.ts'

/**
 * Who may use which field, as the SDL declares it with `@auth(requires: …)`, by
 * `Type.field`. The schema is the one place where authorization is written down; the field
 * policies (field-policy.ts) read it at start and apply-field-policy.ts applies it.
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

/**
 * Refuses a caller without `role`: UNAUTHENTICATED without a session, FORBIDDEN without the role.
 * The admin role is read from the token, then confirmed with Cognito (the caller's groups, once
 * per request): a demoted administrator's token still names the group until it expires, and
 * the demotion must count at once, on every instance, whoever made it (this server, `npm run
 * admin`, the AWS console). A token without the group is refused without asking: a promotion
 * counts from the next refresh.
 */
export async function authorize (ctx: GraphQLContext, role: Role): Promise<void> {
  const session = await requireSession(ctx)
  if (role !== 'ADMIN') return
  const group = ctx.request.server.config.adminGroup
  if (!session.groups.includes(group) || !(await ctx.groupsNow(session)).includes(group)) throw new AppError('FORBIDDEN')
}
