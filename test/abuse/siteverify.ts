// A CAPTCHA siteverify on a real HTTP server, answering as the providers do for their test keys, recording what it was sent.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { randomUUID } from 'node:crypto'
import type { Test } from 'tap'
import { freshTestToken, standInAnswer } from '../../src/dev/captcha-stand-in.ts'

export const TURNSTILE = { CAPTCHA_PROVIDER: 'turnstile', CAPTCHA_SITE_KEY: '1x00000000000000000000AA', CAPTCHA_SECRET: '1x0000000000000000000000000000000AA' }

export interface Siteverify {
  url: string
  /** Every form posted, in order. */
  requests: Array<Record<string, string>>
  /** Tokens answered as expired (`timeout-or-duplicate`), or solved on another hostname, or for an action. */
  expired: Set<string>
  hostnames: Map<string, string>
  actions: Map<string, string>
  /** `ok` answers; `garbage` answers HTML; `down` answers 502. */
  mode: 'ok' | 'garbage' | 'down'
}

/** A new token of the Turnstile test widget (the dummy token made unique, as the stand-in accepts it). */
export const token = (provider: 'turnstile' | 'hcaptcha' = 'turnstile') => freshTestToken(provider, randomUUID())

export async function siteverify (t: Pick<Test, 'teardown'>): Promise<Siteverify> {
  const state: Siteverify = { url: '', requests: [], expired: new Set(), hostnames: new Map(), actions: new Map(), mode: 'ok' }
  const server = createServer((request, response) => {
    let body = ''
    request.on('data', (chunk) => { body += String(chunk) })
    request.on('end', () => {
      const form = Object.fromEntries(new URLSearchParams(body))
      state.requests.push(form)
      if (state.mode === 'down') return response.writeHead(502).end()
      if (state.mode === 'garbage') return response.writeHead(200, { 'content-type': 'text/html' }).end('<html>oops</html>')
      const response_ = form.response ?? ''
      const answer = state.expired.has(response_)
        ? { success: false, 'error-codes': ['timeout-or-duplicate'] }
        : { ...standInAnswer(form, state.hostnames.get(response_)), ...(state.actions.has(response_) ? { action: state.actions.get(response_) } : {}) }
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/siteverify`
  t.teardown(async () => {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  })
  return state
}
