// Serves the example SPA (examples/spa) from its own origin, to try the API from a second origin
// of the same site:
//
//   CORS_ORIGINS=http://localhost:5173 npm start     # the API on :3000, allowing the SPA's origin
//   npm run spa                                       # the SPA on :5173 (SPA_PORT to change it), and the
//                                                     # API's real address (the running npm start's)
//   open http://localhost:5173/?api=http://localhost:3000
//
// localhost:5173 and localhost:3000 are the same site (ports do not count), so the browser sends
// the API's SameSite=Strict cookies; 127.0.0.1 would be another site, and it would not.
import '../src/node-version.ts'
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { lockHolder } from '../src/dev/data-dir-lock.ts'
import { spaFile } from '../src/dev/spa.ts'

/** A static server for the SPA's files (the same ones /spa/ serves); resolves once it listens (port 0: any free port). */
export async function serveSpa (port = 5173, host = '127.0.0.1'): Promise<Server & { port: number }> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0] ?? '/'
    const spa = path.startsWith('/') ? spaFile(path.slice(1)) : undefined
    if (request.method !== 'GET' || spa === undefined) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found')
      return
    }
    readFile(spa.file).then(
      (body) => response.writeHead(200, { 'content-type': spa.type, 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' }).end(body),
      () => response.writeHead(500, { 'content-type': 'text/plain' }).end(`cannot read ${path}`)
    )
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolve())
  })
  return Object.assign(server, { port: (server.address() as AddressInfo).port })
}

/**
 * The API the SPA should call: API_URL when set, else the address of the `npm start` holding the
 * emulator's data directory (its real port, whatever PORT said), else http://localhost:$PORT.
 */
export function apiAddress (env: Record<string, string | undefined>): string {
  if (env.API_URL !== undefined && env.API_URL !== '') return env.API_URL
  const running = lockHolder(resolve(env.EMULATOR_DATA_DIR ?? '.cognito-local'))
  if (running?.command === 'npm start' && running.url !== undefined) return running.url
  return `http://localhost:${env.PORT ?? 3000}`
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  // Reads `.env` as the server does in development, for PORT and EMULATOR_DATA_DIR.
  if (process.env.NODE_ENV !== 'production' && existsSync('.env')) process.loadEnvFile('.env')
  const port = Number(process.env.SPA_PORT ?? 5173)
  const api = apiAddress(process.env)
  const server = await serveSpa(port, process.env.SPA_HOST ?? '127.0.0.1').catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'EADDRINUSE') throw err
    console.error(`port ${port} is taken: set SPA_PORT to another port`)
    process.exit(1)
  })
  const origin = `http://localhost:${server.port}`
  console.log(`The example SPA: ${origin}/?api=${api}`)
  console.log(`The API at ${api} must allow this origin: CORS_ORIGINS=${origin} npm start`)
  process.once('SIGINT', () => server.close())
  process.once('SIGTERM', () => server.close())
}
