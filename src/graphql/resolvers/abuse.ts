// Resolvers: the CAPTCHA widget a page renders.
import type { QueryResolvers } from '../generated.ts'

/** Abuse protection: the CAPTCHA widget a page renders where an input takes a `captchaToken`. */
export const abuseQueries: QueryResolvers = {
  captcha: (_root, _args, ctx) => ctx.request.server.captcha.widget
}
