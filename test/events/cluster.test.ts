// The outbox on a real three-node Redis Cluster: every key shares the {auth-events} slot, so its
// scripts and transactions run there; two delivery workers (two instances) deliver each event once,
// in order per user, and `webhooks failed | replay` reach it with REDIS_CLUSTER=true.
import { spawnSync } from 'node:child_process'
import { setTimeout as sleep } from 'node:timers/promises'
import { pino } from 'pino'
import t from 'tap'
import { runAdmin } from '../../scripts/admin.ts'
import { newEventId, type AppEvent } from '../../src/plugins/app/app-events.ts'
import { DeliveryWorker } from '../../src/plugins/app/events/delivery.ts'
import { createRedisOutbox } from '../../src/plugins/app/events/redis-outbox.ts'
import { createRedisClient, openRedis } from '../../src/plugins/app/redis.ts'
import { webhookTarget } from '../../src/plugins/app/events/targets.ts'
import { hasRedis, startRedisCluster } from '../redis-server.ts'
import { FAST, Receiver } from './receiver.ts'

const hasCli = spawnSync('redis-cli', ['--version']).status === 0

const eventOf = (userId: string, type: AppEvent['type']): AppEvent => ({ id: newEventId(), type, timestamp: new Date().toISOString(), data: { userId, email: `${userId}@example.com` } })

t.test('the outbox on a Redis Cluster: two instances deliver each event once, in order per user; failed ones are listed and replayed', { skip: !(hasRedis && hasCli) && 'redis-server and redis-cli are not installed' }, async (t) => {
  const { url: clusterUrl } = await startRedisCluster(t)
  const receiver = new Receiver()
  await receiver.start(t)
  let calls = 0
  receiver.answer = () => ++calls % 4 === 0 ? 503 : 204
  const log = pino({ level: 'silent' })
  const settings = { url: clusterUrl, cluster: true }
  const instances = await Promise.all([0, 1].map(async () => {
    const redis = createRedisClient(settings, () => {})
    t.ok(await openRedis(redis), 'an instance reaches the cluster')
    return { redis, outbox: createRedisOutbox(redis, { claimIdleMs: FAST.claimIdleMs, blockingClient: () => createRedisClient(settings, () => {}, { blocking: true }) }) }
  }))
  const target = webhookTarget(receiver.url, [receiver.secret])
  const workers = await Promise.all(instances.map(async ({ outbox }) => new DeliveryWorker(await outbox.open(target), target, FAST, log, () => {})))
  t.teardown(async () => {
    await Promise.all(workers.map(async (worker) => await worker.stop()))
    for (const { redis } of instances) redis.disconnect()
  })

  const types: Array<AppEvent['type']> = ['user.created', 'user.confirmed', 'session.started', 'session.ended', 'user.deleted']
  for (const type of types) {
    for (const [index, user] of ['ada', 'bob', 'eve'].entries()) await (instances[index % 2] as typeof instances[number]).outbox.append(eventOf(user, type))
  }
  await receiver.waitFor((events) => events.length >= 15, 20_000)
  await sleep(300)
  for (const user of ['ada', 'bob', 'eve']) t.same(receiver.delivered().filter((e) => e.data.userId === user).map((e) => e.type), types, `${user}: each once, in order`)

  receiver.answer = () => 500
  await (instances[0] as typeof instances[number]).outbox.append(eventOf('zoe', 'user.created'))
  await receiver.waitFor(() => receiver.deliveries.filter((d) => d.event?.data.userId === 'zoe').length === FAST.retryDelaysMs.length + 1, 10_000)
  await sleep(300)
  const env = { REDIS_URL: clusterUrl, REDIS_CLUSTER: 'true' }
  const out: string[] = []
  t.equal(await runAdmin(['webhooks', 'failed'], env, (line) => out.push(line), () => {}), 0)
  const [id, , type] = (out[0] ?? '').split('\t')
  t.equal(type, 'user.created', 'the delivery that gave up is listed')
  receiver.answer = () => 204
  t.equal(await runAdmin(['webhooks', 'replay', id as string], env, () => {}, () => {}), 0)
  await receiver.waitFor((events) => events.some((e) => e.data.userId === 'zoe'), 10_000)
  t.pass('and delivered once replayed')
})
