// The example SPA at /spa/ in development: its built files, served from memory.
import { readFile } from 'node:fs/promises'
import type { FastifyInstance, FastifyReply } from 'fastify'

const directory = new URL('../../examples/spa/', import.meta.url)
const HTML = 'text/html; charset=utf-8'
const CSS = 'text/css; charset=utf-8'
const JAVASCRIPT = 'text/javascript; charset=utf-8'
/** The SPA's compiled modules and the browser client's (examples/spa/js and js/client, written by `npm run codegen:spa`): plain names, no other directory. */
const COMPILED_MODULE = /^js\/(?:client\/)?[a-z][a-z0-9-]*\.js$/

/** A file the example SPA is made of, and its content type. */
export interface SpaFile {
  file: URL
  type: string
}

/** The one file of the QR code library the SPA imports, from node_modules (undefined when it is not installed). */
function qrCodeLibrary (): URL | undefined {
  try {
    return new URL(import.meta.resolve('qrcode-generator')) // its ES module, dist/qrcode.mjs
  } catch {
    return undefined
  }
}

/**
 * The file behind a path of the example SPA (`''` for its page, `js/main.js` …), or undefined:
 * nothing else is ever served, from examples/spa or node_modules. Both servers of the SPA use
 * this: the API's /spa/ in development, and `npm run spa` (scripts/serve-spa.ts).
 */
export function spaFile (path: string): SpaFile | undefined {
  if (path === '' || path === 'index.html') return { file: new URL('index.html', directory), type: HTML }
  if (path === 'style.css') return { file: new URL('style.css', directory), type: CSS }
  if (COMPILED_MODULE.test(path)) return { file: new URL(path, directory), type: JAVASCRIPT }
  if (path === 'vendor/qrcode-generator.js') {
    const file = qrCodeLibrary()
    return file === undefined ? undefined : { file, type: JAVASCRIPT }
  }
  return undefined
}

/**
 * Development only: the example SPA at /spa/, on the API's own origin. The page has no inline
 * script, so the Content-Security-Policy every route gets (script-src 'self') lets it run.
 * Files are read on each request, so a rebuild shows on reload.
 */
export default async function exampleSpa (fastify: FastifyInstance): Promise<void> {
  if (fastify.config.production) throw new Error('the example SPA is served in development only')

  async function serve (path: string, reply: FastifyReply): Promise<FastifyReply> {
    const spa = spaFile(path)
    const body = spa === undefined ? undefined : await readFile(spa.file).catch(() => undefined)
    if (spa === undefined || body === undefined) { // not one of the files, or an install without examples/
      reply.callNotFound()
      return reply
    }
    return await reply.type(spa.type).header('cache-control', 'no-cache').send(body)
  }

  // The page's relative URLs (js/main.js, style.css) need the trailing slash.
  fastify.get('/spa', async (_request, reply) => await reply.redirect('/spa/'))
  fastify.get<{ Params: { '*': string } }>('/spa/*', async (request, reply) => await serve(request.params['*'], reply))
}
