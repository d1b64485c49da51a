// A Have I Been Pwned–compatible range API on a real HTTP server, recording what it was asked; it can answer garbage or slowly.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Test } from 'tap'
import { rangeBody, rangeIndex } from '../../src/dev/pwned-passwords.ts'

export interface RangeApi {
  url: string
  /** Every request's path after /range/, in order. */
  prefixes: string[]
  /** Every request's Add-Padding header. */
  padding: Array<string | undefined>
  /** `ok` answers ranges; `garbage` answers HTML; `slow` answers after 5 s; `down` answers 503. */
  mode: 'ok' | 'garbage' | 'slow' | 'down'
}

/** Starts the stand-in with `breached` as its list (each seen 100 times); it stops when the test ends. */
export async function rangeApi (t: Pick<Test, 'teardown'>, breached: string[]): Promise<RangeApi> {
  const index = rangeIndex(breached.map((password) => [password, 100]))
  const state: RangeApi = { url: '', prefixes: [], padding: [], mode: 'ok' }
  const timers = new Set<NodeJS.Timeout>()
  const server = createServer((request, response) => {
    const prefix = /^\/range\/([^/?]*)$/.exec(request.url ?? '')?.[1]
    if (prefix === undefined) return response.writeHead(404).end()
    state.prefixes.push(prefix)
    state.padding.push(request.headers['add-padding'] as string | undefined)
    if (state.mode === 'down') return response.writeHead(503).end()
    if (state.mode === 'garbage') return response.writeHead(200, { 'content-type': 'text/html' }).end('<html>rate limited, try later</html>')
    const answer = () => response.writeHead(200, { 'content-type': 'text/plain' }).end(rangeBody(index, prefix, request.headers['add-padding'] === 'true'))
    if (state.mode === 'ok') return answer()
    const timer = setTimeout(answer, 5000)
    timers.add(timer)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  t.teardown(async () => {
    for (const timer of timers) clearTimeout(timer)
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  })
  return state
}
