// Time as the server counts it: epoch seconds, a request's Cognito deadline, the lifetimes several rooms share.
import type { FastifyReply } from 'fastify'

/** The time in whole epoch seconds, as tokens, cookies and stores count it. */
export const nowSeconds = (): number => Math.floor(Date.now() / 1000)

/**
 * How long a browser stays a known device of an account after a sign-in: the device cookie, its
 * bucket (`device.email`), and the revocation marks and claims that must outlive it.
 */
export const DEVICE_TTL_SECONDS = 180 * 86400

/** The end of a request's Cognito budget (epoch ms), counted from the request's arrival. */
export function requestDeadline (reply: FastifyReply, config: { requestBudgetMs: number }): number {
  return Date.now() - reply.elapsedTime + config.requestBudgetMs
}
