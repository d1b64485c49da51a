// `npm run admin -- webhooks failed | replay <id>`: the app-event deliveries that gave up, listed and sent again, through the servers' Redis.
import { failedDeliveries, requeueFailed } from '../src/plugins/app/events/redis-outbox.ts'
import { createRedisClient, openRedis } from '../src/plugins/app/redis.ts'

export const WEBHOOKS_USAGE = `  webhooks failed [--limit N]    the app-event deliveries that gave up (newest first): id, event, type, target, reason, attempts, when
  webhooks replay <id>           send one again: a failed delivery's id, or an event's evt_… (every failed delivery of it);
                                 the servers deliver it with the same webhook-id (a URL that answered 410 is tried again)`

const NO_REDIS = 'webhooks needs REDIS_URL, the servers\' Redis: without it they keep their events in their own memory, which this process cannot reach'
const ID = /^(evt_[0-9a-f]{24}|\d{1,20}-\d{1,20})$/

/** `webhooks <sub> …`: returns the exit code (0 done, 1 failed, 2 usage). */
export async function runWebhooks (args: { sub?: string, id?: string, limit?: string }, env: Record<string, string | undefined>, print: (line: string) => void, printError: (line: string) => void, usage: string): Promise<number> {
  const limit = Number(args.limit ?? 100)
  if ((args.sub !== 'failed' && args.sub !== 'replay') || (args.sub === 'replay' && !ID.test(args.id ?? '')) || !Number.isInteger(limit) || limit < 1 || limit > 10_000) {
    printError(`${args.sub === 'replay' ? 'webhooks replay needs the id of a failed delivery (1700000000000-0) or of an event (evt_…)' : 'webhooks failed or webhooks replay <id> (--limit between 1 and 10000)'}\n\n${usage}`)
    return 2
  }
  if (env.REDIS_URL === undefined || env.REDIS_URL === '') {
    printError(NO_REDIS)
    return 1
  }
  const failures: Error[] = []
  const redis = createRedisClient({ url: env.REDIS_URL, cluster: env.REDIS_CLUSTER === 'true' }, (err) => failures.push(err))
  try {
    if (!(await openRedis(redis))) throw new Error(`Redis at REDIS_URL does not answer (${failures[0]?.message ?? 'no answer'})`)
    if (args.sub === 'failed') {
      const failed = await failedDeliveries(redis, limit)
      print(failed.length === 0 ? 'no failed deliveries' : failed.map((f) => [f.id, f.eventId, f.type, f.target, f.reason, f.attempts, f.at].join('\t')).join('\n'))
      return 0
    }
    const requeued = await requeueFailed(redis, args.id as string)
    if (requeued.length === 0) {
      printError(`no failed delivery ${args.id as string} (npm run admin -- webhooks failed lists them)`)
      return 1
    }
    for (const f of requeued) print(`requeued ${f.eventId} (${f.type}) for ${f.target}: the servers deliver it again`)
    return 0
  } catch (err) {
    printError(`webhooks ${args.sub} failed: ${(err as Error).message}`)
    return 1
  } finally {
    redis.disconnect()
  }
}
