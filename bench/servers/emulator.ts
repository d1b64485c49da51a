// The embedded Cognito emulator (src/dev/emulator.ts) in a process of its own, so that a call
// to it leaves the caller's process whether it comes from the bench directly or through our
// server. Prints one JSON line when ready: { endpoint, region, userPoolId, clientId, credentials }
// (the admin credentials of its data directory, for the admin calls). It times every Cognito call
// on its own side, from the request's headers read to the answer's last byte handed to the socket
// (Node's http diagnostics channels: nothing in the emulator changes), and the command
// `cognito-calls` answers the calls timed since the last time it was asked: { calls: [{ target, ms }] }.
import { subscribe } from 'node:diagnostics_channel'
import type { IncomingMessage } from 'node:http'
import { pino } from 'pino'
import { startEmulator } from '../../src/dev/emulator.ts'
import { announce } from './announce.ts'

const started = new WeakMap<IncomingMessage, number>()
let calls: Array<{ target: string, ms: number }> = []
subscribe('http.server.request.start', (message) => {
  started.set((message as { request: IncomingMessage }).request, performance.now())
})
subscribe('http.server.response.finish', (message) => {
  const { request } = message as { request: IncomingMessage }
  const target = request.headers['x-amz-target']
  const start = started.get(request)
  if (typeof target === 'string' && start !== undefined) calls.push({ target: target.split('.').pop() ?? target, ms: performance.now() - start })
})

const emulator = await startEmulator({ dataDir: process.env.EMULATOR_DATA_DIR ?? '', logger: pino({ level: 'silent' }) })
const { endpoint, region, userPoolId, clientId, credentials } = emulator
announce(JSON.stringify({ endpoint, region, userPoolId, clientId, credentials }), () => emulator.close(), {
  'cognito-calls': () => {
    const answered = calls
    calls = []
    return { calls: answered }
  }
})
