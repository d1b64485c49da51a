import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/** What the proxy does with a call to one Cognito operation. */
export type Fault =
  | { kind: 'pass' }
  /** Answers 400 with a Cognito exception, as AWS does; only the first `times` calls when given, then passes. */
  | { kind: 'exception', name: string, message?: string, times?: number }
  /** Answers an HTTP 5xx. */
  | { kind: 'status', status: number }
  /** Answers an HTTP 5xx with an HTML page, as moto does for an action it lacks (500) and a proxy or gateway for an outage (502–504). */
  | { kind: 'page', status: number }
  /** Never answers (until the test ends). */
  | { kind: 'hang' }
  /** Closes the connection without an answer. */
  | { kind: 'reset' }
  /** Forwards after a pause. */
  | { kind: 'delay', ms: number }

/**
 * A stand-in for the network between the server and Cognito: it forwards calls to the embedded
 * emulator, or answers the way Cognito does when it throttles, fails or hangs. It counts the
 * calls of every operation (the part of `X-Amz-Target` after the dot).
 */
export class FaultProxy {
  readonly calls = new Map<string, number>()
  /** The AuthFlow of every InitiateAuth call, in order. */
  readonly authFlows: string[] = []
  private readonly faults = new Map<string, Fault>()
  private readonly held = new Set<IncomingMessage>()
  private server: Server | undefined
  endpoint = ''

  private readonly target: string
  constructor (target: string) {
    this.target = target
  }

  /** Sets what happens to `operation` ('*' for every operation). */
  set (operation: string, fault: Fault): void {
    this.faults.set(operation, fault)
  }

  clear (): void {
    this.faults.clear()
  }

  count (operation: string): number {
    return this.calls.get(operation) ?? 0
  }

  async start (): Promise<string> {
    const target = new URL(this.target)
    this.server = createServer((req, res) => {
      const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? ''
      this.calls.set(operation, this.count(operation) + 1)
      // Read beside whoever reads the body, when it is read: a listener added earlier would drain it.
      const reading = () => { if (operation === 'InitiateAuth') this.recordAuthFlow(req) }
      const key = this.faults.has(operation) ? operation : '*'
      const fault = this.faults.get(key) ?? { kind: 'pass' }
      const forward = () => {
        const upstream = httpRequest({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers)
          answer.pipe(res)
        })
        upstream.on('error', () => res.destroy())
        reading()
        req.pipe(upstream)
      }
      // Spent: the operation passes from now on.
      if (fault.kind === 'exception' && fault.times !== undefined && fault.times-- <= 0) {
        this.faults.delete(key)
        return forward()
      }
      switch (fault.kind) {
        case 'pass': return forward()
        case 'delay': setTimeout(forward, fault.ms); return
        case 'exception':
          reading()
          req.resume()
          res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': fault.name })
          res.end(JSON.stringify({ __type: fault.name, message: fault.message ?? fault.name }))
          return
        case 'status':
          reading()
          req.resume()
          res.writeHead(fault.status, { 'content-type': 'application/x-amz-json-1.1' })
          res.end(JSON.stringify({ __type: 'InternalErrorException', message: 'upstream failure' }))
          return
        case 'page':
          reading()
          req.resume()
          res.writeHead(fault.status, { 'content-type': 'text/html; charset=utf-8' })
          res.end(`<!doctype html>\n<html lang=en>\n<title>${fault.status} Error</title>\n<h1>Error</h1>\n`)
          return
        case 'reset':
          reading()
          req.resume()
          req.socket.destroy()
          return
        case 'hang':
          this.held.add(req)
      }
    })
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve))
    this.endpoint = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
    return this.endpoint
  }

  /** Reads the AuthFlow beside the forwarding (a second reader of the same body). */
  private recordAuthFlow (req: IncomingMessage): void {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      try {
        this.authFlows.push(String((JSON.parse(Buffer.concat(chunks).toString()) as { AuthFlow?: string }).AuthFlow))
      } catch {
        this.authFlows.push('unreadable')
      }
    })
  }

  async close (): Promise<void> {
    for (const req of this.held) req.socket.destroy()
    this.server?.closeAllConnections()
    await new Promise((resolve) => this.server?.close(resolve))
  }
}
