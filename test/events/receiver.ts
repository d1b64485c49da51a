// A real webhook receiver on loopback for the event tests: it verifies every delivery with the standardwebhooks package.
import { randomBytes } from 'node:crypto'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { Webhook } from 'standardwebhooks'
import type { FastifyInstance } from 'fastify'
import type { Test } from 'tap'
import type { AppEvent } from '../../src/plugins/app/app-events.ts'
import { RELAXED_LIMITS } from '../challenge-helpers.ts'
import { build, type BuildOptions } from '../helper.ts'

/** Deliveries paced for a test (an internal option of the app): three quick retries, short timeouts. */
export const FAST = { retryDelaysMs: [100, 200, 300], jitter: 0.1, timeoutMs: 2_000, claimIdleMs: 1_000, pollMs: 50 }

/** A fresh Standard Webhooks secret: `whsec_` and the base64 of 32 random bytes. */
export const newSecret = (): string => `whsec_${randomBytes(32).toString('base64')}`

/** One POST the receiver got: the event, when its signature verified with the receiver's secret. */
export interface Delivery {
  headers: IncomingHttpHeaders
  body: string
  /** The verified event; undefined when the signature did not verify. */
  event?: AppEvent
  /** What the receiver answered. */
  status: number
}

/**
 * A webhook receiver: every POST is verified (`new Webhook(secret).verify(body, headers)`) and
 * recorded; it answers `answer()` (a status, or 'hang' to answer nothing until the sender gives
 * up), 204 by default. Stopped when the test ends.
 */
export class Receiver {
  readonly deliveries: Delivery[] = []
  answer: () => number | 'hang' = () => 204
  private server: Server | undefined
  private verifier: Webhook
  url = ''

  secret: string

  constructor (secret: string = newSecret()) {
    this.secret = secret
    this.verifier = new Webhook(secret)
  }

  /** Verifies with another secret from now on (a receiver that rotated). */
  useSecret (secret: string): void {
    this.secret = secret
    this.verifier = new Webhook(secret)
  }

  async start (t: Pick<Test, 'teardown'>, port = 0): Promise<string> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = []
      request.on('data', (chunk: Buffer) => chunks.push(chunk))
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8')
        let event: AppEvent | undefined
        try {
          event = this.verifier.verify(body, request.headers as Record<string, string>) as AppEvent
        } catch {
          event = undefined
        }
        const answer = this.answer()
        this.deliveries.push({ headers: request.headers, body, event, status: answer === 'hang' ? 0 : answer })
        if (answer !== 'hang') response.writeHead(answer).end()
      })
    })
    await new Promise<void>((resolve) => this.server?.listen(port, '127.0.0.1', resolve))
    t.teardown(() => this.stop())
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hooks`
    return this.url
  }

  async stop (): Promise<void> {
    if (this.server === undefined) return
    const server = this.server
    this.server = undefined
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  }

  /** The verified events answered with a 2xx, in the order they arrived. */
  delivered (): AppEvent[] {
    return this.deliveries.filter((d) => d.event !== undefined && d.status >= 200 && d.status < 300).map((d) => d.event as AppEvent)
  }

  /** Waits until `done(delivered())` holds (polling), or fails after `timeoutMs` with what arrived. */
  async waitFor (done: (events: AppEvent[]) => boolean, timeoutMs = 20_000): Promise<AppEvent[]> {
    const until = Date.now() + timeoutMs
    while (!done(this.delivered())) {
      if (Date.now() > until) throw new Error(`the receiver waited in vain; it got: ${JSON.stringify(this.deliveries.map((d) => [d.event?.type, d.status]))}`)
      await sleep(50)
    }
    return this.delivered()
  }

  /** Waits for the delivered events of `userId` to include every type of `types` (in that order). */
  async eventsOf (userId: string, types: string[], timeoutMs?: number): Promise<AppEvent[]> {
    const ofUser = (events: AppEvent[]) => events.filter((e) => e.data.userId === userId)
    return ofUser(await this.waitFor((events) => ofUser(events).length >= types.length, timeoutMs))
  }
}

/** The environment of an app that sends its events to `receiver` (with the tests' relaxed rate limits). */
export const webhookEnv = (receiver: Receiver, extra: Record<string, string> = {}): Record<string, string> =>
  ({ ...RELAXED_LIMITS, WEBHOOK_URLS: receiver.url, WEBHOOK_SECRET: receiver.secret, ...extra })

/** A receiver started, and the app (on its embedded emulator) that sends it its events, paced FAST unless `options` say otherwise. */
export async function buildWithReceiver (t: Test, options: BuildOptions = {}): Promise<{ app: FastifyInstance, receiver: Receiver }> {
  const receiver = new Receiver()
  await receiver.start(t)
  const app = await build(t, { eventDelivery: FAST, ...options, env: webhookEnv(receiver, options.env) })
  return { app, receiver }
}
