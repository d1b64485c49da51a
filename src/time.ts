// Time as the server counts it: epoch seconds, and a request's Cognito deadline.
import type { FastifyReply } from 'fastify'

/** The time in whole epoch seconds, as tokens, cookies and stores count it. */
export const nowSeconds = (): number => Math.floor(Date.now() / 1000)

/** The end of a request's Cognito budget (epoch ms), counted from the request's arrival. */
export function requestDeadline (reply: FastifyReply, config: { requestBudgetMs: number }): number {
  return Date.now() - reply.elapsedTime + config.requestBudgetMs
}
