import { readFile } from 'node:fs/promises'
import type { FastifyInstance, FastifyReply } from 'fastify'

/** The example SPA's files (examples/spa), the only ones served, with their content types. */
const FILES = new Map([
  ['index.html', 'text/html; charset=utf-8'],
  ['app.js', 'text/javascript; charset=utf-8'],
  ['style.css', 'text/css; charset=utf-8']
])

const directory = new URL('../../examples/spa/', import.meta.url)

/**
 * Development only: the example SPA at /spa/, on the API's own origin. The page has no inline
 * script, so the Content-Security-Policy every route gets (script-src 'self') lets it run.
 * Files are read on each request, so edits show on reload.
 */
export default async function exampleSpa (fastify: FastifyInstance): Promise<void> {
  if (fastify.config.production) throw new Error('the example SPA is served in development only')

  async function serve (name: string, reply: FastifyReply): Promise<FastifyReply> {
    const type = FILES.get(name)
    const body = type === undefined ? undefined : await readFile(new URL(name, directory)).catch(() => undefined)
    if (type === undefined || body === undefined) { // not one of the files, or an install without examples/
      reply.callNotFound()
      return reply
    }
    return await reply.type(type).header('cache-control', 'no-cache').send(body)
  }

  // The page's relative URLs (app.js, style.css) need the trailing slash.
  fastify.get('/spa', async (_request, reply) => await reply.redirect('/spa/'))
  fastify.get('/spa/', async (_request, reply) => await serve('index.html', reply))
  fastify.get<{ Params: { file: string } }>('/spa/:file', async (request, reply) => await serve(request.params.file, reply))
}
